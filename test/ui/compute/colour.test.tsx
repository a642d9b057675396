// The vCPU load pane in colour (FORCE_COLOR before the UI loads: this file runs in its own
// process): bars in their level's colour, steal magenta, free cells dim, pinned vCPUs bold,
// sparklines coloured by their latest sample — the raw frame's vCPU pane, escape codes included.
// The fleet heatmap too: the selected row bold (and inverse when focused), each host's load in its
// level's colour, the cursor cell inverse.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

process.env.FORCE_COLOR = '1';
const { renderApp } = await import('../harness');
const { generatedWorld } = await import('../world');

/** A raw frame's lines (escape codes included) against goldens/NAME.txt, written on the first run outside CI. */
function matchRawGolden(name: string, body: string): void {
  const file = join(__dirname, 'goldens', `${name}.txt`);
  if (!existsSync(file)) {
    if (process.env.CI === 'true') throw new Error(`golden ${name}.txt missing (CI never writes goldens)`);
    writeFileSync(file, body);
  }
  expect(body).toBe(readFileSync(file, 'utf8'));
}

it('vCPU pane colours (raw frame, 200×60, an overcommitted host, one vCPU pinned)', async () => {
  const w = generatedWorld(3, 60, 5);
  const d = w.sim
    .listDomains()
    .filter((x) => x.state === 'running' && x.vcpus.current >= 4)
    .sort((a, b) => a.name.localeCompare(b.name))[0];
  expect(w.runner.run(`vcpupin ${d.name} 1 0-1`).exitCode).toBe(0);
  w.sim.advance(30_000);
  const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60 });
  await h.press('g');
  for (let i = 0; i < 80 && h.controller.selection().domain?.name !== d.name; i++) await h.press('j');
  expect(h.controller.selection().domain?.name).toBe(d.name);
  // The pane's lines: from its title down to its bottom border, right of the details pane.
  const raw = h.rawFrame().split('\n');
  const top = raw.findIndex((l) => l.includes(`${d.name}: ${d.vcpus.current} vCPUs`));
  expect(top).toBeGreaterThan(0);
  const body = raw.slice(top, top + 12).join("\n") + "\n";
  expect(body).toMatch(/\x1b\[3[123]m█/); // a busy run in its level's colour
  expect(body).toMatch(/\x1b\[2m░/); // free cells dim
  matchRawGolden('vcpu-colour-200x60', body);
  await h.unmount();
});

it('heatmap colours (raw frame, 200×60): selected row bold and inverse, load coloured by level, the cursor cell inverse', async () => {
  const w = generatedWorld(12, 120, 5);
  w.sim.advance(30_000);
  const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60 });
  await h.press('L');
  await h.press('j');
  await h.press('l');
  const raw = h.rawFrame().split('\n');
  const top = raw.findIndex((l) => l.includes('FLEET LOAD'));
  expect(top).toBeGreaterThanOrEqual(0);
  const body = raw.slice(top, top + 16).join('\n') + '\n';
  expect(body).toMatch(/\x1b\[7m[▁▂▃▄▅▆▇█]\x1b\[27m/); // the cursor cell
  expect(body).toMatch(/\x1b\[3[123]m +\d+% /); // a host's load in its level's colour
  matchRawGolden('heatmap-colour-200x60', body);
  await h.unmount();
});

it('main screen colours (raw frame, 200×60): host labels bold, states coloured in the tree and the table, the selected rows', async () => {
  const w = generatedWorld(3, 60, 5);
  w.sim.advance(30_000);
  const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60 });
  await h.press('j');
  const body = h.rawFrame() + '\n';
  expect(body).toMatch(/\x1b\[32m ● running\x1b\[39m/); // a running domain's state in green (tree)
  expect(body).toMatch(/\x1b\[32mrunning\x1b\[39m/); // and in the table
  matchRawGolden('main-colour-200x60', body);
  await h.unmount();
});
