// Deterministic operation sequences shared by the crash writer (child process) and the crash
// test's verifier, plus the in-memory model of what the guest disk and snapshots must contain.
import { pattern, rng } from './helpers';

export type CrashOp =
  | { kind: 'write'; off: number; len: number; seed: number }
  | { kind: 'zero'; off: number; len: number; unmap: boolean }
  | { kind: 'discard'; off: number; len: number }
  | { kind: 'resize'; size: number }
  | { kind: 'snapshot' | 'apply' | 'delete'; name: string };

export interface Scenario {
  /** seq: fresh, never revisited regions (the original test); mixed: overwrites, zeroes, resizes, snapshots. */
  kind: 'seq' | 'mixed';
  cs: number;
  compat: '1.1' | '0.10';
  refcountBits: number;
  size: number;
  ops: number;
  /** Plain writes are followed by a flush every `every` ops (snapshot ops and resize flush themselves). */
  every: number;
  seed: number;
  /** L2 cache budget in bytes passed to openImage (small values force evictions). */
  l2CacheSize?: number;
}

export function makeOps(sc: Scenario): CrashOp[] {
  return sc.kind === 'seq' ? seqOps(sc) : mixedOps(sc);
}

/** Non-overlapping writes at increasing offsets with unaligned sizes and gaps (never revisited). */
function seqOps(sc: Scenario): CrashOp[] {
  const r = rng(sc.seed);
  const ops: CrashOp[] = [];
  let pos = 0;
  for (let i = 0; i < sc.ops; i++) {
    pos += Math.floor(r() * 3000);
    const len = 1 + Math.floor(r() * 6000);
    if (pos + len > sc.size) break;
    ops.push({ kind: 'write', off: pos, len, seed: i });
    pos += len;
  }
  return ops;
}

/** Random overwrites, zeroing, discards, grows/shrinks (L1 moves) and snapshot create/apply/delete. */
function mixedOps(sc: Scenario): CrashOp[] {
  const r = rng(sc.seed);
  const span = sc.cs * (sc.cs / 8); // guest bytes one L2 table maps
  const ops: CrashOp[] = [];
  let size = sc.size;
  const snaps = new Map<string, number>(); // name → disk size
  const range = () => {
    const off = Math.floor((r() * size) / 512) * 512 + (r() < 0.5 ? Math.floor(r() * 512) : 0);
    const len = Math.max(1, Math.min(size - off, 1 + Math.floor(r() * sc.cs * (r() < 0.2 ? 40 : 3))));
    return { off, len };
  };
  for (let i = 0; ops.length < sc.ops; i++) {
    const w = r();
    if (w < 0.5) ops.push({ kind: 'write', ...range(), seed: sc.seed * 100000 + i });
    else if (w < 0.58) ops.push({ kind: 'zero', ...range(), unmap: r() < 0.5 });
    else if (w < 0.65) ops.push({ kind: 'discard', ...range() });
    else if (w < 0.75) {
      if (snaps.size >= 2) continue;
      const name = `s${i}`;
      snaps.set(name, size);
      ops.push({ kind: 'snapshot', name });
    } else if (w < 0.82) {
      if (!snaps.size) continue;
      const name = [...snaps.keys()][Math.floor(r() * snaps.size)];
      size = snaps.get(name)!;
      ops.push({ kind: 'apply', name });
    } else if (w < 0.9) {
      if (!snaps.size) continue;
      const name = [...snaps.keys()][Math.floor(r() * snaps.size)];
      snaps.delete(name);
      ops.push({ kind: 'delete', name });
    } else {
      if (sc.compat === '0.10' && snaps.size) continue;
      // Mostly grow (past one L1 cluster, so the L1 table moves), sometimes shrink.
      const spans = Math.round(size / span) + (r() < 0.75 ? 8 + Math.floor(r() * 40) : -Math.floor(r() * 8));
      const next = Math.max(4, spans) * span - (r() < 0.5 ? 512 : 0);
      if (next === size) continue;
      size = next;
      ops.push({ kind: 'resize', size });
    }
  }
  return ops;
}

/** Does the op end with a completed flush (explicit, or inside the library call)? */
export function flushesAfter(sc: Scenario, ops: CrashOp[], i: number): boolean {
  const k = ops[i].kind;
  return k === 'resize' || k === 'snapshot' || k === 'apply' || k === 'delete' || (i + 1) % sc.every === 0 || i === ops.length - 1;
}

export function opData(op: CrashOp & { kind: 'write' }): Buffer {
  return pattern(op.len, op.seed);
}

export interface Model {
  disk: Buffer;
  snaps: Map<string, Buffer>;
}

/** The models after ops [0, a] and [0, b] (a <= b), from one replay. */
export function modelsAt(sc: Scenario, ops: CrashOp[], a: number, b: number): [Model, Model] {
  const m: Model = { disk: Buffer.alloc(sc.size), snaps: new Map() };
  let i = 0;
  for (; i <= a && i < ops.length; i++) applyToModel(m, ops[i]);
  // Snapshot buffers are never modified in place, so sharing them is safe.
  const at: Model = { disk: Buffer.from(m.disk), snaps: new Map(m.snaps) };
  for (; i <= b && i < ops.length; i++) applyToModel(m, ops[i]);
  return [at, m];
}

export function applyToModel(m: Model, op: CrashOp): void {
  switch (op.kind) {
    case 'write':
      opData(op).copy(m.disk, op.off);
      break;
    case 'zero':
    case 'discard':
      m.disk.fill(0, op.off, op.off + op.len);
      break;
    case 'resize': {
      const next = Buffer.alloc(op.size);
      m.disk.copy(next, 0, 0, Math.min(op.size, m.disk.length));
      m.disk = next;
      break;
    }
    case 'snapshot':
      m.snaps.set(op.name, Buffer.from(m.disk));
      break;
    case 'apply':
      m.disk = Buffer.from(m.snaps.get(op.name)!);
      break;
    case 'delete':
      m.snaps.delete(op.name);
      break;
  }
}

/** Guest byte ranges ops (from, to] may have changed; null = possibly everything (apply). */
export function touchedBetween(ops: CrashOp[], from: number, to: number): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (let i = from + 1; i <= to && i < ops.length; i++) {
    const op = ops[i];
    if (op.kind === 'apply') return null;
    if (op.kind === 'write' || op.kind === 'zero' || op.kind === 'discard') out.push([op.off, op.off + op.len]);
  }
  return out;
}

/** Index of the last op in [0, upto] that wrote guest byte `off` (for failure reports). */
export function lastWriterOf(ops: CrashOp[], upto: number, off: number): string {
  for (let i = Math.min(upto, ops.length - 1); i >= 0; i--) {
    const op = ops[i];
    if ((op.kind === 'write' || op.kind === 'zero' || op.kind === 'discard') && off >= op.off && off < op.off + op.len) return `op ${i} (${JSON.stringify(op)})`;
    if (op.kind === 'apply') return `op ${i} (apply ${op.name})`;
  }
  return 'no op (never written)';
}
