// Domain table presenter: pure functions from the domain list to what the table shows —
// filtering, sorting (memoized on the inputs' identity: cursor moves never re-sort), the
// columns that fit a width, and each row's cells. The CPU column reads the store's samples: the
// list's snapshots keep their identity (and older figures) across samples.
import type { DomainInfo, DomainSamples } from '../../../engine/index';
import { formatDuration, formatKiB } from '../../format';

export type SortKey = 'id' | 'name' | 'state' | 'host' | 'type' | 'vcpu' | 'memory' | 'cpu' | 'uptime';
export const SORT_KEYS: SortKey[] = ['name', 'id', 'state', 'host', 'type', 'vcpu', 'memory', 'cpu', 'uptime'];

export interface Sort {
  key: SortKey;
  desc: boolean;
}

export interface Column {
  key: SortKey;
  title: string;
  min: number;
  /** Extra width it may absorb when the table is wide. */
  grow: number;
  align: 'left' | 'right';
  /** Higher survives longer when the width is short. */
  priority: number;
  width: number;
}

const COLUMNS: Omit<Column, 'width'>[] = [
  { key: 'id', title: 'Id', min: 4, grow: 0, align: 'right', priority: 4 },
  { key: 'name', title: 'Name', min: 10, grow: 8, align: 'left', priority: 10 },
  { key: 'state', title: 'State', min: 11, grow: 0, align: 'left', priority: 9 },
  { key: 'host', title: 'Host', min: 8, grow: 8, align: 'left', priority: 7 },
  { key: 'type', title: 'Type', min: 7, grow: 0, align: 'left', priority: 3 },
  { key: 'vcpu', title: 'vCPU', min: 4, grow: 0, align: 'right', priority: 5 },
  { key: 'memory', title: 'Memory', min: 9, grow: 0, align: 'right', priority: 5 },
  { key: 'cpu', title: 'CPU%', min: 5, grow: 0, align: 'right', priority: 6 },
  { key: 'uptime', title: 'Uptime', min: 9, grow: 0, align: 'right', priority: 2 },
];

/** Columns that fit `width` (one space between columns), widest first for the name. */
export function layoutColumns(width: number): Column[] {
  let cols = COLUMNS.slice();
  const need = (cs: typeof cols) => cs.reduce((n, c) => n + c.min, 0) + cs.length - 1;
  while (cols.length > 1 && need(cols) > width) {
    const drop = cols.reduce((lo, c) => (c.priority < lo.priority ? c : lo));
    cols = cols.filter((c) => c !== drop);
  }
  let spare = Math.max(0, width - need(cols));
  const out = cols.map((c) => ({ ...c, width: c.min }));
  for (const c of out) {
    const add = Math.min(c.grow, spare);
    c.width += add;
    spare -= add;
  }
  // Wide terminals: the name may take up to 40 columns more; beyond that the row just ends
  // (right-aligned numbers scattered across 200 columns read worse than a short row).
  const name = out.find((c) => c.key === 'name');
  if (name) name.width += Math.min(spare, 40);
  return out;
}

export function typeLabel(d: DomainInfo): string {
  return `${d.hypervisor}/${d.guestType}`;
}

const active = (d: DomainInfo) => d.id !== null;

/** Average load of the domain's vCPUs, 0..100 (the engine's cpuPercent is virt-top's 100 × vCPUs). */
export function cpuLoad(d: DomainInfo, samples: DomainSamples): number {
  return d.vcpus.current > 0 ? samples.cpuPercent(d) / d.vcpus.current : 0;
}

export function cell(d: DomainInfo, key: SortKey, now: number, samples: DomainSamples): string {
  switch (key) {
    case 'id':
      return d.id === null ? '-' : String(d.id);
    case 'name':
      return d.name;
    case 'state':
      return d.state;
    case 'host':
      return d.host;
    case 'type':
      return typeLabel(d);
    case 'vcpu':
      return String(d.vcpus.current);
    case 'memory':
      return formatKiB(d.memory.currentKiB);
    case 'cpu':
      return active(d) ? `${Math.round(cpuLoad(d, samples))}%` : '-';
    case 'uptime':
      return d.startedAt === null ? '-' : formatDuration(now - d.startedAt);
  }
}

const STATE_ORDER: Record<DomainInfo['state'], number> = {
  running: 0,
  blocked: 1,
  'in shutdown': 2,
  paused: 3,
  pmsuspended: 4,
  crashed: 5,
  'shut off': 6,
};

// Case-insensitive, digit-aware name order ("web-2" before "web-10"), like a file manager.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compare(key: SortKey, samples: DomainSamples): (a: DomainInfo, b: DomainInfo) => number {
  const num = (f: (d: DomainInfo) => number) => (a: DomainInfo, b: DomainInfo) => f(a) - f(b);
  switch (key) {
    case 'id':
      return num((d) => (d.id === null ? Number.MAX_SAFE_INTEGER : d.id));
    case 'name':
      return (a, b) => collator.compare(a.name, b.name);
    case 'state':
      return num((d) => STATE_ORDER[d.state]);
    case 'host':
      return (a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
    case 'type':
      return (a, b) => typeLabel(a).localeCompare(typeLabel(b));
    case 'vcpu':
      return num((d) => d.vcpus.current);
    case 'memory':
      return num((d) => d.memory.currentKiB);
    case 'cpu':
      return num((d) => (active(d) ? cpuLoad(d, samples) : -1));
    case 'uptime':
      // Longest-running first when ascending would surprise; ascending = shortest uptime first.
      return num((d) => (d.startedAt === null ? Number.NEGATIVE_INFINITY : -d.startedAt));
  }
}

/** Stable sort by key, ties broken by name so the order never flickers. */
export function sortDomains(list: readonly DomainInfo[], sort: Sort, samples: DomainSamples): DomainInfo[] {
  const primary = compare(sort.key, samples);
  const byName = compare('name', samples);
  const dir = sort.desc ? -1 : 1;
  return list.slice().sort((a, b) => dir * primary(a, b) || byName(a, b));
}

export interface Filter {
  text: string;
  /** The RegExp used, or null for a plain substring match (the text is not a valid regex). */
  regex: RegExp | null;
}

export function parseFilter(text: string): Filter {
  try {
    return { text, regex: new RegExp(text, 'i') };
  } catch {
    return { text, regex: null };
  }
}

/** Substring or regex over name, host, state and OS, case-insensitive. */
export function filterDomains(list: readonly DomainInfo[], filter: Filter): DomainInfo[] {
  if (!filter.text) return list as DomainInfo[];
  const needle = filter.text.toLowerCase();
  const test = filter.regex
    ? (s: string) => filter.regex!.test(s)
    : (s: string) => s.toLowerCase().includes(needle);
  return list.filter((d) => test(d.name) || test(d.host) || test(d.state) || test(d.os) || test(d.osName));
}

/**
 * The visible list, memoized in two stages on input identity: filtering reruns only when the list
 * or the filter text changes, sorting only when the filtered list or the sort changes — or, sorted
 * by CPU, when a sample came.
 */
export function createDomainView(): (list: DomainInfo[], sort: Sort, filterText: string, samples: DomainSamples) => DomainInfo[] {
  let lastList: DomainInfo[] | null = null;
  let lastFilter = '';
  let filtered: DomainInfo[] = [];
  let lastSortKey: SortKey | null = null;
  let lastDesc = false;
  let sorted: DomainInfo[] = [];
  let sortedFrom: DomainInfo[] | null = null;
  let sortedBy: DomainSamples | null = null;
  return (list, sort, filterText, samples) => {
    if (list !== lastList || filterText !== lastFilter) {
      filtered = filterDomains(list, parseFilter(filterText));
      lastList = list;
      lastFilter = filterText;
    }
    const by = sort.key === 'cpu' ? samples : null;
    if (filtered !== sortedFrom || sort.key !== lastSortKey || sort.desc !== lastDesc || by !== sortedBy) {
      sorted = sortDomains(filtered, sort, samples);
      sortedFrom = filtered;
      sortedBy = by;
      lastSortKey = sort.key;
      lastDesc = sort.desc;
    }
    return sorted;
  };
}
