// Hosts tree presenter: hosts with their domains (Domain-0 first on Xen), collapsible per host.
// Grouping is memoized on the domain list's identity; rows on (groups, hosts, collapsed set).
import type { DomainInfo, HostInfo } from '../../../engine/index';
import { fit } from '../../format';
import { STATE_GLYPH } from '../../theme';

export type TreeRow =
  | { kind: 'host'; key: string; host: HostInfo; expanded: boolean; count: number }
  | { kind: 'domain'; key: string; domain: DomainInfo };

export function groupByHost(domains: readonly DomainInfo[]): Map<string, DomainInfo[]> {
  const groups = new Map<string, DomainInfo[]>();
  for (const d of domains) {
    let g = groups.get(d.host);
    if (!g) groups.set(d.host, (g = []));
    g.push(d);
  }
  for (const g of groups.values()) {
    g.sort((a, b) => Number(b.isDom0) - Number(a.isDom0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return groups;
}

export function buildTreeRows(
  hosts: readonly HostInfo[],
  groups: Map<string, DomainInfo[]>,
  collapsed: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const host of hosts) {
    const members = groups.get(host.name) ?? [];
    const expanded = !collapsed.has(host.name);
    rows.push({ kind: 'host', key: `h:${host.name}`, host, expanded, count: members.length });
    if (expanded) for (const d of members) rows.push({ kind: 'domain', key: `d:${d.uuid}`, domain: d });
  }
  return rows;
}

/** The tree's rows, memoized; a host row's HostInfo may be an earlier sample's (its figures: store.hostNamed). */
export function createTreeView(): (
  hosts: HostInfo[],
  domains: DomainInfo[],
  collapsed: ReadonlySet<string>,
) => TreeRow[] {
  let lastDomains: DomainInfo[] | null = null;
  let groups = new Map<string, DomainInfo[]>();
  let lastHosts: HostInfo[] | null = null;
  let lastCollapsed: ReadonlySet<string> | null = null;
  let lastGroups: Map<string, DomainInfo[]> | null = null;
  let rows: TreeRow[] = [];
  return (hosts, domains, collapsed) => {
    if (domains !== lastDomains) {
      groups = groupByHost(domains);
      lastDomains = domains;
    }
    // A sample gives every host new figures (a new hosts array) but no new tree line: the rows
    // (21,000 at 1,000 hosts) are rebuilt only when what a line shows changed.
    const relabel = hosts !== lastHosts && !sameLabels(hosts, lastHosts);
    lastHosts = hosts;
    if (relabel || collapsed !== lastCollapsed || groups !== lastGroups) {
      rows = buildTreeRows(hosts, groups, collapsed);
      lastCollapsed = collapsed;
      lastGroups = groups;
    }
    return rows;
  };
}

/** The same hosts in the same order with the same tree lines (hostLabel's fields). */
function sameLabels(a: readonly HostInfo[], b: readonly HostInfo[] | null): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (x.name !== y.name || x.hypervisor !== y.hypervisor || x.pcpus !== y.pcpus || x.cpu.hvm !== y.cpu.hvm)) return false;
  }
  return true;
}

/** "kvm-01  KVM  16 CPU  no VT-x", compacted to "kvm-01 KVM 16c !VT" when narrow. */
export function hostLabel(h: HostInfo, width = 80): string {
  const hv = h.hypervisor === 'kvm' ? 'KVM' : 'Xen';
  const full = `${h.name}  ${hv}  ${h.pcpus} CPU${h.cpu.hvm ? '' : '  no VT-x'}`;
  if (full.length <= width) return full;
  const short = `${h.name} ${hv}${h.cpu.hvm ? '' : ' !VT'} ${h.pcpus}c`;
  return short.length <= width ? short : `${h.name}${h.cpu.hvm ? '' : ' !VT'}`;
}

/** One tree line of exactly `width` characters (the glyph colouring is the view's job). */
export function treeLine(row: TreeRow, width: number): string {
  if (row.kind === 'host') return fit(`${row.expanded ? '▾' : '▸'} ${hostLabel(row.host, width - 2)}`, width);
  const d = row.domain;
  if (width < 28) return fit(`   ${fit(d.name, Math.max(4, width - 5))} ${STATE_GLYPH[d.state]}`, width);
  const nameW = Math.max(6, Math.min(16, width - 16));
  return fit(`    ${fit(d.name, nameW)} ${STATE_GLYPH[d.state]} ${d.state}`, width);
}
