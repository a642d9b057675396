// Bulk data movement shared by convert, compare, commit and rebase: one reusable read buffer per
// operation (BlockImage.readInto), zero detection by memcmp against a shared zero buffer, and
// writes of whole runs of non-zero clusters (the library allocates them contiguously).
import type { BlockImage } from '../../engine/qcow2/api';

/**
 * Bytes per read request, as qemu-img convert's: large enough for few syscalls, small enough that
 * a chunk read is still in the CPU cache when it is zero-checked and written (8 MiB chunks were up
 * to 3× slower on a busy machine).
 */
export const CHUNK = 2 * 1024 * 1024;

/** Largest qcow2 cluster (2 MiB): any single cluster compares against a view of this. */
const ZERO = Buffer.alloc(2 * 1024 * 1024);

/** Do bytes [start, end) of buf all hold zero? (memcmp, no allocation) */
export function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let s = start; s < end; s += ZERO.length) {
    const e = Math.min(end, s + ZERO.length);
    if (buf.compare(ZERO, 0, e - s, s, e) !== 0) return false;
  }
  return true;
}

/** A reusable read buffer: view(len) hands out the first len bytes (len ≤ capacity). */
export class ReadBuffer {
  private buf: Buffer;
  constructor(capacity = CHUNK) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  /** Reads [off, off+len) of img, reading zeroes beyond its end (a shorter image in a pair). */
  read(img: BlockImage | undefined, off: number, len: number): Buffer {
    if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
    const view = this.buf.subarray(0, len);
    const inside = img ? Math.max(0, Math.min(len, img.virtualSize - off)) : 0;
    if (inside > 0) img!.readInto(off, view.subarray(0, inside));
    if (inside < len) view.fill(0, inside);
    return view;
  }
}

export interface RunSink {
  /** Bytes [start, end) of buf (guest offset base + start) hold data. */
  data(base: number, buf: Buffer, start: number, end: number): void;
  /** Bytes [start, end) are all zero. */
  zero?(base: number, start: number, end: number): void;
}

/**
 * Splits buf (guest offset base, base cluster aligned) into maximal runs of non-zero and all-zero
 * clusters and hands them to sink: one call per run, not per cluster.
 */
export function forEachRun(buf: Buffer, base: number, cluster: number, sink: RunSink): void {
  let runStart = 0;
  let runZero = false;
  for (let c = 0; c < buf.length; c += cluster) {
    const end = Math.min(c + cluster, buf.length);
    const zero = isZero(buf, c, end);
    if (c === 0) runZero = zero;
    else if (zero !== runZero) {
      emit(sink, buf, base, runStart, c, runZero);
      runStart = c;
      runZero = zero;
    }
  }
  if (buf.length) emit(sink, buf, base, runStart, buf.length, runZero);
}

function emit(sink: RunSink, buf: Buffer, base: number, start: number, end: number, zero: boolean): void {
  if (!zero) sink.data(base, buf, start, end);
  else sink.zero?.(base, start, end);
}
