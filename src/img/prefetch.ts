// Read-ahead for bulk copies out of a raw file. qemu-img convert overlaps source reads with
// target writes on its thread pool; a synchronous Node copy cannot, so a worker thread reads the
// next chunks into shared buffers while the main thread zero-checks and writes the current one.
// Slots are handed over with Atomics (the main thread blocks in Atomics.wait, never spins).
import { Worker } from 'node:worker_threads';

/** Chunks the reader has to produce, in the order the caller will ask for them. */
export type Chunk = readonly [offset: number, length: number];

const EMPTY = 0;
const FULL = 1;
const FAILED = 2;
const SLOTS = 4;
/** A stalled worker must not hang the command forever. */
const WAIT_MS = 60_000;

// Plain CommonJS: eval'd workers need no file on disk (the CLI ships as one bundle).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, chunks, bufs, ctrl, err } = workerData;
const state = new Int32Array(ctrl);
const views = bufs.map((b) => Buffer.from(b));
let fd = -1;
try {
  fd = fs.openSync(file, 'r');
  for (let i = 0; i < chunks.length; i++) {
    const s = i % views.length;
    while (Atomics.load(state, s) !== ${EMPTY}) Atomics.wait(state, s, ${FULL});
    const [off, len] = chunks[i];
    let done = 0;
    while (done < len) {
      const n = fs.readSync(fd, views[s], done, len - done, off + done);
      if (n === 0) { views[s].fill(0, done, len); break; }
      done += n;
    }
    Atomics.store(state, s, ${FULL});
    Atomics.notify(state, s);
  }
} catch (e) {
  Buffer.from(err).write(String(e && e.code ? e.code : e).slice(0, 200));
  for (let s = 0; s < views.length; s++) { Atomics.store(state, s, ${FAILED}); Atomics.notify(state, s); }
} finally {
  if (fd >= 0) fs.closeSync(fd);
}
`;

export class Prefetcher {
  private readonly worker: Worker;
  private readonly state: Int32Array;
  private readonly views: Buffer[];
  private readonly err: SharedArrayBuffer;
  private next = 0;
  private held = -1;

  constructor(private readonly file: string, private readonly chunks: Chunk[]) {
    const size = Math.max(1, ...chunks.map((c) => c[1]));
    const bufs = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(size));
    const ctrl = new SharedArrayBuffer(4 * SLOTS);
    this.err = new SharedArrayBuffer(256);
    this.state = new Int32Array(ctrl);
    this.views = bufs.map((b) => Buffer.from(b));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, chunks, bufs, ctrl, err: this.err } });
    this.worker.unref(); // never keeps the process alive; close() ends it early
  }

  /** The next chunk's bytes (valid until the following call); off/len must follow the chunk list. */
  read(off: number, len: number): Buffer {
    const i = this.next;
    const c = this.chunks[i];
    if (!c || c[0] !== off || c[1] !== len) throw new Error(`read-ahead out of order at offset ${off}`);
    this.release();
    const s = i % SLOTS;
    for (;;) {
      const st = Atomics.load(this.state, s);
      if (st === FULL) break;
      if (st === FAILED) throw new Error(`${this.file}: read failed: ${Buffer.from(this.err).toString().replace(/\0+$/, '')}`);
      if (Atomics.wait(this.state, s, EMPTY, WAIT_MS) === 'timed-out') throw new Error(`${this.file}: read-ahead stalled`);
    }
    this.held = s;
    this.next++;
    return this.views[s].subarray(0, len);
  }

  private release(): void {
    if (this.held < 0) return;
    Atomics.store(this.state, this.held, EMPTY);
    Atomics.notify(this.state, this.held);
    this.held = -1;
  }

  close(): void {
    this.release();
    void this.worker.terminate();
  }
}
