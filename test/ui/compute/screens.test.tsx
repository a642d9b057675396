// The compute panes and screens through real keypresses on a real Simulation (paused clock, 30 s
// of history): golden frames at 80×24 and 200×60 (ANSI stripped, footer hints left out — the main
// goldens cover them), frame height ≤ rows − 1 on every screen, keys that build virsh lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../ui/runner';
import { type Harness, renderApp } from '../harness';
import { type TestWorld, defaultWorld, generatedWorld } from '../world';

const GOLDENS = join(__dirname, 'goldens');
let h: Harness | null = null;
afterEach(async () => {
  await h?.unmount();
  h = null;
});

function golden(name: string, frame: string): void {
  const body = frame.split('\n').slice(0, -1).join('\n') + '\n';
  const file = join(GOLDENS, `${name}.txt`);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) {
    if (process.env.CI === 'true') throw new Error(`golden ${name}.txt missing (CI never writes goldens)`);
    mkdirSync(GOLDENS, { recursive: true });
    writeFileSync(file, body);
  }
  expect(body).toBe(readFileSync(file, 'utf8'));
}

/** The real runner, recording every line it is asked to run. */
function recording(w: TestWorld): { runner: CommandRunner; lines: string[] } {
  const lines: string[] = [];
  return { lines, runner: { ...w.runner, run: (l) => (lines.push(l), w.runner.run(l)), complete: w.runner.complete, commands: w.runner.commands } };
}

async function open(columns: number, rows: number, w: TestWorld = defaultWorld()) {
  w.sim.advance(30_000);
  const rec = recording(w);
  h = await renderApp({ conn: w.sim, runner: rec.runner, columns, rows });
  return { h, w, lines: rec.lines };
}

async function select(h: Harness, name: string): Promise<void> {
  await h.press('g');
  for (let i = 0; i < 60 && h.controller.selection().domain?.name !== name; i++) await h.press('j');
  expect(h.controller.selection().domain?.name).toBe(name);
}

function fits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
}

describe('golden frames (default world, paused clock)', () => {
  for (const [c, r] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`vCPU load pane beside the details, ${c}×${r}`, async () => {
      const { h } = await open(c, r);
      await select(h, 'db-01');
      const f = h.lastFrame();
      expect(f).toContain(c >= 120 ? 'vCPU load (db-01, 4 vCPUs on kvm-01, 32 pCPUs,' : 'db-01: 4 vCPUs · kvm-01 32p');
      golden(`vcpu-${c}x${r}`, f);
    });

    it(`host summary for a host in the tree, and the host view, ${c}×${r}`, async () => {
      const { h } = await open(c, r);
      await h.press('tab', 'g');
      expect(h.lastFrame()).toMatch(c >= 120 ? /host kvm-01 \(32 pCPUs, 6 vCPUs, 0\.19×, fits\)/ : /kvm-01: 32p · 6 vCPUs · 0\.19×/);
      golden(`host-side-${c}x${r}`, h.lastFrame());
      await h.press('H');
      expect(h.lastFrame()).toContain('HOST kvm-01');
      golden(`hostcpu-${c}x${r}`, h.lastFrame());
    });

    it(`virt-top and heatmap screens, ${c}×${r}`, async () => {
      const { h } = await open(c, r);
      await h.press('t');
      golden(`top-${c}x${r}`, h.lastFrame());
      await h.press('t', 'L');
      golden(`heatmap-${c}x${r}`, h.lastFrame());
    });
  }

  it('the workload picker', async () => {
    const { h } = await open(120, 40);
    await select(h, 'web-01');
    await h.press('w');
    golden('workload-120x40', h.lastFrame());
  });
});

describe('frames stay below the terminal height on every compute screen', () => {
  for (const [c, r] of [
    [80, 24],
    [120, 40],
    [200, 60],
    [60, 16],
  ] as const) {
    it(`${c}×${r}`, async () => {
      const { h } = await open(c, r);
      await select(h, 'build-01'); // 8 vCPUs: more than an 80×24 pane holds
      fits(h.lastFrame(), c, r);
      for (const keys of [['w'], ['esc', 'P'], ['esc', 'b'], ['esc', 't'], ['w'], ['esc', 'L'], ['enter'], ['esc', 'tab', 'g']]) {
        await h.press(...keys);
        fits(h.lastFrame(), c, r);
      }
    });
  }

  it('an 8-vCPU domain at 80×24 shows "+N more"', async () => {
    const { h } = await open(80, 24);
    await select(h, 'build-01');
    expect(h.lastFrame()).toMatch(/\+\d more vCPUs/);
  });
});

describe('keys build virsh command lines', () => {
  it('w picks a workload → workload D P, and the engine has it', async () => {
    const { h, w, lines } = await open(120, 40);
    await select(h, 'db-01');
    await h.press('w', 'down', 'down', 'enter');
    expect(lines).toEqual(['workload db-01 cpu-burn']);
    expect(w.sim.lookupDomain('db-01').workload).toBe('cpu-burn');
    expect(h.lastFrame()).toContain("virsh workload db-01 cpu-burn → Domain 'db-01' workload set to cpu-burn");
    expect(h.controller.getState().dialog).toBeNull();
  });

  it('Esc cancels a dialog: nothing runs', async () => {
    const { h, lines } = await open(120, 40);
    await select(h, 'db-01');
    await h.press('w', 'down', 'esc', 'b', 'esc', 'P', 'esc');
    expect(lines).toEqual([]);
  });

  it('P pins a vCPU → vcpupin D N LIST', async () => {
    const { h, lines } = await open(120, 40);
    await select(h, 'db-01');
    await h.press('P', 'tab', 'backspace');
    await h.type('2');
    await h.press('tab');
    for (let i = 0; i < 5; i++) await h.press('backspace');
    await h.type('4-5');
    await h.press('enter');
    expect(lines).toEqual(['vcpupin db-01 2 4-5']);
  });

  it('a bad field keeps the dialog open with the reason and runs nothing', async () => {
    const { h, lines } = await open(120, 40);
    await select(h, 'db-01');
    await h.press('P', 'tab', 'backspace');
    await h.type('9');
    await h.press('enter');
    expect(lines).toEqual([]);
    expect(h.lastFrame()).toContain("vCPU '9' is not a vCPU of this domain (0–3) — nothing changed");
    await h.press('b');
    expect(h.controller.getState().dialog?.kind).toBe('form');
  });

  it('b balloons → setmem D SIZE; the guest sees the new size', async () => {
    const { h, w, lines } = await open(120, 40);
    await select(h, 'db-01');
    await h.press('b');
    for (let i = 0; i < 6; i++) await h.press('backspace');
    await h.type('6G');
    await h.press('enter');
    expect(lines).toEqual(['setmem db-01 6G']);
    expect(w.sim.lookupDomain('db-01').memory.currentKiB).toBe(6 * 1024 ** 2);
    // Above the maximum: refused before running.
    await h.press('b');
    for (let i = 0; i < 6; i++) await h.press('backspace');
    await h.type('64G');
    await h.press('enter');
    expect(lines).toHaveLength(1);
    expect(h.lastFrame()).toContain('above the maximum memory');
  });

  it('domain keys act on the row under the cursor of virt-top and of the heatmap', async () => {
    const { h, lines } = await open(200, 60);
    await h.press('t');
    const first = h.controller.selection().domain!;
    expect(h.lastFrame()).toMatch(/%CPU▼/);
    await h.press('j');
    const second = h.controller.selection().domain!;
    expect(second.cpuPercent).toBeLessThanOrEqual(first.cpuPercent);
    await h.press('w', 'enter');
    expect(lines[0]).toBe(`workload ${second.name} ${second.workload}`);
    await h.press('L', 'G');
    const sel = h.controller.selection();
    expect(sel.host?.name).toBe('old-01');
    expect(sel.domain?.host).toBe('old-01');
    await h.press('enter');
    expect(h.lastFrame()).toContain('HOST old-01');
  });

  it('virt-top sorts by every column with o, O flips', async () => {
    const { h } = await open(200, 60);
    await h.press('t');
    const seen = new Set<string>();
    for (let i = 0; i < 11; i++) {
      const s = h.controller.getState().compute.top.sort;
      seen.add(s.key);
      await h.press('o');
    }
    expect(seen.size).toBe(11);
    const before = h.controller.getState().compute.top.sort.desc;
    await h.press('O');
    expect(h.controller.getState().compute.top.sort.desc).toBe(!before);
  });
});

describe('fleet heatmap at 1,000 hosts', () => {
  it('one row per host, aggregated to fit, scrollable to the last host', async () => {
    const { h } = await open(200, 60, generatedWorld(1000, 3000, 5));
    await h.press('L');
    let f = h.lastFrame();
    expect(f).toMatch(/1000 hosts · \d+ active domains/);
    fits(f, 200, 60);
    await h.press('G');
    f = h.lastFrame();
    expect(f).toMatch(/of 1000 hosts/);
    expect(h.controller.getState().compute.heat.row).toBe(999);
    await h.press('v');
    expect(h.lastFrame()).toContain('aggregated cells: mean');
  });
});
