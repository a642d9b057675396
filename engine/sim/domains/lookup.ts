// Domain references as libvirt resolves them: ID, then UUID, then name. Domain-0 exists once per
// Xen host: "Domain-0" (or id 0) is the first Xen host's, "HOST/Domain-0" a specific one's.

import { VirError } from '../../api/errors';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function firstDom0(w: World): DomainRecord | undefined {
  for (const h of w.s.hosts) {
    const d = w.dom0ByHost.get(h.name);
    if (d) return d;
  }
  return undefined;
}

function canonicalUuid(ref: string): string {
  const hex = ref.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function findDomain(w: World, ref: string): DomainRecord | undefined {
  if (typeof ref !== 'string') return undefined;
  if (/^\d+$/.test(ref)) {
    const id = Number(ref);
    const d = id === 0 ? firstDom0(w) : w.byId.get(id);
    if (d) return d;
  }
  if (UUID_RE.test(ref)) {
    const d = w.byUuid.get(canonicalUuid(ref));
    if (d) return d;
  }
  const byName = w.byName.get(ref);
  if (byName) return byName;
  if (ref === 'Domain-0') return firstDom0(w);
  const slash = ref.lastIndexOf('/');
  if (slash > 0 && ref.slice(slash + 1) === 'Domain-0') return w.dom0ByHost.get(ref.slice(0, slash));
  return undefined;
}

export function resolveDomain(w: World, ref: string): DomainRecord {
  const d = findDomain(w, ref);
  if (d) return d;
  const text = String(ref);
  if (/^\d+$/.test(text)) throw VirError.of('VIR_ERR_NO_DOMAIN', `no domain with matching id ${text}`);
  if (UUID_RE.test(text)) throw VirError.of('VIR_ERR_NO_DOMAIN', `no domain with matching uuid '${text}'`);
  throw VirError.of('VIR_ERR_NO_DOMAIN', `no domain with matching name '${text}'`);
}
