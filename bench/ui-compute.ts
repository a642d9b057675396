// Compute-pane benchmarks: frame time of the per-vCPU load pane (main screen, domain table
// focused) and of the fleet heatmap (L) at 200×60, production React in a child process per world,
// like bench/ui.ts measures cursor moves — a generated 1,000-host / 20,000-domain world against the
// default world (target ≤ 1.1×), and against a small generated world that fills the screen too.
// In every world the cursor moves between two running domains of the vCPU counts the default world
// starts on (the pane draws a bar and a sparkline per vCPU: a pair of bigger guests is more to
// draw, not a bigger world). Two kinds of frame each:
//  - cursor move (↓/↑, paused clock): the compute reads are cached per store version, so this is
//    the render cost, as in bench/ui.ts;
//  - fresh data: the store publishes a new version first (as a clock tick does), so every pane
//    re-reads the engine (fleetLoad, vcpuHistory, vcpuPinInfo) before rendering.
// The children run in lockstep: each steps BATCH frames in turn while the others wait. This
// machine's speed flips between two levels (~1.7× apart) from one turn to the next, whichever
// world is running, so a world's figure is its best turn's median: the frame time at the fast
// level, over thirty turns interleaved with the other worlds'. (Whole runs one after another, or
// medians over every frame, put that flip into the ratio: up to 2×. Shorter turns start colder
// from the other worlds' turns: at 10–20 frames a turn that, not the frame, set the figure.)
// Each world keeps its own process and heap, as each would in the product.
// The child routes Ink's imports as dist/virtyard.js does (bench/bundle-routing.ts).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { routeInkAsBundle } from './bundle-routing';
import { median } from './interleave';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type WorldKind = 'default' | 'fill' | 'big';
type FrameKind = 'vcpuMove' | 'vcpuFresh' | 'heatMove' | 'heatFresh';
const FRAME_KINDS: FrameKind[] = ['vcpuMove', 'vcpuFresh', 'heatMove', 'heatFresh'];

// Frames before measuring, then frames measured, per kind of frame. V8 keeps tiering the render
// path up for ~2,000 frames of a screen (heatmap medians per 250 frames: 0.40, 0.29, 0.26, 0.21,
// 0.19 … 0.16 ms from frame 1,750 on, in either world): a median taken earlier measures how soon
// each world's code is optimised, not what a frame costs once the TUI has run for a minute.
const WARM_UP = 2000;
const MEASURED = 3000;
/** Frames a child steps per turn. */
const BATCH = 100;

type Command = { op: 'align'; pair: Pair } | { op: 'heatmap' } | { op: 'frames'; fresh: boolean; n: number } | { op: 'quit' };
/** The vCPU counts of the two domains the cursor moves between: where it starts, and the row below. */
type Pair = [number, number];

const DOWN = '\x1b[B';
const UP = '\x1b[A';

/** Child mode: answers the parent's commands, one JSON line each. */
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
  let i = 0;
  const frames = async (fresh: boolean, n: number): Promise<number[]> => {
    const times: number[] = [];
    for (let k = 0; k < n; k++, i++) {
      const t0 = performance.now();
      lastWrite = 0;
      if (fresh) h.store.flush();
      h.stdin.send(i % 2 ? UP : DOWN);
      if (!lastWrite) await tick();
      if (!lastWrite) throw new Error('no frame after a keypress');
      times.push(lastWrite - t0);
      if (fresh) await tick(); // let the flush's own re-render settle before the next sample
    }
    return times;
  };
  const shown = () => {
    const sel = h.controller.selection().domain;
    if (!sel || !(h.lastFrame().includes(`vCPU load (${sel.name},`) || h.lastFrame().includes(`${sel.name}: ${sel.vcpus.current} vCPU`))) {
      throw new Error('no vCPU pane on the main screen');
    }
    return sel.state === 'running' ? sel.vcpus.current : -1;
  };
  const first = shown();
  await h.press(DOWN);
  const pair: Pair = [first, shown()];
  await h.press(UP);
  // Moves the cursor down to a running domain of pair[0] vCPUs with one of pair[1] below it, so
  // every world's pane draws as many bars and sparklines as the default world's.
  const align = async ([a, b]: Pair) => {
    let prev = shown();
    for (let k = 0; k < 5000; k++) {
      await h.press(DOWN);
      const cur = shown();
      if (prev === a && cur === b) return h.press(UP);
      prev = cur;
    }
    throw new Error(`no running ${a}-vCPU domain above a running ${b}-vCPU one`);
  };
  const answer = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  answer({ domains: w.sim.listDomains().length, hosts: w.sim.listHosts().length, pair });
  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line) as Command;
    if (cmd.op === 'quit') break;
    if (cmd.op === 'align') {
      await align(cmd.pair);
      answer({});
    } else if (cmd.op === 'heatmap') {
      await h.press('L');
      if (!h.lastFrame().includes('FLEET LOAD')) throw new Error('no heatmap after L');
      answer({});
    } else answer({ times: await frames(cmd.fresh, cmd.n) });
  }
  await h.unmount();
  process.exit(0);
}

// Every child runs on the same CPU (taskset, where there is one), so the worlds compare on one
// CPU's caches and speed. Unpinned, three runs in a row gave the heatmap's fresh-data frame 1.04×,
// 0.98× and 1.24×; pinned, 0.99×, 0.96× and 1.01×.
function pinnedCpu(): string | null {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0 ? String(availableParallelism() - 1) : null;
}

/** A world's child process and its line protocol. */
class World {
  private readonly proc: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(
    readonly kind: WorldKind,
    pin: string | null,
  ) {
    const node = [process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--ui-compute-child', kind];
    const [cmd, ...args] = pin ? ['taskset', '-c', pin, ...node] : node;
    this.proc = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    this.proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    this.proc.on('exit', (code) => {
      if (code) process.stderr.write(`ui-compute child (${kind}) exited ${code}: ${err}\n`);
    });
    this.lines = createInterface({ input: this.proc.stdout! })[Symbol.asyncIterator]();
  }

  /** The child's next answer. */
  async next<T>(): Promise<T> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`ui-compute child (${this.kind}) ended early`);
    return JSON.parse(r.value) as T;
  }

  async call<T>(cmd: Command): Promise<T> {
    this.proc.stdin!.write(JSON.stringify(cmd) + '\n');
    return this.next<T>();
  }

  quit(): void {
    this.proc.stdin!.end(JSON.stringify({ op: 'quit' }) + '\n');
  }
}

/** Per world, per kind of frame, its best turn's median frame time (ms). */
async function measure(worlds: World[]): Promise<Map<World, Record<FrameKind, number>>> {
  const out = new Map(worlds.map((w) => [w, {} as Record<FrameKind, number>]));
  for (const kind of FRAME_KINDS) {
    if (kind === 'heatMove') for (const w of worlds) await w.call({ op: 'heatmap' });
    const fresh = kind.endsWith('Fresh');
    const times = new Map(worlds.map((w) => [w, [] as number[]]));
    for (let done = 0; done < WARM_UP + MEASURED; done += BATCH) {
      for (const w of worlds) {
        const { times: t } = await w.call<{ times: number[] }>({ op: 'frames', fresh, n: BATCH });
        if (done >= WARM_UP) times.get(w)!.push(median(t));
      }
    }
    for (const w of worlds) out.get(w)![kind] = Math.min(...times.get(w)!);
  }
  return out;
}

export async function benchUiCompute(report: (line: string) => void): Promise<void> {
  const pin = pinnedCpu();
  const worlds = (['default', 'fill', 'big'] as const).map((k) => new World(k, pin));
  try {
    const sizes = await Promise.all(worlds.map((w) => w.next<{ domains: number; hosts: number; pair: Pair }>()));
    const [a, b] = sizes[0].pair;
    if (a < 0 || b < 0) throw new Error('the default world does not start on two running domains');
    for (const w of worlds.slice(1)) await w.call({ op: 'align', pair: [a, b] });
    const figures = await measure(worlds);
    const [def, fill, big] = worlds.map((w) => figures.get(w)!);
    const [, fillSize, bigSize] = sizes;
    report(
      `the three worlds in lockstep, ${BATCH} frames a turn, ${MEASURED} frames each after ${WARM_UP} of warm-up; each figure a world's best of ${MEASURED / BATCH} turn medians; ` +
        `in every world the cursor moves between running domains of ${a} and ${b} vCPUs`,
    );
    const w = (s: { hosts: number; domains: number }) => `${s.hosts} hosts/${s.domains} domains`;
    const line = (what: string, key: FrameKind) =>
      report(
        `${what}: ${w(bigSize)} ${big[key].toFixed(3)} ms vs default ${def[key].toFixed(3)} ms → ${(big[key] / def[key]).toFixed(2)}× (target ≤ 1.1×); ` +
          `vs ${w(fillSize)} ${fill[key].toFixed(3)} ms → ${(big[key] / fill[key]).toFixed(2)}×`,
      );
    line('vCPU pane, cursor-move frame 200×60', 'vcpuMove');
    line('vCPU pane, fresh-data frame 200×60', 'vcpuFresh');
    line('heatmap, cursor-move frame 200×60', 'heatMove');
    line('heatmap, fresh-data frame 200×60', 'heatFresh');
  } finally {
    for (const w of worlds) w.quit();
  }
}

// No top-level await: this module is also imported by bench/run.ts.
if (process.argv.includes('--ui-compute-child')) {
  child(process.argv[process.argv.indexOf('--ui-compute-child') + 1] as WorldKind).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
