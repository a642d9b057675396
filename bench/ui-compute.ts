// Compute-pane benchmarks: frame time of the per-vCPU load pane (main screen, domain table
// focused) and of the fleet heatmap (L) at 200×60, production React in a child process, like
// bench/ui.ts measures cursor moves — in a generated 1,000-host / 20,000-domain world against the
// default world (target ≤ 1.1×), and against a small generated world that fills the screen too.
// Two kinds of frame each:
//  - cursor move (↓/↑, paused clock): the compute reads are cached per store version, so this is
//    the render cost, as in bench/ui.ts;
//  - fresh data: the store publishes a new version first (as a clock tick does), so every pane
//    re-reads the engine (fleetLoad, vcpuHistory, vcpuPinInfo) before rendering.
// The child routes Ink's imports as dist/virtyard.js does (bench/bundle-routing.ts).
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeInkAsBundle } from './bundle-routing';
import { bestOfInterleaved } from './interleave';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type WorldKind = 'default' | 'fill' | 'big';
type Figures = {
  vcpuMove: number;
  vcpuFresh: number;
  heatMove: number;
  heatFresh: number;
  domains: number;
  hosts: number;
};

// Frames before measuring, then frames measured, per kind of frame. V8 keeps tiering the render
// path up for ~2,000 frames of a screen (heatmap medians per 250 frames: 0.40, 0.29, 0.26, 0.21,
// 0.19 … 0.16 ms from frame 1,750 on, in either world): a median taken earlier measures how soon
// each world's code is optimised, not what a frame costs once the TUI has run for a minute.
const WARM_UP = 2000;
const MEASURED = 200;

/** Child mode: prints the median frame times (ms) for one world. */
async function child(kind: WorldKind): Promise<void> {
  routeInkAsBundle();
  const { defaultWorld, generatedWorld } = await import('../test/ui/world');
  const { renderApp, tick } = await import('../test/ui/harness');
  const w = kind === 'default' ? defaultWorld() : kind === 'fill' ? generatedWorld(60, 300, 11) : generatedWorld(1000, 20_000, 11);
  w.sim.advance(60_000); // a minute of history for the sparklines
  const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60, keepFrames: false });
  let lastWrite = 0;
  const write = h.stdout.write.bind(h.stdout);
  h.stdout.write = (s: string) => {
    lastWrite = performance.now();
    return write(s);
  };
  const frames = async (fresh: boolean): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + MEASURED; i++) {
      const t0 = performance.now();
      lastWrite = 0;
      if (fresh) h.store.flush();
      h.stdin.send(i % 2 ? '\x1b[A' : '\x1b[B');
      if (!lastWrite) await tick();
      if (!lastWrite) throw new Error('no frame after a keypress');
      if (i >= WARM_UP) times.push(lastWrite - t0);
      if (fresh) await tick(); // let the flush's own re-render settle before the next sample
    }
    return median(times);
  };
  const sel = h.controller.selection().domain;
  if (!sel || !(h.lastFrame().includes(`vCPU load (${sel.name},`) || h.lastFrame().includes(`${sel.name}: ${sel.vcpus.current} vCPU`))) {
    throw new Error('no vCPU pane on the main screen');
  }
  const vcpuMove = await frames(false);
  const vcpuFresh = await frames(true);
  await h.press('L');
  if (!h.lastFrame().includes('FLEET LOAD')) throw new Error('no heatmap after L');
  const heatMove = await frames(false);
  const heatFresh = await frames(true);
  const out: Figures = { vcpuMove, vcpuFresh, heatMove, heatFresh, domains: w.sim.listDomains().length, hosts: w.sim.listHosts().length };
  await h.unmount();
  process.stdout.write(JSON.stringify(out) + '\n');
}

function run(kind: WorldKind): Figures {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--ui-compute-child', kind], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`ui-compute bench (${kind}) failed: ${r.stderr.slice(-500)}`);
  return JSON.parse(line);
}

const ROUNDS = 5;

export async function benchUiCompute(report: (line: string) => void): Promise<void> {
  const { default: def, fill, big } = bestOfInterleaved(['default', 'fill', 'big'] as const, ROUNDS, run);
  report(`best of ${ROUNDS} interleaved runs per world (bench/interleave.ts); each run the median of ${MEASURED} frames after ${WARM_UP} of warm-up`);
  const w = (f: Figures) => `${f.hosts} hosts/${f.domains} domains`;
  const line = (what: string, key: keyof Figures) =>
    report(
      `${what}: ${w(big)} ${big[key].toFixed(2)} ms vs default ${def[key].toFixed(2)} ms → ${(big[key] / def[key]).toFixed(2)}× (target ≤ 1.1×); vs ${w(fill)} ${fill[key].toFixed(2)} ms → ${(big[key] / fill[key]).toFixed(2)}×`,
    );
  line('vCPU pane, cursor-move frame 200×60', 'vcpuMove');
  line('vCPU pane, fresh-data frame 200×60', 'vcpuFresh');
  line('heatmap, cursor-move frame 200×60', 'heatMove');
  line('heatmap, fresh-data frame 200×60', 'heatFresh');
}

// No top-level await: this module is also imported by bench/run.ts.
if (process.argv.includes('--ui-compute-child')) {
  child(process.argv[process.argv.indexOf('--ui-compute-child') + 1] as WorldKind).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
