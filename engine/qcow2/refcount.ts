// Two-level refcount structure with an in-memory cache of every block touched.
// Crash-safety rule: increments may reach disk before the references they count (a crash
// leaves leaks), decrements only after the references are gone (deferred in `pending`, applied
// by the image's flush after L2/L1/header are on disk). A cluster with a pending decrement is
// never handed out again before that flush, so stale on-disk references can never alias it.
import * as fs from 'node:fs';
import { ImageError } from './api';
import { readU64, writeU64 } from './header';

type Getter = (b: Buffer, i: number) => number;
type Setter = (b: Buffer, i: number, v: number) => void;

function accessors(bits: number): [Getter, Setter] {
  switch (bits) {
    case 8: return [(b, i) => b[i], (b, i, v) => { b[i] = v; }];
    case 16: return [(b, i) => b.readUInt16BE(i * 2), (b, i, v) => b.writeUInt16BE(v, i * 2)];
    case 32: return [(b, i) => b.readUInt32BE(i * 4), (b, i, v) => b.writeUInt32BE(v, i * 4)];
    case 64: return [(b, i) => readU64(b, i * 8), (b, i, v) => writeU64(b, i * 8, v)];
    default: {
      // 1, 2 or 4 bits: entry 0 is the least significant bits of byte 0.
      const per = 8 / bits;
      const mask = (1 << bits) - 1;
      return [
        (b, i) => (b[Math.floor(i / per)] >> ((i % per) * bits)) & mask,
        (b, i, v) => {
          const byte = Math.floor(i / per);
          const sh = (i % per) * bits;
          b[byte] = (b[byte] & ~(mask << sh)) | ((v & mask) << sh);
        },
      ];
    }
  }
}

export class Refcounts {
  readonly bits: number;
  readonly max: number;
  readonly perBlock: number;
  /** Refcount table in memory: block offsets by block index (0 = none). May outgrow the on-disk table. */
  table: number[];
  tableOffset: number;
  tableClusters: number;
  tableDirty = false;
  private blocks = new Map<number, Buffer>();
  private dirty = new Set<number>();
  /** Deferred decrements: cluster index → count. */
  readonly pending = new Map<number, number>();
  private freeHint = 0;
  private readonly get_: Getter;
  private readonly set_: Setter;

  constructor(
    private readonly fd: number,
    private readonly cs: number,
    refcountOrder: number,
    tableOffset: number,
    tableClusters: number,
    private readonly fileName: string,
  ) {
    this.bits = 1 << refcountOrder;
    this.max = this.bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** this.bits - 1;
    this.perBlock = (cs * 8) / this.bits;
    [this.get_, this.set_] = accessors(this.bits);
    this.tableOffset = tableOffset;
    this.tableClusters = tableClusters;
    const raw = Buffer.alloc(tableClusters * cs);
    fs.readSync(fd, raw, 0, raw.length, tableOffset);
    this.table = [];
    for (let i = 0; i < raw.length / 8; i++) {
      const off = readU64(raw, i * 8);
      this.table.push(off - (off % 512));
    }
    while (this.table.length && this.table[this.table.length - 1] === 0) this.table.pop();
  }

  private block(bi: number): Buffer | undefined {
    let b = this.blocks.get(bi);
    if (b) return b;
    const off = this.table[bi];
    if (!off) return undefined;
    if (off % this.cs !== 0) throw new ImageError(`Image '${this.fileName}': refcount block ${bi} offset ${off} is not cluster aligned`);
    b = Buffer.alloc(this.cs);
    fs.readSync(this.fd, b, 0, this.cs, off);
    this.blocks.set(bi, b);
    return b;
  }

  /** Stored refcount (pending decrements not yet applied). */
  get(idx: number): number {
    const b = this.block(Math.floor(idx / this.perBlock));
    return b ? this.get_(b, idx % this.perBlock) : 0;
  }

  /** Refcount once pending decrements are applied: what COPIED flags must reflect. */
  effective(idx: number): number {
    return this.get(idx) - (this.pending.get(idx) ?? 0);
  }

  set(idx: number, v: number): void {
    if (v > this.max || v < 0) throw new ImageError(`Image '${this.fileName}': refcount of cluster ${idx} would overflow ${this.bits}-bit refcounts`);
    const bi = Math.floor(idx / this.perBlock);
    let b = this.block(bi);
    if (!b) b = this.newBlock(bi);
    this.set_(b, idx % this.perBlock, v);
    this.dirty.add(bi);
    if (v === 0 && idx < this.freeHint) this.freeHint = idx;
  }

  inc(idx: number, n = 1): void {
    this.set(idx, this.get(idx) + n);
  }

  /** Decrement once references to the cluster are safely gone from disk. */
  decDeferred(idx: number, n = 1): void {
    this.pending.set(idx, (this.pending.get(idx) ?? 0) + n);
  }

  /** Apply deferred decrements; returns the clusters that became free. */
  applyPending(): number[] {
    const freed: number[] = [];
    for (const [idx, n] of this.pending) {
      const v = this.get(idx) - n;
      if (v < 0) throw new ImageError(`Image '${this.fileName}': refcount of cluster ${idx} would become negative`);
      this.set(idx, v);
      if (v === 0) freed.push(idx);
    }
    this.pending.clear();
    return freed;
  }

  /**
   * A new refcount block for block index bi lives in the first cluster of the range it covers,
   * so it describes itself (that cluster is free: nothing in the range was counted yet).
   */
  private newBlock(bi: number): Buffer {
    const b = Buffer.alloc(this.cs);
    const selfIdx = bi * this.perBlock;
    while (this.table.length <= bi) this.table.push(0);
    this.table[bi] = selfIdx * this.cs;
    this.tableDirty = true;
    this.blocks.set(bi, b);
    this.set_(b, 0, 1);
    this.dirty.add(bi);
    return b;
  }

  /** Allocate n contiguous free clusters (refcount 1); returns the host offset. */
  alloc(n: number): number {
    let start = this.freeHint;
    let run = 0;
    let idx = start;
    for (;;) {
      const bi = Math.floor(idx / this.perBlock);
      const b = this.block(bi) ?? this.newBlock(bi);
      const inBlock = idx % this.perBlock;
      const free = this.get_(b, inBlock) === 0 && !this.pending.has(idx);
      if (free) {
        if (run === 0) start = idx;
        run++;
        if (run === n) break;
      } else {
        if (run === 0 && idx === this.freeHint) this.freeHint = idx + 1;
        run = 0;
      }
      idx++;
    }
    for (let i = start; i < start + n; i++) this.set(i, 1);
    if (start === this.freeHint) this.freeHint = start + n;
    return start * this.cs;
  }

  /** Release clusters that were allocated but never referenced on disk (safe to free at once). */
  freeNow(offset: number, n: number): void {
    for (let i = 0; i < n; i++) this.set(offset / this.cs + i, 0);
  }

  /** Number of table entries the on-disk table can hold. */
  capacity(): number {
    return (this.tableClusters * this.cs) / 8;
  }

  tableBuffer(clusters: number): Buffer {
    const buf = Buffer.alloc(clusters * this.cs);
    this.table.forEach((off, i) => writeU64(buf, i * 8, off));
    return buf;
  }

  hasDirtyBlocks(): boolean {
    return this.dirty.size > 0;
  }

  /** Write dirty blocks, coalescing adjacent ones into single writes. */
  writeDirtyBlocks(): void {
    const list = [...this.dirty].map((bi) => [this.table[bi], bi] as const).sort((a, b) => a[0] - b[0]);
    let i = 0;
    while (i < list.length) {
      const bufs = [this.blocks.get(list[i][1])!];
      let j = i + 1;
      while (j < list.length && list[j][0] === list[j - 1][0] + this.cs && bufs.length < 256) {
        bufs.push(this.blocks.get(list[j][1])!);
        j++;
      }
      fs.writevSync(this.fd, bufs, list[i][0]);
      i = j;
    }
    this.dirty.clear();
  }

  /** Highest cluster index with a non-zero stored refcount + 1 (scans loaded/allocated blocks). */
  endCluster(): number {
    for (let bi = this.table.length - 1; bi >= 0; bi--) {
      const b = this.block(bi);
      if (!b) continue;
      for (let i = this.perBlock - 1; i >= 0; i--) if (this.get_(b, i) !== 0) return bi * this.perBlock + i + 1;
    }
    return 0;
  }
}
