// Behaviour through real keypresses on a real Simulation and the CLI's command runner.
import { afterEach, describe, expect, it } from 'vitest';
import { formatDuration, formatKiB } from '../../ui/format';
import { type Harness, renderApp } from './harness';
import { defaultWorld, generatedWorld } from './world';

let h: Harness | null = null;
afterEach(async () => {
  await h?.unmount();
  h = null;
});

/** The table row (text) for a domain in the current frame. */
function row(frame: string, name: string): string {
  return frame.split('\n').find((l) => l.includes(`║`) || new RegExp(`│[▌› ]\\s*[-\\d]+ ${name}\\s`).test(l)) ?? '';
}

async function selectInTable(h: Harness, name: string): Promise<void> {
  await h.press('g');
  for (let i = 0; i < 50 && h.controller.selection().domain?.name !== name; i++) await h.press('j');
  expect(h.controller.selection().domain?.name).toBe(name);
}

describe('behaviour', () => {
  it('navigates, starts a shut-off domain: status shows the virsh equivalent and the row turns running', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const off = w.sim.listDomains().find((d) => d.state === 'shut off' && d.host !== 'old-01')!;
    await selectInTable(h, off.name);
    expect(row(h.lastFrame(), off.name)).toContain('shut off');
    await h.press('s');
    const frame = h.lastFrame();
    expect(frame).toContain(`virsh start ${off.name} → Domain '${off.name}' started`);
    expect(row(frame, off.name)).toContain('running');
    expect(w.sim.lookupDomain(off.name).state).toBe('running');
  });

  it('an illegal action shows the error in the status line, in red, and changes nothing', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const off = w.sim.listDomains().find((d) => d.state === 'shut off')!;
    await selectInTable(h, off.name);
    await h.press('p');
    const status = h.lastFrame().split('\n').find((l) => l.includes(`virsh suspend ${off.name}`))!;
    expect(status).toContain('error:');
    expect(status).toContain('not running');
    expect(h.controller.getState().status?.kind).toBe('error');
    expect(w.sim.lookupDomain(off.name).state).toBe('shut off');
  });

  it('force off asks first; n cancels, y runs destroy', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const on = w.sim.listDomains().find((d) => d.state === 'running' && !d.isDom0)!;
    await selectInTable(h, on.name);
    await h.press('F', 'n');
    expect(w.sim.lookupDomain(on.name).state).toBe('running');
    await h.press('F', 'q'); // q inside the dialog neither quits nor confirms
    expect(h.exited()).toBe(false);
    await h.press('y');
    expect(w.sim.lookupDomain(on.name).state).toBe('shut off');
    expect(h.lastFrame()).toContain(`virsh destroy ${on.name} → Domain '${on.name}' destroyed`);
  });

  it('delete needs the typed name; a wrong name deletes nothing', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const off = w.sim.listDomains().find((d) => d.state === 'shut off')!;
    await selectInTable(h, off.name);
    await h.press('D');
    await h.type('nope');
    await h.press('enter');
    expect(h.lastFrame()).toContain('nothing deleted');
    expect(w.sim.listDomains().some((d) => d.name === off.name)).toBe(true);
    await h.press('D');
    await h.type(off.name);
    await h.press('enter');
    expect(w.sim.listDomains().some((d) => d.name === off.name)).toBe(false);
    expect(h.lastFrame()).toContain(`virsh undefine ${off.name}`);
  });

  it('sorts and filters', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    await h.press('o'); // name → id
    expect(h.lastFrame()).toContain('sort: id ▲');
    await h.press('O');
    expect(h.lastFrame()).toContain('sort: id ▼');
    const ids = h.controller.rows().map((d) => d.id ?? Infinity);
    expect(ids[0]).toBe(Infinity); // inactive (no id) sort last ascending → first descending
    await h.press('/');
    await h.type('shut off');
    await h.press('enter');
    expect(h.controller.rows().length).toBeGreaterThan(0);
    expect(h.controller.rows().every((d) => d.state === 'shut off')).toBe(true);
    expect(h.lastFrame()).toContain('/shut off');
    await h.press('esc');
    expect(h.controller.rows().length).toBe(w.sim.listDomains().length);
  });

  it('palette: q is text, commands run and show their output until Esc; history with ↑', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    await h.press(':');
    await h.type('domstate q');
    expect(h.exited()).toBe(false);
    expect(h.lastFrame()).toContain(': domstate q█');
    for (let i = 0; i < 2; i++) await h.press('backspace');
    await h.press('enter');
    expect(h.lastFrame()).toContain("error: command 'domstate' requires <domain> option");
    await h.press('esc', ':');
    await h.type('list --all');
    await h.press('enter');
    expect(h.lastFrame()).toMatch(/Id\s+Name\s+State/);
    await h.press('esc', ':', 'up');
    expect(h.lastFrame()).toContain(': list --all█');
    await h.press('esc');
    expect(h.controller.getState().palette).toBeNull();
  });

  it('tree: Tab focuses it, ← collapses a host, Enter on a domain selects it in the table', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const before = h.controller.treeRows().length;
    await h.press('tab', 'left');
    expect(h.controller.treeRows().length).toBeLessThan(before);
    expect(h.lastFrame()).toContain('▸ ');
    await h.press('right', 'j', 'enter');
    const picked = h.controller.selection().domain!;
    expect(h.controller.getState().focus).toBe('table');
    expect(picked.host).toBe(w.sim.listHosts()[0].name);
  });

  it('the clock keys go through the command table', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const t0 = w.sim.clock().now;
    await h.press('.');
    expect(w.sim.clock().now).toBe(t0 + 1000);
    await h.press('+');
    expect(w.sim.clock().speed).toBe(10);
    await h.press('space');
    expect(w.sim.clock().paused).toBe(false);
    expect(h.lastFrame()).toContain('virtyard clock resume');
  });

  it('every key reaches onInput first, typed into a field or not (the periodic save waits for a pause)', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    let keys = 0;
    h.controller.onInput = () => keys++;
    await h.press('j');
    await h.press('/');
    await h.press('x');
    await h.press('\x1b');
    expect(keys).toBe(4);
  });

  it('q quits (and Ctrl+C too)', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 80, rows: 24 });
    await h.press('q');
    expect(h.exited()).toBe(true);
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 80, rows: 24 });
    await h.press(':', 'ctrl+c');
    expect(h.exited()).toBe(true);
  });
});

describe('20,000 domains', () => {
  it('renders only the visible rows and moves the cursor without re-sorting', async () => {
    const w = generatedWorld(40, 20_000);
    expect(w.sim.listDomains().length).toBeGreaterThanOrEqual(20_000);
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60 });
    const tableRows = (f: string) => f.split('\n').filter((l) => /^│.*││[▌› ]\s*[-\d]+ \S/.test(l)).length;
    const visible = h.controller.viewport.table;
    expect(tableRows(h.lastFrame())).toBe(visible);
    expect(visible).toBeLessThan(60);
    const sorted = h.controller.rows();
    await h.press('j', 'j', 'pgdn', 'G');
    expect(h.controller.rows()).toBe(sorted); // same memoized array: no re-sort on cursor moves
    expect(tableRows(h.lastFrame())).toBe(visible);
    expect(h.controller.selection().domain).toBe(sorted[sorted.length - 1]);
  });
});

describe('sampled figures', () => {
  it('a new sample shows in the table and the details, with the same snapshots', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 50 });
    // A domain started now: its CPU time reads in seconds, so 30 s of samples show.
    const name = w.sim.listDomains().find((d) => d.state === 'shut off' && d.host !== 'old-01')!.name;
    await selectInTable(h, name);
    await h.press('s');
    const figures = () => {
      const d = w.sim.lookupDomain(name);
      return { cpu: `${Math.round(d.cpuPercent / d.vcpus.current)}%`, time: formatDuration(d.cpuTimeNs / 1e6), used: `${formatKiB(d.memoryUsedKiB)} used` };
    };
    const shown = (f: ReturnType<typeof figures>) => {
      const frame = h!.lastFrame();
      expect(row(frame, name)).toMatch(new RegExp(`\\s${f.cpu}\\s`));
      expect(frame).toContain(`CPU time ${f.time}`);
      expect(frame).toContain(f.used);
    };
    const sample = async (ms: number) => {
      w.sim.advance(ms);
      h!.store.flush();
      await h!.press('j', 'k');
    };
    await sample(5000);
    const before = h.store.getSnapshot().domains;
    const first = figures();
    shown(first);
    await sample(30_000);
    expect(h.store.getSnapshot().domains).toBe(before); // samples alone: the list kept its identity
    expect(figures().time).not.toBe(first.time);
    shown(figures());
  });

  it('a host selected in the tree shows the figures of the latest sample', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 50 });
    await h.press('tab');
    const name = w.sim.listHosts()[0].name;
    const load = () => `${Math.round(w.sim.getHost(name).cpuPercent)}% host CPU`;
    expect(h.controller.selection().host?.name).toBe(name);
    const first = load();
    let changed = false;
    for (let i = 0; i < 20 && !changed; i++) {
      w.sim.advance(5000);
      h.store.flush();
      await h.press('j', 'k');
      changed = load() !== first;
    }
    expect(changed).toBe(true);
    expect(h.lastFrame()).toContain(load());
    expect(h.controller.selection().host).toBe(w.sim.getHost(name));
  });
});

describe('pasted text', () => {
  it('a chunk with text and Enter fills the field and submits', async () => {
    const w = defaultWorld();
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    await h.press('/', 'shut off\r');
    expect(h.controller.getState().dialog).toBeNull();
    expect(h.controller.getState().filter).toBe('shut off');
  });
});
