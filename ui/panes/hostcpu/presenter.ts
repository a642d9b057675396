// Host view presenter: the pCPU grid (utilisation, recent history and which vCPU threads ran on
// each pCPU in the last sample), the vCPU overcommit ratio and the memory bar. Pure.
import type { HostCpuMap, HostInfo } from '../../../engine/index';
import { formatKiB } from '../../format';
import { type BarCells, FREE, percentCell, sparkGlyph, sparkline } from '../../widgets/bars';
import { overcommitText } from '../vcpu/presenter';

export interface PcpuCell {
  cpu: number;
  /** 0..1 of the last sample. */
  util: number;
  history: ReadonlyArray<number | null>;
  /** "db-01/2" (vCPU 2), "web-01/emu" (qemu's emulator thread), busiest first. */
  threads: string[];
}

export function pcpuCells(map: HostCpuMap): PcpuCell[] {
  return map.pcpus.map((p) => ({
    cpu: p.cpu,
    util: p.utilisation,
    history: p.history,
    threads: p.occupants
      .slice()
      .sort((a, b) => b.share - a.share || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0))
      .map((o) => `${o.domain}/${o.thread === 'emulator' ? 'emu' : o.thread}`),
  }));
}

export interface GridLayout {
  cols: number;
  cellWidth: number;
  /** Field widths inside a cell. */
  label: number;
  bar: number;
  spark: number;
}

const GAP = 2;

/** Grid columns of cells at least ~40 wide (one column on narrow terminals). */
export function gridLayout(pcpus: number, width: number): GridLayout {
  const cols = Math.max(1, Math.min(pcpus, Math.floor((width + GAP) / (44 + GAP))));
  const cellWidth = Math.floor((width - GAP * (cols - 1)) / cols);
  const label = String(Math.max(0, pcpus - 1)).length + 1;
  const bar = cellWidth >= 30 ? 8 : 5;
  const spark = cellWidth >= 40 ? 10 : cellWidth >= 32 ? 6 : 0;
  return { cols, cellWidth, label, bar, spark };
}

export interface PcpuCellParts {
  label: string;
  bar: BarCells;
  pct: string;
  spark: string;
  threads: string;
}

export function pcpuCellParts(c: PcpuCell, g: GridLayout): PcpuCellParts {
  const nb = Math.min(g.bar, Math.round(c.util * g.bar) || (c.util > 0 ? 1 : 0));
  const used = g.label + 1 + g.bar + 1 + 4 + 1 + (g.spark ? g.spark + 1 : 0);
  const room = Math.max(0, g.cellWidth - used);
  let threads = c.threads.length ? c.threads.join(' ') : 'idle';
  if (threads.length > room) {
    // Keep whole names and say how many did not fit.
    const shown: string[] = [];
    for (const t of c.threads) {
      const more = ` +${c.threads.length - shown.length - 1}`;
      if ([...shown, t].join(' ').length + more.length > room) break;
      shown.push(t);
    }
    threads = shown.length ? `${shown.join(' ')} +${c.threads.length - shown.length}` : `${c.threads.length} threads`.slice(0, room);
  }
  return {
    label: `p${c.cpu}`.padEnd(g.label),
    bar: { busy: '█'.repeat(nb), steal: '', free: FREE.repeat(g.bar - nb) },
    pct: percentCell(c.util),
    spark: g.spark ? sparkline(c.history, g.spark) : '',
    threads,
  };
}

export function pcpuCellText(c: PcpuCell, g: GridLayout): string {
  const p = pcpuCellParts(c, g);
  return [p.label, p.bar.busy + p.bar.free, p.pct, ...(p.spark ? [p.spark] : []), p.threads].join(' ');
}

/** Cells in reading order, `cols` per grid line. */
export function gridLines<T>(cells: readonly T[], cols: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < cells.length; i += cols) out.push(cells.slice(i, i + cols));
  return out;
}

export interface MemoryModel {
  /** Resident (█), committed beyond resident (▒), free (░), over RAM. */
  bar: BarCells;
  text: string;
  pressure: string;
}

export function memoryModel(h: HostInfo, width: number): MemoryModel {
  const ram = Math.max(1, h.memoryKiB);
  const resident = Math.min(ram, h.memoryResidentKiB ?? h.memoryUsedKiB);
  const committed = h.memoryUsedKiB;
  const pressure = h.memoryPressure ?? 'none';
  const commit = h.memoryCommitRatio ?? committed / ram;
  const text = `${formatKiB(committed)} committed (${Math.round(commit * 100)}% of RAM) · ${formatKiB(resident)} resident · ${formatKiB(Math.max(0, ram - resident))} free of ${formatKiB(ram)} · limit ${formatKiB(h.memoryLimitKiB)} · pressure ${pressure}`;
  const w = Math.max(0, width);
  const nr = Math.min(w, Math.round((resident / ram) * w) || (resident > 0 && w ? 1 : 0));
  const nc = Math.max(0, Math.min(w - nr, Math.round((Math.min(ram, committed) / ram) * w) - nr));
  return { bar: { busy: '█'.repeat(nr), steal: '▒'.repeat(nc), free: FREE.repeat(w - nr - nc) }, text, pressure };
}

export function hostHeadline(h: HostInfo, runnable: number): string {
  const c = h.cpu;
  const hv = h.hypervisor === 'kvm' ? 'KVM' : 'Xen';
  return `${hv} ${h.hypervisorVersion} · ${c.model} ${c.sockets}×${c.cores}×${c.threads} = ${h.pcpus} pCPUs · host CPU ${Math.round(h.cpuPercent)}% · ${runnable} runnable vCPUs / ${h.pcpus} pCPUs = ${overcommitText(runnable, h.pcpus)}`;
}

/** The compact pCPU strip of the side pane: one glyph per pCPU, groups of 8, wrapped to width. */
export function pcpuStrip(cells: readonly PcpuCell[], width: number): string[] {
  const groups: string[] = [];
  for (let i = 0; i < cells.length; i += 8) groups.push(cells.slice(i, i + 8).map((c) => sparkGlyph(c.util)).join(''));
  const lines: string[] = [];
  let line = '';
  for (const g of groups) {
    if (line && line.length + 1 + g.length > width) {
      lines.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + g;
  }
  if (line) lines.push(line);
  return lines;
}
