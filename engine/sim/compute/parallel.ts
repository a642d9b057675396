// Runs a step's hosts on several threads. Hosts are independent within a step (step.ts), so a
// layout is cut into blocks of about equal thread counts, many more blocks than threads: thread k
// (this one is 0, each compute worker (worker.ts) one of the others) steps block k, then claims the
// next unclaimed block from a shared counter until none is left, all over the same
// SharedArrayBuffers (shared.ts). A thread the OS holds back, or one slower for its caches, just
// claims fewer blocks: the step ends when the last block does, not when the slowest fixed half
// does. The result is the serial one, bit for bit, whichever thread stepped which block: the
// engine stays deterministic (test/engine/compute/parallel.test.ts).
//
// A step is a few milliseconds, so the hand-off is synchronous: the parameters go into a shared
// block, Atomics.notify wakes the worker and Atomics.wait waits for it. A worker that has not
// started yet (it loads in the background) has its first block stepped here instead; a worker's
// script that cannot be found leaves every step to this thread.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { HISTORY_GRID, type History, type HistoryGrid } from './history';
import { type Hot, STEP_HOT } from './hot';
import { type Layout, type Span, STEP_LAYOUT, type StepLayout } from './layout';
import * as shared from './shared';
import { type StepParams, stepSpan } from './step';

/** Below this many threads a step is too short for a hand-off to pay (automatic mode). */
const PARALLEL_MIN_THREADS = 20_000;
const MAX_WORKERS = 3;
/** A worker that does not answer in this long is gone (a bug, not a slow machine). */
const WORKER_TIMEOUT_MS = 60_000;

// The control block: ready flag, step sequence number, last step done, error flag, arrays generation.
const READY = 0;
const SEQ = 1;
const DONE = 2;
const ERROR = 3;
const GEN = 4;
export const CONTROL = { READY, SEQ, DONE, ERROR, GEN, SIZE: 5 } as const;
/** The parameter block: t, at, spanNs, slot, published, the step's block count, this thread's block. */
export const PARAMS = 7;
/** Blocks per stepping thread: the most a thread can be left waiting for the others is about one. */
const BLOCKS_PER_THREAD = 24;

/** What a worker is handed when the arrays change (a new layout or history rings). */
export interface WorkerArrays {
  gen: number;
  layout: Pick<Layout, (typeof STEP_LAYOUT)[number]>;
  hot: Pick<Hot, (typeof STEP_HOT)[number]>;
  hist: HistoryGrid;
}

/** The worker's script: the bundle's, or (running from source) the one the build put in dist/. */
function workerScript(): URL | null {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../../dist/compute-worker.js', here) : new URL('./compute-worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

class Helper {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl = shared.i32(CONTROL.SIZE);
  private readonly params = shared.f64(PARAMS);
  private seq = 0;
  private gen = 0;
  private sent: { l: Layout; hist: History; histGen: number } | null = null;

  constructor(script: URL, claim: Int32Array) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(script, { workerData: { ctrl: this.ctrl, params: this.params, claim, port: port2 }, transferList: [port2] });
    // Neither keeps the process alive: a finished CLI command or test exits as it would without them.
    this.worker.unref();
    this.port.unref();
  }

  get ready(): boolean {
    return Atomics.load(this.ctrl, READY) === 1;
  }

  /** Starts the worker on block `first` and then on claimed ones; false if the worker is not up yet. */
  start(l: Layout, x: Hot, hist: History, p: StepParams, blocks: number, first: number): boolean {
    if (!this.ready) return false;
    const histGen = hist.generation;
    if (!this.sent || this.sent.l !== l || this.sent.hist !== hist || this.sent.histGen !== histGen) {
      const msg: WorkerArrays = {
        gen: ++this.gen,
        layout: pick(l, STEP_LAYOUT),
        hot: pick(x, STEP_HOT),
        hist: pick(hist, HISTORY_GRID),
      };
      this.port.postMessage(msg);
      Atomics.store(this.ctrl, GEN, this.gen);
      this.sent = { l, hist, histGen };
    }
    const q = this.params;
    q[0] = p.t;
    q[1] = p.at;
    q[2] = p.spanNs;
    q[3] = p.slot;
    q[4] = p.published ? 1 : 0;
    q[5] = blocks;
    q[6] = first;
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.ctrl, SEQ, this.seq);
    Atomics.notify(this.ctrl, SEQ);
    return true;
  }

  /** Waits for the started step. */
  finish(): void {
    for (;;) {
      const done = Atomics.load(this.ctrl, DONE);
      if (done === this.seq) break;
      if (Atomics.wait(this.ctrl, DONE, done, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error('compute worker: no answer to a step');
    }
    if (Atomics.load(this.ctrl, ERROR)) {
      const m = receiveMessageOnPort(this.port);
      throw new Error(`compute worker: ${m ? String(m.message) : 'failed'}`);
    }
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

/** Spans of about E / n threads each, on host boundaries (the same on every thread). */
export function split(l: StepLayout, n: number): Span[] {
  const H = l.hostPcpus.length;
  const E = l.hostEntStart[H];
  const spans: Span[] = [];
  let h0 = 0;
  for (let k = 1; k <= n; k++) {
    let h1 = h0;
    const goal = k === n ? E + 1 : Math.round((E * k) / n);
    while (h1 < H && (k === n || l.hostEntStart[h1 + 1] <= goal)) h1++;
    spans.push({ h0, h1, d0: l.hostDomStart[h0], d1: l.hostDomStart[h1] });
    h0 = h1;
  }
  return spans;
}

/**
 * Steps block `first` of `spans`, then the blocks claimed from `claim` (the next unclaimed block's
 * index) until every block is claimed.
 */
export function stepBlocks(l: StepLayout, x: Hot, hist: HistoryGrid, p: StepParams, spans: Span[], first: number, claim: Int32Array): void {
  if (first < spans.length) stepSpan(l, x, hist, p, spans[first]);
  for (;;) {
    const b = Atomics.add(claim, 0, 1);
    if (b >= spans.length) return;
    stepSpan(l, x, hist, p, spans[b]);
  }
}

/** How a world's steps are being shared out (benchmarks and tests read it). */
export interface StepPoolStats {
  /** Compute workers started (0 until a step needs them, or when the world is too small). */
  workers: number;
  /** Of those, the ones that have loaded and take blocks. */
  ready: number;
  /** Steps a worker took part in so far (each one steps at least its first block). */
  offloaded: number;
}

export class StepPool {
  private helpers: Helper[] | null = null;
  private spans: { l: Layout; spans: Span[] } | null = null;
  /** The index of the next unclaimed block of the current step. */
  private readonly claim = shared.i32(1);
  private offloaded = 0;

  /** workers: how many compute workers to use whatever the world's size; undefined: automatic. */
  constructor(private readonly workers?: number) {}

  run(l: Layout, x: Hot, hist: History, p: StepParams): void {
    const helpers = this.helpersFor(l);
    if (!helpers.length && l.entDom.length < PARALLEL_MIN_THREADS) {
      const H = l.hostPcpus.length;
      stepSpan(l, x, hist, p, { h0: 0, h1: H, d0: 0, d1: l.hostDomStart[H] });
      return;
    }
    const threads = helpers.length + 1;
    if (this.spans?.l !== l) this.spans = { l, spans: split(l, threads * BLOCKS_PER_THREAD) };
    const spans = this.spans.spans;
    if (!helpers.length) {
      // A big world on this thread alone still goes block by block: each pass is then called
      // many times a step and compiled on entry, not left to on-stack replacement of one call.
      for (const s of spans) stepSpan(l, x, hist, p, s);
      return;
    }
    // Every thread's first block is its own; the claims start after them.
    Atomics.store(this.claim, 0, threads);
    const started = helpers.map((w, k) => w.start(l, x, hist, p, spans.length, k + 1));
    started.forEach((ok, k) => {
      if (!ok && k + 1 < spans.length) stepSpan(l, x, hist, p, spans[k + 1]);
    });
    stepBlocks(l, x, hist, p, spans, 0, this.claim);
    helpers.forEach((w, k) => {
      if (started[k]) {
        w.finish();
        this.offloaded++;
      }
    });
  }

  stats(): StepPoolStats {
    const helpers = this.helpers ?? [];
    return { workers: helpers.length, ready: helpers.filter((w) => w.ready).length, offloaded: this.offloaded };
  }

  private helpersFor(l: Layout): Helper[] {
    const auto = this.workers === undefined;
    if (auto && l.entDom.length < PARALLEL_MIN_THREADS) return [];
    if (this.helpers === null) {
      const n = auto ? Math.min(MAX_WORKERS, availableParallelism() - 1) : Math.max(0, this.workers!);
      const script = n > 0 ? workerScript() : null;
      this.helpers = script ? Array.from({ length: n }, () => new Helper(script, this.claim)) : [];
    }
    return this.helpers;
  }
}
