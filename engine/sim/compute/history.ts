// Bounded history of the scheduler's samples in typed-array rings: per-vCPU busy and steal, per-domain
// CPU%, per-pCPU utilisation, 300 samples at 1 s (the last five minutes of virtual time). The rings
// are slot-major (all rows of one sample are contiguous): a step writes 100,000 bytes in a row
// instead of one per cache line; reading one domain's history is the rare, strided access.
// Percentages are quantised to 0.5 % in bytes (domain CPU% to 0.1 % in 16 bits) so 100,000 vCPUs
// cost 60 MB, not 240. History is not persisted: a reloaded world starts a fresh window, and a
// long jump of the clock (integrated in chunks, not second by second) starts one too.

import * as shared from './shared';

export const HISTORY_SAMPLES = 300;
export const HISTORY_INTERVAL_MS = 1000;
const NONE8 = 255;
const NONE16 = 65535;

/** What a step writes of the history: the rings (shared with the compute workers) and their strides. */
export const HISTORY_GRID = ['pcpu', 'busy', 'steal', 'dom', 'R', 'RD', 'pcpus'] as const;
export type HistoryGrid = Pick<History, (typeof HISTORY_GRID)[number]>;

interface Rows {
  row: number;
  n: number;
  drow: number;
}

export class History {
  readonly S = HISTORY_SAMPLES;
  readonly times = new Float64Array(HISTORY_SAMPLES);
  /** Samples held (≤ S) and the slot the next one goes to. */
  count = 0;
  head = 0;
  pcpu: Uint8Array;
  busy: Uint8Array = shared.u8(0);
  steal: Uint8Array = shared.u8(0);
  dom: Uint16Array = shared.u16(0);
  /** Bumped whenever the rings are reallocated (a compute worker must be handed the new ones). */
  generation = 0;
  private rowsUsed = 0;
  private drowsUsed = 0;
  /** Row capacity of busy/steal and of dom (the stride of one slot). */
  R = 0;
  RD = 0;
  private free = new Map<number, number[]>();
  private freeD: number[] = [];

  constructor(readonly pcpus: number) {
    this.pcpu = shared.u8(pcpus * HISTORY_SAMPLES).fill(NONE8);
  }

  /** Forget every sample (rows stay allocated). */
  clear(): void {
    this.count = 0;
    this.head = 0;
    this.pcpu.fill(NONE8);
    this.busy.fill(NONE8);
    this.steal.fill(NONE8);
    this.dom.fill(NONE16);
  }

  /** Rows for a domain with up to n vCPUs, empty (no samples yet). */
  alloc(n: number): Rows {
    let row: number;
    const list = this.free.get(n);
    let reused = false;
    if (list && list.length) {
      row = list.pop()!;
      reused = true;
    } else {
      row = this.rowsUsed;
      this.rowsUsed += n;
      if (this.rowsUsed > this.R) {
        const R = Math.max(this.rowsUsed, this.R * 2, 64);
        this.busy = regrid8(this.busy, this.R, R, this.S);
        this.steal = regrid8(this.steal, this.R, R, this.S);
        this.R = R;
        this.generation++;
      }
    }
    // Fresh rows were never written (the grid starts empty); a reused row holds its last owner's samples.
    for (let s = 0; reused && s < this.S; s++) {
      this.busy.fill(NONE8, s * this.R + row, s * this.R + row + n);
      this.steal.fill(NONE8, s * this.R + row, s * this.R + row + n);
    }
    let drow: number;
    let reusedD = false;
    if (this.freeD.length) {
      drow = this.freeD.pop()!;
      reusedD = true;
    } else {
      drow = this.drowsUsed++;
      if (this.drowsUsed > this.RD) {
        const RD = Math.max(this.drowsUsed, this.RD * 2, 64);
        const next = shared.u16(RD * this.S).fill(NONE16);
        for (let s = 0; s < this.S; s++) next.set(this.dom.subarray(s * this.RD, (s + 1) * this.RD), s * RD);
        this.dom = next;
        this.RD = RD;
        this.generation++;
      }
    }
    for (let s = 0; reusedD && s < this.S; s++) this.dom[s * this.RD + drow] = NONE16;
    return { row, n, drow };
  }

  release(r: Rows): void {
    if (!this.free.has(r.n)) this.free.set(r.n, []);
    this.free.get(r.n)!.push(r.row);
    this.freeD.push(r.drow);
  }

  /** Opens the slot of a new sample at time t and returns it. */
  begin(t: number): number {
    const slot = this.head;
    this.times[slot] = t;
    this.head = (slot + 1) % this.S;
    if (this.count < this.S) this.count++;
    return slot;
  }

  /** Slot indexes of the held samples, oldest first. */
  slots(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.count; k++) out.push((this.head - this.count + k + this.S) % this.S);
    return out;
  }

  static read8(v: number): number | null {
    return v === NONE8 ? null : v / 2;
  }

  static read16(v: number): number | null {
    return v === NONE16 ? null : v / 10;
  }
}

export const NO_SAMPLE8 = NONE8;

/** A slot-major grid with a wider row stride, the old rows kept. */
function regrid8(a: Uint8Array, R: number, R2: number, S: number): Uint8Array {
  const next = shared.u8(R2 * S).fill(NONE8);
  for (let s = 0; s < S && R > 0; s++) next.set(a.subarray(s * R, (s + 1) * R), s * R2);
  return next;
}
