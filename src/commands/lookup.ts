// Domain lookup with virsh's rules: each command accepts some of ID, UUID and name
// (domname takes only ID or UUID, domid only name or UUID...), and an unknown domain is the
// single line "failed to get domain 'x'".

import type { Connection } from '../../engine/api/connection';
import type { DomainInfo } from '../../engine/api/types';
import { isVirError } from '../../engine/api/errors';
import { CommandError } from './errors';

export interface LookupBy {
  id?: boolean;
  uuid?: boolean;
  name?: boolean;
}

const ALL: LookupBy = { id: true, uuid: true, name: true };
// virsh tries a UUID only for a 36-character string (the dashed form).
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function lookupDomain(conn: Connection, ref: string, by: LookupBy = ALL): DomainInfo {
  let found: DomainInfo | undefined;
  try {
    found = conn.lookupDomain(ref);
  } catch (e) {
    if (!isVirError(e) || e.code !== 'VIR_ERR_NO_DOMAIN') throw e;
  }
  if (found && matches(found, ref, by)) return found;
  throw CommandError.plain('VIR_ERR_NO_DOMAIN', `failed to get domain '${ref}'`);
}

function matches(d: DomainInfo, ref: string, by: LookupBy): boolean {
  if (by.id && /^[0-9]+$/.test(ref) && d.id === Number(ref)) return true;
  if (by.uuid && UUID_RE.test(ref) && d.uuid.replace(/-/g, '') === ref.replace(/-/g, '').toLowerCase()) return true;
  // Names (including the engine's "HOST/Domain-0" form for several Xen hosts).
  return !!by.name && (d.name === ref || ref.endsWith('/' + d.name));
}

export function isActive(d: DomainInfo): boolean {
  return d.id !== null;
}
