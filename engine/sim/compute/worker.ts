// A compute worker (parallel.ts): steps its first block of hosts and then the blocks it claims,
// over the shared arrays, whenever the step sequence number moves; its own scratch and TickLoad,
// nothing else of its own.
// Bundled by esbuild.config.mjs as dist/compute-worker.js.

import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Hot, sizeScratch } from './hot';
import type { Span } from './layout';
import { CONTROL, split, stepBlocks, type WorkerArrays } from './parallel';

const { ctrl, params, claim, port } = workerData as { ctrl: Int32Array; params: Float64Array; claim: Int32Array; port: MessagePort };
const x = new Hot();
let arrays: WorkerArrays | null = null;
/** The blocks of the current arrays, for a step of that many blocks. */
let blocks: Span[] = [];

/** The arrays of generation `gen` (posted just before the step that needs them). */
function receive(gen: number): WorkerArrays {
  while (!arrays || arrays.gen !== gen) {
    const m = receiveMessageOnPort(port);
    if (!m) {
      Atomics.wait(ctrl, CONTROL.READY, 1, 1); // the message is on its way: yield a moment
      continue;
    }
    arrays = m.message as WorkerArrays;
    Object.assign(x, arrays.hot);
    sizeScratch(arrays.layout, x);
    blocks = [];
  }
  return arrays;
}

Atomics.store(ctrl, CONTROL.READY, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, CONTROL.SEQ, seen);
  seen = Atomics.load(ctrl, CONTROL.SEQ);
  try {
    const a = receive(Atomics.load(ctrl, CONTROL.GEN));
    const q = params;
    if (blocks.length !== q[5]) blocks = split(a.layout, q[5]);
    stepBlocks(a.layout, x, a.hist, { t: q[0], at: q[1], spanNs: q[2], slot: q[3], published: q[4] === 1 }, blocks, q[6], claim);
  } catch (e) {
    port.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
    Atomics.store(ctrl, CONTROL.ERROR, 1);
  }
  Atomics.store(ctrl, CONTROL.DONE, seen);
  Atomics.notify(ctrl, CONTROL.DONE);
}
