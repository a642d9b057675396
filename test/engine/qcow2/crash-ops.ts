// The deterministic write sequence shared by the crash writer and the crash test's verifier.
import { pattern, rng } from './helpers';

export interface CrashOp {
  off: number;
  len: number;
  data: () => Buffer;
}

/** Non-overlapping writes at increasing offsets with unaligned sizes and gaps (never revisited). */
export function crashOps(size: number): CrashOp[] {
  const r = rng(4242);
  const ops: CrashOp[] = [];
  let pos = 0;
  for (let i = 0; ; i++) {
    pos += Math.floor(r() * 3000);
    const len = 1 + Math.floor(r() * 6000);
    if (pos + len > size) break;
    const seed = i;
    ops.push({ off: pos, len, data: () => pattern(len, seed) });
    pos += len;
  }
  return ops;
}
