// Compute presenters over plain data: bar cells, sparkline glyphs, the per-vCPU pane model, the
// heatmap's grouping and aggregation at 1,000 hosts, the pCPU grid, virt-top sorting, the forms.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../ui/format';
import type { DomainInfo, DomainSamples, FleetLoad, HostCpuMap, HostInfo } from '../../../engine/index';
import { cellAt, groupFleet, heatCells, heatColumns } from '../../../ui/panes/heatmap/presenter';
import { gridLayout, memoryModel, pcpuCellText, pcpuCells, pcpuStrip } from '../../../ui/panes/hostcpu/presenter';
import { sortTop, topCell, topColumns, topRows } from '../../../ui/panes/top/presenter';
import { balloonForm, formCommand, moveIn, nextField, pinForm, sizeKiB, typeInto, workloadForm, backspace } from '../../../ui/panes/vcpu/forms';
import { vcpuLineText, vcpuModel, vcpuTitle } from '../../../ui/panes/vcpu/presenter';
import { indexFleet } from '../../../ui/panes/vcpu/reads';
import { barCells, levelOf, sparkGlyph, sparkline } from '../../../ui/widgets/bars';

function host(name: string, pcpus: number, extra: Partial<HostInfo> = {}): HostInfo {
  return {
    name, hypervisor: 'kvm', hypervisorVersion: 'QEMU 7.2.0',
    cpu: { model: 'Xeon', vendor: 'intel', sockets: 1, cores: pcpus, threads: 1, mhz: 2000, hvm: true },
    pcpus, memoryKiB: 64 * 1024 ** 2, memoryUsedKiB: 16 * 1024 ** 2, memoryLimitKiB: 96 * 1024 ** 2, overcommitRatio: 1.5,
    cpuPercent: 40, memoryResidentKiB: 8 * 1024 ** 2, memoryCommitRatio: 0.25, memoryPressure: 'none',
    interfaces: ['eth0'], domains: 1, runningDomains: 1, runnableVcpus: 4, ...extra,
  };
}

function domain(name: string, hostName: string, vcpus: number, extra: Partial<DomainInfo> = {}): DomainInfo {
  return {
    uuid: `uuid-${hostName}-${name}`, name, id: 3, host: hostName, hypervisor: 'kvm', guestType: 'hvm', state: 'running', reason: 'booted',
    persistent: true, autostart: false, managedSave: false, isDom0: false, os: 'debian12', osName: 'Debian 12', arch: 'x86_64',
    machine: 'q35', firmware: 'bios', vcpus: { current: vcpus, max: vcpus, configCurrent: vcpus, configMax: vcpus },
    memory: { currentKiB: 2 * 1024 ** 2, maxKiB: 4 * 1024 ** 2, configCurrentKiB: 2 * 1024 ** 2, configMaxKiB: 4 * 1024 ** 2 },
    onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy', disks: [], nics: [], workload: 'database',
    startedAt: 0, cpuTimeNs: 5e12, cpuPercent: 100, memoryUsedKiB: 1024 ** 2, ...extra,
  };
}

describe('bars and sparklines', () => {
  it('a bar is exactly its width: busy █, steal ▒, free ░', () => {
    expect(barCells(0.5, 0.25, 8)).toEqual({ busy: '████', steal: '▒▒', free: '░░' });
    expect(barCells(0, 0, 5)).toEqual({ busy: '', steal: '', free: '░░░░░' });
    expect(barCells(1, 0.5, 4)).toEqual({ busy: '████', steal: '', free: '' });
    // Small non-zero values still show a cell; out-of-range input is clamped.
    expect(barCells(0.01, 0.01, 10)).toEqual({ busy: '█', steal: '▒', free: '░'.repeat(8) });
    expect(barCells(-3, Number.NaN, 3).free).toBe('░░░');
    for (const [b, s] of [[0.33, 0.2], [0.99, 0.01], [0.5, 0.5]]) {
      const c = barCells(b, s, 13);
      expect(c.busy.length + c.steal.length + c.free.length).toBe(13);
    }
  });

  it('sparkline glyphs map eighths of the range; null is blank; newest on the right', () => {
    expect(sparkGlyph(0)).toBe('▁');
    expect(sparkGlyph(0.124)).toBe('▁');
    expect(sparkGlyph(0.125)).toBe('▂');
    expect(sparkGlyph(0.5)).toBe('▅');
    expect(sparkGlyph(0.875)).toBe('█');
    expect(sparkGlyph(1)).toBe('█');
    expect(sparkGlyph(7)).toBe('█');
    expect(sparkline([0, 25, 50, 75, 100], 5)).toBe('▁▃▅▇█');
    expect(sparkline([null, 100], 4)).toBe('   █');
    expect(sparkline([10, 20, 30, 40, 50, 60], 3)).toBe('▄▅▅');
    expect(sparkline([], 0)).toBe('');
  });

  it('levels: low < 50 % ≤ mid < 80 % ≤ high', () => {
    expect([0.49, 0.5, 0.79, 0.8].map(levelOf)).toEqual(['low', 'mid', 'mid', 'high']);
  });
});

describe('per-vCPU pane model', () => {
  const h = host('kvm-01', 32);
  const d = domain('db-01', 'kvm-01', 4);
  const reads = {
    pins: ['0-31', '0-31', '2-3', '0-31'],
    history: { domain: 'db-01', intervalMs: 1000, times: [1, 2, 3], cpuPercent: [1, 2, 3], vcpus: [0, 1, 2, 3].map((v) => ({ busy: [10 * v, 50, 90], steal: [0, 0, 0] })) },
    load: { domain: 'db-01', host: 'kvm-01', cpuPercent: 200, stealPercent: 12, busy: [0.81, 0.92, 0.5, 0.77], steal: [0.03, 0.09, 0.01, 0.05] },
  };

  it('header line names the domain, vCPUs, host, pCPUs and overcommit', () => {
    expect(vcpuTitle(d, h, 51)).toBe('vCPU load (db-01, 4 vCPUs on kvm-01, 32 pCPUs, 1.6× over)');
    expect(vcpuTitle(d, h, 6)).toBe('vCPU load (db-01, 4 vCPUs on kvm-01, 32 pCPUs, 0.19×, fits)');
    expect(vcpuTitle(d, h, 51, 40)).toBe('db-01: 4 vCPUs · kvm-01 32p · 1.6× over');
  });

  it('one row per vCPU: bar, percent, sparkline, steal, pinning', () => {
    const m = vcpuModel(d, h, 51, reads, 66, 10);
    expect(m.rows).toHaveLength(4);
    expect(m.more).toBe(0);
    expect(m.note).toBeNull();
    const lines = m.rows.map((r) => vcpuLineText(r, m.layout));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(66);
    expect(lines[0]).toMatch(/^0 █+▒+░* {2}81% +▁▅█ steal +3% 0-31$/);
    expect(lines[2]).toMatch(/^2 █+▒+░+ {2}50% +▂▅█ steal +1% 2-3 *$/);
    expect(m.rows[2].pinned).toBe(true);
    expect(m.rows[0].pinned).toBe(false);
  });

  it('a short pane shows fewer vCPUs and "+N more"; a narrow one drops the sparkline, never the bar', () => {
    const m = vcpuModel(d, h, 51, reads, 34, 3);
    expect(m.rows).toHaveLength(2);
    expect(m.more).toBe(2);
    const narrow = vcpuModel(d, h, 51, reads, 20, 5);
    expect(narrow.layout.spark).toBe(0);
    expect(narrow.layout.bar).toBeGreaterThanOrEqual(3);
    for (const r of narrow.rows) expect(vcpuLineText(r, narrow.layout).length).toBeLessThanOrEqual(20);
    expect(vcpuModel(d, h, 51, reads, 24, 5).layout.spark).toBeGreaterThan(0);
  });

  it('an inactive domain says why there is no load and shows the configured pinning', () => {
    const off = domain('db-01', 'kvm-01', 2, { id: null, state: 'shut off' });
    const m = vcpuModel(off, h, 0, { pins: ['1', '0-31'], history: null, load: null }, 60, 6);
    expect(m.note).toContain('shut off');
    expect(vcpuLineText(m.rows[0], m.layout)).toMatch(/^0 ░+ +- .* 1 *$/);
  });
});

describe('fleet heatmap', () => {
  // 1,000 hosts × 20 domains × 5 vCPUs = 100,000 vCPUs; busy = a known pattern.
  const hosts = Array.from({ length: 1000 }, (_, i) => host(`host-${String(i).padStart(4, '0')}`, 32));
  const busyOf = (h: number, d: number, v: number) => ((h * 7 + d * 3 + v) % 10) / 10;
  const load: FleetLoad = {
    time: 0,
    rows: hosts.flatMap((h, hi) =>
      Array.from({ length: 20 }, (_, d) => ({
        domain: `vm-${d}`, host: h.name, cpuPercent: 0, stealPercent: 0,
        busy: [0, 1, 2, 3, 4].map((v) => busyOf(hi, d, v)),
        steal: [0, 0, 0, 0, 0.5],
      })),
    ),
  };
  const groups = groupFleet(load, hosts);

  it('groups every host in order, its vCPUs end to end', () => {
    expect(groups).toHaveLength(1000);
    expect(groups[999].host).toBe('host-0999');
    expect(groups[5].busy).toHaveLength(100);
    expect(groups[5].starts).toEqual(Array.from({ length: 20 }, (_, d) => d * 5));
    expect(groups[5].load).toBeCloseTo(groups[5].busy.reduce((a, b) => a + b, 0) / 32, 5);
  });

  it('per-vCPU cells with a blank between domains when they fit', () => {
    const c = heatCells(groups[0], 200, 'max', 'busy');
    expect(c.perCell).toBe(1);
    expect(c.values).toHaveLength(100);
    expect(c.text).toHaveLength(100 + 19);
    expect(c.text.split(' ')).toHaveLength(20);
    expect(cellAt(groups[0], c, 7)).toEqual({ domain: 'vm-1', vcpu: 2, count: 1 });
  });

  it('aggregates k vCPUs per cell (max or mean) when a host does not fit; rows never exceed the width', () => {
    const cols = heatColumns(groups, 120);
    expect(cols.cells).toBeLessThan(100);
    for (const g of groups) {
      const c = heatCells(g, cols.cells, 'max', 'busy');
      expect(c.text.length).toBeLessThanOrEqual(cols.cells);
    }
    const g = groups[3];
    const max = heatCells(g, 40, 'max', 'busy');
    const mean = heatCells(g, 40, 'mean', 'busy');
    expect(max.perCell).toBe(3);
    expect(max.values).toHaveLength(34);
    for (let c = 0; c < max.values.length; c++) {
      const part = Array.from(g.busy.slice(c * 3, c * 3 + 3));
      expect(max.values[c]).toBeCloseTo(Math.max(...part), 5);
      expect(mean.values[c]).toBeCloseTo(part.reduce((a, b) => a + b, 0) / part.length, 5);
    }
    expect(cellAt(g, max, 2)).toEqual({ domain: 'vm-1', vcpu: 1, count: 3 });
    const steal = heatCells(g, 40, 'max', 'steal');
    expect(steal.values.some((v) => v === 0.5)).toBe(true);
  });

  it('a host without running domains has an empty row; grouping keeps it', () => {
    const g = groupFleet({ time: 0, rows: [] }, [host('empty', 8)]);
    expect(heatCells(g[0], 50, 'max', 'busy').values).toEqual([]);
  });
});

describe('host view', () => {
  const map: HostCpuMap = {
    host: 'kvm-01', intervalMs: 1000, times: [1, 2], vcpuOvercommit: 1.5,
    pcpus: Array.from({ length: 16 }, (_, p) => ({
      cpu: p, utilisation: p / 16, history: [p * 6, null],
      occupants: p === 3 ? [{ domain: 'web-01', thread: 'emulator', share: 0.1 }, { domain: 'db-01', thread: 2, share: 0.5 }] : [],
    })),
  };

  it('pCPU cells list the threads that ran there, busiest first', () => {
    const cells = pcpuCells(map);
    expect(cells[3].threads).toEqual(['db-01/2', 'web-01/emu']);
    const g = gridLayout(16, 196);
    expect(g.cols).toBe(4);
    expect(g.cellWidth * g.cols + 2 * (g.cols - 1)).toBeLessThanOrEqual(196);
    const text = pcpuCellText(cells[3], g);
    expect(text).toMatch(/^p3 +█+░+ +19% .* db-01\/2 web-01\/emu$/);
    expect(text.length).toBeLessThanOrEqual(g.cellWidth);
    expect(pcpuCellText(cells[0], g)).toContain('idle');
  });

  it('a cell too narrow for every thread names how many more ran there', () => {
    const busy = { cpu: 0, util: 1, history: [], threads: Array.from({ length: 9 }, (_, i) => `domain-${i}/0`) };
    const g = gridLayout(2, 100);
    const text = pcpuCellText(busy, g);
    expect(text.length).toBeLessThanOrEqual(g.cellWidth);
    expect(text).toMatch(/\+\d+$/);
  });

  it('the strip shows one glyph per pCPU in groups of 8', () => {
    expect(pcpuStrip(pcpuCells(map), 80)).toEqual(['▁▁▂▂▃▃▄▄ ▅▅▆▆▇▇██']);
    expect(pcpuStrip(pcpuCells(map), 10)).toHaveLength(2);
  });

  it('the memory bar splits resident, committed and free', () => {
    const m = memoryModel(host('kvm-01', 16), 32);
    expect(m.bar).toEqual({ busy: '████', steal: '▒▒▒▒', free: '░'.repeat(24) });
    expect(m.text).toContain('16.0 GiB committed (25% of RAM)');
    expect(m.text).toContain('limit 96.0 GiB');
    expect(m.pressure).toBe('none');
  });
});

describe('virt-top table', () => {
  const hosts = [host('a', 8), host('b', 8)];
  const ds = [
    domain('x', 'a', 2, { cpuPercent: 50 }),
    domain('y', 'b', 4, { cpuPercent: 150, memory: { currentKiB: 8 * 1024 ** 2, maxKiB: 8 * 1024 ** 2, configCurrentKiB: 0, configMaxKiB: 0 } }),
    domain('z', 'a', 1, { cpuPercent: 10, id: null, state: 'shut off' }),
  ];
  const fleet = indexFleet({ time: 0, rows: [{ domain: 'x', host: 'a', cpuPercent: 50, stealPercent: 20, busy: [], steal: [] }] });
  // Fixtures hold their own figures; a later sample says x is the busiest.
  const own: DomainSamples = { cpuPercent: (d) => d.cpuPercent, cpuTimeNs: (d) => d.cpuTimeNs, memoryUsedKiB: (d) => d.memoryUsedKiB };
  const later: DomainSamples = { ...own, cpuPercent: (d) => (d.name === 'x' ? 190 : d.cpuPercent), cpuTimeNs: (d) => (d.name === 'x' ? 7e10 : d.cpuTimeNs) };

  it('active domains only, with steal from the fleet sample', () => {
    const rows = topRows(ds, hosts, fleet, own);
    expect(rows.map((r) => r.d.name)).toEqual(['x', 'y']);
    expect(topCell(rows[0], 'steal')).toBe('20.0');
    expect(topCell(rows[1], 'steal')).toBe('-');
    expect(topCell(rows[1], 'mem')).toBe('12.5');
  });

  it('sorts by any column, both ways', () => {
    const rows = topRows(ds, hosts, fleet, own);
    expect(sortTop(rows, { key: 'cpu', desc: true }).map((r) => r.d.name)).toEqual(['y', 'x']);
    expect(sortTop(rows, { key: 'steal', desc: true }).map((r) => r.d.name)).toEqual(['x', 'y']);
    expect(sortTop(rows, { key: 'name', desc: true }).map((r) => r.d.name)).toEqual(['y', 'x']);
    expect(sortTop(rows, { key: 'vcpu', desc: false }).map((r) => r.d.name)).toEqual(['x', 'y']);
  });

  it('CPU% and CPU time are the samples', () => {
    const rows = topRows(ds, hosts, fleet, later);
    expect(sortTop(rows, { key: 'cpu', desc: true }).map((r) => r.d.name)).toEqual(['x', 'y']);
    expect(topCell(rows[0], 'cpu')).toBe('190.0');
    expect(topCell(rows[0], 'time')).toBe(formatDuration(7e4));
  });

  it('columns fit the width, the name survives longest', () => {
    for (const w of [30, 77, 120, 197]) {
      const cols = topColumns(w);
      expect(cols.reduce((n, c) => n + c.width, 0) + cols.length - 1).toBeLessThanOrEqual(w);
      expect(cols.some((c) => c.key === 'name')).toBe(true);
    }
    expect(topColumns(197).map((c) => c.key)).toContain('time');
  });
});

describe('compute dialogs', () => {
  const h = host('kvm-01', 32);
  const d = domain('db-01', 'kvm-01', 4);

  it('workload picker: arrows and initials pick a profile → workload D P', () => {
    let f = workloadForm(d, h);
    expect(formCommand(f)).toEqual({ line: 'workload db-01 database' });
    f = moveIn(f, 1);
    expect(formCommand(f)).toEqual({ line: 'workload db-01 build' });
    f = typeInto(f, 'c');
    expect(formCommand(f)).toEqual({ line: 'workload db-01 cpu-burn' });
    f = moveIn(moveIn(f, -1), -1);
    f = typeInto(typeInto(f, 'i'), 'x');
    expect(formCommand(f)).toEqual({ line: 'workload db-01 idle' });
  });

  it('vcpupin form: vCPU and cpulist → vcpupin D N LIST; bad fields say why', () => {
    let f = pinForm(d, h, ['0-31']);
    expect(f.fields[1]).toMatchObject({ value: '0-31' });
    f = nextField(f, 1); // vCPU field
    f = typeInto(backspace(f), '3');
    f = nextField(f, 1);
    for (let i = 0; i < 4; i++) f = backspace(f);
    f = typeInto(f, '2-3,^2');
    expect(formCommand(f)).toEqual({ line: 'vcpupin db-01 3 2-3,^2' });
    const bad = (vcpu: string, list: string) => {
      const g = { ...f, fields: [{ kind: 'text' as const, label: 'vCPU', value: vcpu }, { kind: 'text' as const, label: 'pCPUs', value: list }] };
      return formCommand(g);
    };
    expect(bad('4', '1')).toEqual({ error: "vCPU '4' is not a vCPU of this domain (0–3)" });
    expect(bad('x', '1')).toMatchObject({ error: expect.stringContaining("vCPU 'x'") });
    expect(bad('0', '1-')).toMatchObject({ error: expect.stringContaining('not a cpulist') });
    expect(bad('0', '0,32')).toMatchObject({ error: expect.stringContaining('names pCPU 32') });
    expect(bad('0', 'r')).toEqual({ line: 'vcpupin db-01 0 r' });
  });

  it('balloon form: a size → setmem D SIZE, within the maximum', () => {
    const f = balloonForm(d, h);
    expect(formCommand(f)).toEqual({ line: 'setmem db-01 2048M' });
    const set = (v: string) => formCommand({ ...f, fields: [{ kind: 'text', label: 'Size', value: v }] });
    expect(set('3G')).toEqual({ line: 'setmem db-01 3G' });
    expect(set('5G')).toMatchObject({ error: expect.stringContaining('above the maximum memory 4.0 GiB') });
    expect(set('lots')).toMatchObject({ error: expect.stringContaining('not a size') });
    expect(set('0')).toMatchObject({ error: expect.stringContaining('more than zero') });
    expect(sizeKiB('1536M')).toBe(1536 * 1024);
    expect(sizeKiB('2048')).toBe(2048);
    expect(sizeKiB('1GB')).toBe(Math.floor(1e9 / 1024));
  });
});
