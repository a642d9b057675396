// L1/L2 entry codec and the bounded L2 table cache. Modified tables are written back in batches
// at flush or on eviction, never per guest write.
import * as fs from 'node:fs';

export const HI_COPIED = 0x80000000;
export const HI_COMPRESSED = 0x40000000;
const TWO32 = 4294967296;

export const enum Kind {
  Unallocated = 0,
  ZeroPlain = 1,
  ZeroAlloc = 2,
  Normal = 3,
  Compressed = 4,
}

export interface Entry {
  kind: Kind;
  /** Cluster-aligned host offset (Normal/ZeroAlloc) or byte offset of compressed data. */
  host: number;
  copied: boolean;
  /** Compressed: number of bytes to read ((nsectors + 1) * 512 - host % 512). */
  csize: number;
}

/** Decode entry i of an L2 table. clusterBits selects the compressed descriptor split. */
export function decodeL2(buf: Buffer, i: number, clusterBits: number): Entry {
  const hi = buf.readUInt32BE(i * 8);
  const lo = buf.readUInt32BE(i * 8 + 4);
  const copied = (hi & HI_COPIED) !== 0;
  if (hi & HI_COMPRESSED) {
    const x = 62 - (clusterBits - 8); // bits below x: byte offset; x..61: extra sectors
    const hx = x - 32;
    const host = (hi & ((1 << hx) - 1)) * TWO32 + lo;
    const nsec = (hi & 0x3fffffff) >>> hx;
    return { kind: Kind.Compressed, host, copied, csize: (nsec + 1) * 512 - (host % 512) };
  }
  const host = (hi & 0x00ffffff) * TWO32 + ((lo & 0xfffffe00) >>> 0);
  if (lo & 1) return { kind: host ? Kind.ZeroAlloc : Kind.ZeroPlain, host, copied, csize: 0 };
  return { kind: host ? Kind.Normal : Kind.Unallocated, host, copied, csize: 0 };
}

export function encodeStd(buf: Buffer, i: number, host: number, copied: boolean, zero = false): void {
  buf.writeUInt32BE(((copied ? HI_COPIED : 0) | Math.floor(host / TWO32)) >>> 0, i * 8);
  buf.writeUInt32BE(((host % TWO32) | (zero ? 1 : 0)) >>> 0, i * 8 + 4);
}

export function encodeCompressed(buf: Buffer, i: number, host: number, bytes: number, clusterBits: number): void {
  const x = 62 - (clusterBits - 8);
  const nsec = Math.floor((host + bytes - 1) / 512) - Math.floor(host / 512);
  const hi = HI_COMPRESSED | (nsec << (x - 32)) | Math.floor(host / TWO32);
  buf.writeUInt32BE(hi >>> 0, i * 8);
  buf.writeUInt32BE(host % TWO32 >>> 0, i * 8 + 4);
}

/** Host clusters touched by a compressed descriptor, counted as qemu-img check does (sector-rounded). */
export function compressedClusters(host: number, csize: number, cs: number): [number, number] {
  const start = host - (host % 512);
  const end = host + csize - 1;
  return [Math.floor(start / cs), Math.floor(end / cs)];
}

export function l1Offset(buf: Buffer, i: number): number {
  return (buf.readUInt32BE(i * 8) & 0x00ffffff) * TWO32 + ((buf.readUInt32BE(i * 8 + 4) & 0xfffffe00) >>> 0);
}

export function l1Copied(buf: Buffer, i: number): boolean {
  return (buf.readUInt32BE(i * 8) & HI_COPIED) !== 0;
}

/**
 * L2 tables cached in LRU order within a budget of `maxTables`. Dirty tables are written back in
 * batches at flush, or when evicted: then `beforeWriteback` first makes the refcounts (and the
 * data) the victims reference durable, so an evicted table reaches disk in flush's order.
 * Callers must mark a table dirty before the next cache lookup once they modify it.
 */
export class L2Cache {
  /** Map iteration order is the LRU order: a hit re-inserts the table at the end. */
  private tables = new Map<number, Buffer>();
  private dirty = new Set<number>();
  /** Evicted tables were written since the last sync (flush must sync before the L1). */
  unsynced = false;
  /** The most recently used table (always also in `tables`). */
  private mruOff = -1;
  private mru: Buffer | undefined;

  constructor(
    private readonly fd: number,
    private readonly cs: number,
    private readonly maxTables: number,
    private readonly beforeWriteback: () => void,
  ) {}

  get(off: number): Buffer {
    if (off === this.mruOff) return this.mru!; // sequential I/O stays in one table: skip the LRU bump
    let t = this.tables.get(off);
    if (t) {
      this.tables.delete(off);
      this.tables.set(off, t);
      this.mruOff = off;
      this.mru = t;
      return t;
    }
    t = Buffer.alloc(this.cs);
    fs.readSync(this.fd, t, 0, this.cs, off);
    this.insert(off, t);
    return t;
  }

  /** Install a freshly allocated table. */
  put(off: number, table: Buffer): void {
    this.dirty.add(off);
    this.insert(off, table);
  }

  markDirty(off: number): void {
    this.dirty.add(off);
  }

  drop(off: number): void {
    if (off === this.mruOff) this.mruOff = -1;
    this.tables.delete(off);
    this.dirty.delete(off);
  }

  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  get size(): number {
    return this.tables.size;
  }

  private insert(off: number, t: Buffer): void {
    this.tables.set(off, t);
    this.mruOff = off;
    this.mru = t;
    if (this.tables.size > this.maxTables) this.evict();
  }

  /** Drop the least recently used quarter at once, so write-backs (and their syncs) come in batches. */
  private evict(): void {
    const keep = Math.max(1, Math.floor((this.maxTables * 3) / 4));
    const victims = [...this.tables.keys()].slice(0, this.tables.size - keep);
    const dirty = victims.filter((o) => this.dirty.has(o));
    if (dirty.length) {
      this.beforeWriteback();
      this.writeTables(dirty);
      this.unsynced = true;
    }
    for (const o of victims) this.tables.delete(o);
  }

  writeDirty(): void {
    this.writeTables([...this.dirty]);
  }

  private writeTables(list: number[]): void {
    const offs = list.sort((a, b) => a - b);
    let i = 0;
    while (i < offs.length) {
      const bufs = [this.tables.get(offs[i])!];
      let j = i + 1;
      while (j < offs.length && offs[j] === offs[j - 1] + this.cs && bufs.length < 256) bufs.push(this.tables.get(offs[j++])!);
      fs.writevSync(this.fd, bufs, offs[i]);
      i = j;
    }
    for (const o of offs) this.dirty.delete(o);
  }
}
