// Per-vCPU load presenter: the selected domain's vCPUs as bar + sparkline + steal + pinning rows,
// fitted to the pane (fewer vCPUs and a "+N more" line when it is short), and the header line
// "vCPU load (db-01, 4 vCPUs on kvm-01, 32 pCPUs, 1.6× over)". Pure: plain data in, strings out.
import type { DomainInfo, HostInfo } from '../../../engine/index';
import { barCells, percentCell, ratioText, sparkline } from '../../widgets/bars';
import type { VcpuReads } from './reads';

export interface VcpuRow {
  vcpu: number;
  /** Last sample, fractions of one pCPU; null while not scheduled. */
  busy: number | null;
  steal: number | null;
  /** Busy history, percent, oldest first. */
  history: ReadonlyArray<number | null>;
  /** Normalised cpulist ("0-3", "0-31"). */
  pin: string;
  /** Restricted to fewer than all of the host's pCPUs. */
  pinned: boolean;
}

/** Widths of the line's fields (0 = field dropped for lack of room). */
export interface VcpuLayout {
  label: number;
  bar: number;
  pct: number;
  spark: number;
  steal: number;
  pin: number;
  /** "steal 3%" when wide, "st 3%" when narrow. */
  stealWord: string;
}

export interface VcpuModel {
  title: string;
  /** A line above the rows (why there is no load), or null. */
  note: string | null;
  rows: VcpuRow[];
  /** vCPUs not shown for lack of room. */
  more: number;
  layout: VcpuLayout;
}

/** "0.19× over" reads as overcommit even when it is not: say "fits" below 1. */
export function overcommitText(runnable: number, pcpus: number): string {
  if (pcpus <= 0) return 'no pCPUs';
  const r = runnable / pcpus;
  return r > 1 ? `${ratioText(r)}× over` : `${ratioText(r)}×, fits`;
}

/** The pane's title, in the longest wording that fits `width` (narrow panes get a compact one). */
export function vcpuTitle(d: DomainInfo, host: HostInfo | null, runnable: number, width = Infinity): string {
  const n = d.vcpus.current;
  const vcpus = `${n} vCPU${n === 1 ? '' : 's'}`;
  const over = host ? overcommitText(runnable, host.pcpus) : '';
  const full = host ? `vCPU load (${d.name}, ${vcpus} on ${host.name}, ${host.pcpus} pCPUs, ${over})` : `vCPU load (${d.name}, ${vcpus} on ${d.host})`;
  if (full.length <= width || !host) return full;
  const short = `${d.name}: ${vcpus} · ${host.name} ${host.pcpus}p · ${over.replace(', fits', '')}`;
  return short.length <= width ? short : `${d.name}: ${vcpus} · ${over.replace(', fits', '')}`;
}

function allCpus(pcpus: number): string {
  return pcpus <= 1 ? '0' : `0-${pcpus - 1}`;
}

export function vcpuRows(d: DomainInfo, host: HostInfo | null, reads: VcpuReads): VcpuRow[] {
  const all = host ? allCpus(host.pcpus) : '';
  const n = d.vcpus.current;
  const rows: VcpuRow[] = [];
  for (let v = 0; v < n; v++) {
    const pin = reads.pins[v] ?? all;
    rows.push({
      vcpu: v,
      busy: reads.load ? reads.load.busy[v] ?? 0 : null,
      steal: reads.load ? reads.load.steal[v] ?? 0 : null,
      history: reads.history?.vcpus[v]?.busy ?? [],
      pin,
      pinned: pin !== all,
    });
  }
  return rows;
}

export function vcpuLayout(width: number, rows: readonly VcpuRow[]): VcpuLayout {
  const label = String(Math.max(0, rows.length - 1)).length;
  const wide = width >= 60;
  const stealWord = wide ? 'steal' : 'st';
  const steal = stealWord.length + 5; // "steal 100%"
  let pin = Math.min(12, rows.reduce((m, r) => Math.max(m, r.pin.length), 0));
  const fixed = () => label + 1 + 4 + 1 + steal + (pin ? pin + 1 : 0);
  if (width - fixed() < 10) pin = 0;
  // Bar and sparkline share what is left, each followed by one space.
  const room = Math.max(0, width - fixed() - 2);
  let bar = Math.max(3, Math.min(30, Math.round(room * 0.5)));
  let spark = Math.min(60, room - bar);
  if (spark < 3) {
    bar = Math.max(3, room + 1);
    spark = 0;
  }
  return { label, bar, pct: 4, spark, steal, pin, stealWord };
}

export function vcpuModel(d: DomainInfo, host: HostInfo | null, runnable: number, reads: VcpuReads, width: number, height: number): VcpuModel {
  const all = vcpuRows(d, host, reads);
  let note: string | null = null;
  if (d.id === null) note = `${d.state}: no load · pinning from the configuration`;
  else if (!reads.load) note = `${d.state}: vCPUs not scheduled`;
  const room = Math.max(0, height - (note ? 1 : 0));
  const fits = all.length <= room;
  const rows = fits ? all : all.slice(0, Math.max(0, room - 1));
  return { title: vcpuTitle(d, host, runnable, width - 2), note, rows, more: all.length - rows.length, layout: vcpuLayout(width, all) };
}

/** The text pieces of one row (the view colours them; tests read them). */
export interface VcpuLineParts {
  label: string;
  bar: ReturnType<typeof barCells>;
  pct: string;
  spark: string;
  steal: string;
  pin: string;
}

export function vcpuLineParts(r: VcpuRow, l: VcpuLayout): VcpuLineParts {
  const pin = l.pin ? (r.pin.length > l.pin ? r.pin.slice(0, l.pin - 1) + '…' : r.pin.padEnd(l.pin)) : '';
  return {
    label: String(r.vcpu).padStart(l.label),
    bar: barCells(r.busy ?? 0, r.steal ?? 0, l.bar),
    pct: percentCell(r.busy, l.pct),
    spark: l.spark ? sparkline(r.history, l.spark) : '',
    steal: `${l.stealWord} ${percentCell(r.steal)}`.slice(0, l.steal).padEnd(l.steal),
    pin,
  };
}

/** One row as plain text, exactly as the view lays it out. */
export function vcpuLineText(r: VcpuRow, l: VcpuLayout): string {
  const p = vcpuLineParts(r, l);
  const parts = [p.label, p.bar.busy + p.bar.steal + p.bar.free, p.pct];
  if (p.spark) parts.push(p.spark);
  parts.push(p.steal);
  if (p.pin) parts.push(p.pin);
  return parts.join(' ');
}

export function moreText(more: number): string {
  return `+${more} more vCPU${more === 1 ? '' : 's'} (H: host view · t: top)`;
}
