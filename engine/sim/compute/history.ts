// Bounded history of the scheduler's samples in typed-array rings: per-vCPU busy and steal, per-domain
// CPU%, per-pCPU utilisation, 300 samples at 1 s (the last five minutes of virtual time).
// Percentages are quantised to 0.5 % in bytes (domain CPU% to 0.1 % in 16 bits) so 100,000 vCPUs
// cost 60 MB, not 240. History is not persisted: a reloaded world starts a fresh window, and a
// long jump of the clock (integrated in chunks, not second by second) starts one too.

export const HISTORY_SAMPLES = 300;
export const HISTORY_INTERVAL_MS = 1000;
const NONE8 = 255;
const NONE16 = 65535;

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
  busy: Uint8Array = new Uint8Array(0);
  steal: Uint8Array = new Uint8Array(0);
  dom: Uint16Array = new Uint16Array(0);
  private rowsUsed = 0;
  private drowsUsed = 0;
  private free = new Map<number, number[]>();
  private freeD: number[] = [];

  constructor(readonly pcpus: number) {
    this.pcpu = new Uint8Array(pcpus * HISTORY_SAMPLES).fill(NONE8);
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
    if (list && list.length) row = list.pop()!;
    else {
      row = this.rowsUsed;
      this.rowsUsed += n;
      if (this.rowsUsed * this.S > this.busy.length) {
        const grown = Math.max(this.rowsUsed * this.S, this.busy.length * 2);
        this.busy = grow8(this.busy, grown);
        this.steal = grow8(this.steal, grown);
      }
    }
    this.busy.fill(NONE8, row * this.S, (row + n) * this.S);
    this.steal.fill(NONE8, row * this.S, (row + n) * this.S);
    let drow: number;
    if (this.freeD.length) drow = this.freeD.pop()!;
    else {
      drow = this.drowsUsed++;
      if (this.drowsUsed * this.S > this.dom.length) {
        const next = new Uint16Array(Math.max(this.drowsUsed * this.S, this.dom.length * 2)).fill(NONE16);
        next.set(this.dom);
        this.dom = next;
      }
    }
    this.dom.fill(NONE16, drow * this.S, (drow + 1) * this.S);
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

  static pct8(fraction: number): number {
    const v = Math.round(fraction * 200);
    return v < 0 ? 0 : v > 200 ? 200 : v;
  }

  static read8(v: number): number | null {
    return v === NONE8 ? null : v / 2;
  }

  static pct16(percent: number): number {
    const v = Math.round(percent * 10);
    return v < 0 ? 0 : v > 65534 ? 65534 : v;
  }

  static read16(v: number): number | null {
    return v === NONE16 ? null : v / 10;
  }
}

export const NO_SAMPLE8 = NONE8;

function grow8(a: Uint8Array, size: number): Uint8Array {
  const next = new Uint8Array(size).fill(NONE8);
  next.set(a);
  return next;
}
