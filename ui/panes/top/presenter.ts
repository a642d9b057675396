// virt-top-like table presenter: every active domain with CPU%, steal, vCPUs, memory, %MEM,
// workload and CPU time; sortable by any column (memoized on the inputs' identity, so cursor
// moves never re-sort 20,000 rows), columns fitted to the width. CPU% and CPU time come from the
// store's samples (the list's snapshots keep older figures across samples).
import type { DomainInfo, DomainSamples, HostInfo } from '../../../engine/index';
import { formatDuration, formatKiB } from '../../format';
import type { TableColumn } from '../../widgets/Table';
import { type FleetIndex, fleetKey } from '../vcpu/reads';

export type TopKey = 'id' | 'name' | 'host' | 'state' | 'cpu' | 'steal' | 'vcpu' | 'memory' | 'mem' | 'workload' | 'time';
export const TOP_KEYS: TopKey[] = ['cpu', 'steal', 'mem', 'memory', 'vcpu', 'time', 'name', 'host', 'state', 'workload', 'id'];

export interface TopSort {
  key: TopKey;
  desc: boolean;
}

export interface TopRow {
  d: DomainInfo;
  /** virt-top's %CPU: 100 per busy vCPU. */
  cpu: number;
  /** Σ per-vCPU steal, percent of one pCPU; null when not scheduled. */
  steal: number | null;
  /** Share of the host's RAM, percent. */
  mem: number;
  /** Cumulative guest CPU time, ns. */
  timeNs: number;
}

interface Spec {
  key: TopKey;
  title: string;
  min: number;
  grow: number;
  align: 'left' | 'right';
  priority: number;
}

const SPECS: Spec[] = [
  { key: 'id', title: 'ID', min: 5, grow: 0, align: 'right', priority: 3 },
  { key: 'name', title: 'NAME', min: 10, grow: 14, align: 'left', priority: 10 },
  { key: 'host', title: 'HOST', min: 8, grow: 6, align: 'left', priority: 7 },
  { key: 'state', title: 'S', min: 7, grow: 0, align: 'left', priority: 4 },
  { key: 'cpu', title: '%CPU', min: 6, grow: 0, align: 'right', priority: 9 },
  { key: 'steal', title: '%STEAL', min: 6, grow: 0, align: 'right', priority: 8 },
  { key: 'vcpu', title: 'vCPU', min: 4, grow: 0, align: 'right', priority: 6 },
  { key: 'memory', title: 'MEMORY', min: 9, grow: 0, align: 'right', priority: 6 },
  { key: 'mem', title: '%MEM', min: 5, grow: 0, align: 'right', priority: 5 },
  { key: 'workload', title: 'WORKLOAD', min: 8, grow: 0, align: 'left', priority: 2 },
  { key: 'time', title: 'TIME', min: 8, grow: 0, align: 'right', priority: 1 },
];

export function topColumns(width: number): TableColumn[] {
  let cols = SPECS.slice();
  const need = (cs: Spec[]) => cs.reduce((n, c) => n + c.min, 0) + cs.length - 1;
  while (cols.length > 1 && need(cols) > width) {
    const drop = cols.reduce((lo, c) => (c.priority < lo.priority ? c : lo));
    cols = cols.filter((c) => c !== drop);
  }
  let spare = Math.max(0, width - need(cols));
  return cols.map((c) => {
    const add = Math.min(c.grow, spare);
    spare -= add;
    return { key: c.key, title: c.title, width: c.min + add, align: c.align };
  });
}

export function topRows(domains: readonly DomainInfo[], hosts: readonly HostInfo[], fleet: FleetIndex, samples: DomainSamples): TopRow[] {
  const ram = new Map(hosts.map((h) => [h.name, h.memoryKiB]));
  const rows: TopRow[] = [];
  for (const d of domains) {
    if (d.id === null) continue;
    const f = fleet.byKey.get(fleetKey(d.host, d.name));
    const mem = (100 * d.memory.currentKiB) / (ram.get(d.host) || 1);
    rows.push({ d, cpu: samples.cpuPercent(d), steal: f ? f.stealPercent : null, mem, timeNs: samples.cpuTimeNs(d) });
  }
  return rows;
}

const ONE = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

export function topCell(r: TopRow, key: string): string {
  const d = r.d;
  switch (key as TopKey) {
    case 'id':
      return String(d.id);
    case 'name':
      return d.name;
    case 'host':
      return d.host;
    case 'state':
      return d.state;
    case 'cpu':
      return ONE(r.cpu);
    case 'steal':
      return r.steal === null ? '-' : ONE(r.steal);
    case 'vcpu':
      return String(d.vcpus.current);
    case 'memory':
      return formatKiB(d.memory.currentKiB);
    case 'mem':
      return ONE(r.mem);
    case 'workload':
      return d.workload;
    case 'time':
      return formatDuration(r.timeNs / 1e6);
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compare(key: TopKey): (a: TopRow, b: TopRow) => number {
  const num = (f: (r: TopRow) => number) => (a: TopRow, b: TopRow) => f(a) - f(b);
  const str = (f: (r: TopRow) => string) => (a: TopRow, b: TopRow) => collator.compare(f(a), f(b));
  switch (key) {
    case 'id':
      return num((r) => r.d.id ?? -1);
    case 'name':
      return str((r) => r.d.name);
    case 'host':
      return str((r) => r.d.host);
    case 'state':
      return str((r) => r.d.state);
    case 'cpu':
      return num((r) => r.cpu);
    case 'steal':
      return num((r) => r.steal ?? -1);
    case 'vcpu':
      return num((r) => r.d.vcpus.current);
    case 'memory':
      return num((r) => r.d.memory.currentKiB);
    case 'mem':
      return num((r) => r.mem);
    case 'workload':
      return str((r) => r.d.workload);
    case 'time':
      return num((r) => r.timeNs);
  }
}

/** Sorted by key (ties by host, then name, so the order never flickers). */
export function sortTop(rows: readonly TopRow[], sort: TopSort): TopRow[] {
  const primary = compare(sort.key);
  const dir = sort.desc ? -1 : 1;
  return rows.slice().sort((a, b) => dir * primary(a, b) || collator.compare(a.d.host, b.d.host) || collator.compare(a.d.name, b.d.name));
}

/** The visible list, rebuilt only when the domains, hosts, samples or sort change. */
export function createTopView(): (domains: DomainInfo[], hosts: HostInfo[], fleet: FleetIndex, samples: DomainSamples, sort: TopSort) => TopRow[] {
  let key: unknown[] = [];
  let rows: TopRow[] = [];
  return (domains, hosts, fleet, samples, sort) => {
    const next = [domains, hosts, fleet.load, samples, sort.key, sort.desc];
    if (next.some((x, i) => x !== key[i])) {
      rows = sortTop(topRows(domains, hosts, fleet, samples), sort);
      key = next;
    }
    return rows;
  };
}

/** Row identity for the cursor (uuid). */
export const topRowKey = (r: TopRow) => r.d.uuid;
