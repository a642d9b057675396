// The table and tree draw column by column (ui/widgets/Columns.tsx). A domain defined through
// XML may be named anything: wide or combining characters must not shift the other rows, and a
// control character must not add a line or reach the terminal.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, renderApp } from './harness';
import { defaultWorld } from './world';

let h: Harness | null = null;
afterEach(async () => {
  await h?.unmount();
  h = null;
});

/** Terminal columns of a string (enough for this test: CJK/fullwidth are 2, combining marks 0). */
function columns(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x300 && cp <= 0x36f) continue;
    n += (cp >= 0x3000 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xff60) ? 2 : 1;
  }
  return n;
}

/** Screen column where each table row's State cell starts. */
function stateColumns(frame: string): number[] {
  return frame
    .split('\n')
    .map((l) => /(running|shut off|paused) {2,}(kvm|xen|old)-/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => columns(m.input.slice(0, m.index)));
}

describe('column-drawn table and tree', () => {
  it('keeps every row aligned whatever the names are made of', async () => {
    const w = defaultWorld();
    expect(w.runner.run('domrename cirros-01 漢字ｗｅｂ-01').exitCode).toBe(0);
    expect(w.runner.run('domrename old-win e\u0301te\u0301-win').exitCode).toBe(0);
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    const frame = h.lastFrame();
    expect(frame).toContain('漢字ｗｅｂ-01');
    const at = stateColumns(frame);
    expect(at.length).toBe(12);
    expect(new Set(at).size).toBe(1);
    expect(frame.split('\n').length).toBeLessThanOrEqual(39);
  });

  it('shows control characters in a name as "?" (no extra line, no escape code)', async () => {
    const w = defaultWorld();
    // The command line takes a quoted name with a real ESC and newline in it.
    expect(w.runner.run("domrename cirros-01 'evil\x1b[2Jna\nme'").exitCode).toBe(0);
    const name = w.sim.listDomains().find((d) => d.name.startsWith('evil'))!.name;
    expect(name).toBe('evil\x1b[2Jna\nme');
    h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    expect(h.rawFrame()).not.toContain('\x1b[2J');
    expect(h.lastFrame()).toContain('evil?[2Jna?me');
    expect(new Set(stateColumns(h.lastFrame())).size).toBe(1);
  });
});
