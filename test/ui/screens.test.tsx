// Golden frames of the main screen and its overlays on the default world with a PAUSED clock
// (deterministic), ANSI stripped. UPDATE_GOLDENS=1 rewrites them; read a rewritten golden before
// committing it. Frame height ≤ rows − 1 at several sizes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, renderApp } from './harness';
import { defaultWorld } from './world';

const GOLDENS = join(__dirname, 'goldens');
let h: Harness | null = null;
afterEach(async () => {
  await h?.unmount();
  h = null;
});

function golden(name: string, frame: string): void {
  const file = join(GOLDENS, `${name}.txt`);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) {
    if (process.env.CI === 'true') throw new Error(`golden ${name}.txt missing (CI never writes goldens)`);
    mkdirSync(GOLDENS, { recursive: true });
    writeFileSync(file, frame + '\n');
  }
  expect(frame + '\n').toBe(readFileSync(file, 'utf8'));
}

async function open(columns: number, rows: number): Promise<Harness> {
  const { sim, runner } = defaultWorld();
  h = await renderApp({ conn: sim, runner, columns, rows });
  return h;
}

describe('golden frames', () => {
  it('main screen 80×24', async () => {
    const h = await open(80, 24);
    golden('main-80x24', h.lastFrame());
  });

  it('main screen 200×60', async () => {
    const h = await open(200, 60);
    golden('main-200x60', h.lastFrame());
  });

  it('help screen', async () => {
    const h = await open(120, 40);
    await h.press('?');
    golden('help-120x40', h.lastFrame());
    expect(h.lastFrame()).toContain('HELP');
  });

  it('palette with completions', async () => {
    const h = await open(120, 40);
    await h.press(':');
    await h.type('s');
    await h.press('tab');
    golden('palette-120x40', h.lastFrame());
    expect(h.lastFrame()).toMatch(/start\s+shutdown|shutdown\s+start/);
  });

  it('confirm dialog for force off', async () => {
    const h = await open(120, 40);
    await h.press('F');
    golden('confirm-120x40', h.lastFrame());
    expect(h.lastFrame()).toContain('runs: virsh destroy');
  });

  it('filtered table', async () => {
    const h = await open(120, 40);
    await h.press('/');
    await h.type('xen');
    await h.press('enter');
    golden('filtered-120x40', h.lastFrame());
    expect(h.lastFrame()).toContain('/xen');
  });
});

describe('frame height stays below the terminal height', () => {
  for (const [c, r] of [
    [80, 24],
    [120, 40],
    [200, 60],
    [250, 80],
  ]) {
    it(`${c}×${r}: main, help, palette, dialog`, async () => {
      const h = await open(c, r);
      const check = () => {
        const lines = h.lastFrame().split('\n');
        expect(lines.length).toBeLessThanOrEqual(r - 1);
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(c);
      };
      check();
      await h.press('?');
      check();
      await h.press('esc', ':');
      check();
      await h.press('esc', 'D');
      check();
    });
  }

  it('re-lays out on resize', async () => {
    const h = await open(200, 60);
    expect(h.lastFrame().split('\n')).toHaveLength(59);
    await h.resize(100, 30);
    const lines = h.lastFrame().split('\n');
    expect(lines).toHaveLength(29);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});
