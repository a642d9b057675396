// An open qcow2 image: guest reads/writes through L1/L2 with copy-on-write, thin allocation and a
// write-back metadata cache. flush() orders writes for crash safety:
//   data → fsync → refcount blocks (→ fsync → table → fsync → header pointer) → fsync
//   → L2 tables → fsync → L1 / snapshot table → fsync → header → fsync → deferred decrements → fsync
// so a killed writer leaves at worst leaked clusters, never a reference to an uncounted cluster.
// An L2 table evicted from the bounded cache is written after the same refcount prefix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageError, type ImageFormat, type ImageInfo, type MapExtent, type SnapshotInfo, type SnapshotOptions } from './api';
import { parseHeader, serializeHeader, writeU64, INCOMPAT_DIRTY, INCOMPAT_CORRUPT, type Qcow2Header } from './header';
import { Refcounts } from './refcount';
import { L2Cache, Kind, decodeL2, encodeStd, encodeCompressed, compressedClusters, l1Offset, l1Copied, HI_COPIED, type Entry } from './l2cache';
import { parseSnapshotTable, snapshotInfo, type SnapshotEntry } from './snaptable';
import { checkRange, preadFull, type ChainImage } from './raw';
import { compressCluster, decompressCluster } from './compress';
import * as snaps from './snapshots';
import { qcow2Extents } from './map';

const MAX_IOV = 512;
/** Default L2 cache budget, as QEMU's default l2-cache-size on Linux. */
export const DEFAULT_L2_CACHE_BYTES = 32 << 20;

/** Accumulates writes to consecutive host offsets into single writev calls. */
class WriteBatch {
  private start = 0;
  private len = 0;
  private bufs: Buffer[] = [];
  constructor(private readonly fd: number) {}
  add(host: number, buf: Buffer): void {
    if (this.len && (host !== this.start + this.len || this.bufs.length >= MAX_IOV)) this.flush();
    if (!this.len) this.start = host;
    this.bufs.push(buf);
    this.len += buf.length;
  }
  flush(): void {
    if (!this.len) return;
    let written = fs.writevSync(this.fd, this.bufs, this.start);
    if (written < this.len) {
      const all = Buffer.concat(this.bufs);
      while (written < this.len) written += fs.writeSync(this.fd, all, written, this.len - written, this.start + written);
    }
    this.bufs = [];
    this.len = 0;
  }
}

export class Qcow2Image implements ChainImage {
  readonly format = 'qcow2' as const;
  /** @internal state shared with snapshots.ts / map.ts / resize */
  fd: number;
  h: Qcow2Header;
  cs: number;
  clusterBits: number;
  l2Entries: number;
  rc: Refcounts;
  l2c: L2Cache;
  l1: Buffer;
  l1Clusters: number;
  l1Dirty = false;
  l1Moved = false;
  headerDirty = false;
  snaps: SnapshotEntry[];
  snapshotsSize: number;
  dataDirty = false;
  private compFree = 0;
  private zcache: { host: number; data: Buffer } | null = null;
  private closed = false;
  private tableMoved = false;
  /** cache 'unsafe' (like qemu-img convert's default): keep the write order, skip fsync. */
  unsafe = false;
  /** @internal Opened without its backing chain (OpenOptions.noBacking): guest writes are refused. */
  detached = false;
  /** @internal Opens a backing chain relative to this image (set by open.ts; unset when detached). */
  openBacking?: (name: string, format: ImageFormat | undefined) => ChainImage;

  private sync(): void {
    if (!this.unsafe) fs.fdatasyncSync(this.fd);
  }

  constructor(
    readonly filename: string,
    readonly readOnly: boolean,
    public backing: ChainImage | undefined,
    fd: number,
    l2CacheBytes = DEFAULT_L2_CACHE_BYTES,
  ) {
    this.fd = fd;
    const head = Buffer.alloc(2 << 20);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    this.h = parseHeader(head.subarray(0, n), filename);
    this.cs = 1 << this.h.clusterBits;
    this.clusterBits = this.h.clusterBits;
    this.l2Entries = this.cs / 8;
    if (!readOnly && this.h.incompatible & INCOMPAT_CORRUPT) {
      throw new ImageError(`Image '${filename}' is marked corrupt; repair it (check with repair 'all') or open it read-only`);
    }
    this.rc = new Refcounts(fd, this.cs, this.h.refcountOrder, this.h.refcountTableOffset, this.h.refcountTableClusters, filename);
    this.l2c = new L2Cache(fd, this.cs, Math.max(4, Math.floor(l2CacheBytes / this.cs)), () => this.writeRefcounts());
    this.l1Clusters = Math.ceil((this.h.l1Size * 8) / this.cs);
    this.l1 = Buffer.alloc(this.l1Clusters * this.cs);
    if (this.h.l1Size) preadFull(fd, this.l1, 0, this.h.l1Size * 8, this.h.l1TableOffset);
    const snapBuf = snaps.readTableBytes(fd, this.h.snapshotsOffset, this.h.nbSnapshots);
    this.snaps = parseSnapshotTable(snapBuf, this.h.nbSnapshots, this.h.size, filename);
    this.snapshotsSize = snapBuf.length;
    if (!readOnly && this.h.autoclear) {
      // A writer that does not know an autoclear feature must clear its bit.
      this.h.autoclear = 0;
      this.headerDirty = true;
      this.flush();
    }
  }

  get virtualSize(): number {
    return this.h.size;
  }

  /** @internal headerOnly: a header change (setBacking), allowed on a detached image. */
  writable(headerOnly = false): void {
    if (this.closed) throw new ImageError(`Image '${this.filename}' is closed`);
    if (this.readOnly) throw new ImageError(`Image '${this.filename}' is opened read-only`);
    // Without the backing chain, COW and zero writes would lose or expose backing data.
    if (this.detached && !headerOnly) throw new ImageError(`Image '${this.filename}' was opened without its backing file: only the backing file can be changed`);
  }

  // ---------------------------------------------------------------- reads

  read(offset: number, length: number): Buffer {
    if (this.closed) throw new ImageError(`Image '${this.filename}' is closed`);
    checkRange(this.filename, 'read', offset, length, this.h.size);
    const out = Buffer.allocUnsafe(length);
    this.readVia(this.l1, this.h.l1Size, out, 0, offset, length, true);
    return out;
  }

  readInto(offset: number, buf: Buffer): void {
    if (this.closed) throw new ImageError(`Image '${this.filename}' is closed`);
    checkRange(this.filename, 'read', offset, buf.length, this.h.size);
    this.readVia(this.l1, this.h.l1Size, buf, 0, offset, buf.length, true);
  }

  readRange(dst: Buffer, dstOff: number, off: number, len: number): void {
    this.readVia(this.l1, this.h.l1Size, dst, dstOff, off, len, true);
  }

  /** @internal Entry for guest cluster gcl through the given L1 (null = unallocated). */
  entryVia(l1: Buffer, l1Size: number, gcl: number): Entry | null {
    const l1i = Math.floor(gcl / this.l2Entries);
    if (l1i >= l1Size) return null;
    const l2off = l1Offset(l1, l1i);
    if (!l2off) return null;
    return decodeL2(this.l2c.get(l2off), gcl % this.l2Entries, this.clusterBits);
  }

  /** @internal */
  readVia(l1: Buffer, l1Size: number, dst: Buffer, dOff: number, off: number, len: number, useBacking: boolean): void {
    const cs = this.cs;
    let rHost = 0, rDst = 0, rLen = 0;
    let bOff = 0, bDst = 0, bLen = 0;
    const flushRead = () => {
      if (rLen) preadFull(this.fd, dst, rDst, rLen, rHost);
      rLen = 0;
    };
    const flushBacking = () => {
      if (bLen) this.readBacking(dst, bDst, bOff, bLen);
      bLen = 0;
    };
    let pos = 0;
    while (pos < len) {
      const g = off + pos;
      const inCl = g % cs;
      const n = Math.min(cs - inCl, len - pos);
      const e = this.entryVia(l1, l1Size, Math.floor(g / cs));
      const kind = e ? e.kind : Kind.Unallocated;
      const d = dOff + pos;
      if (kind === Kind.Normal) {
        flushBacking();
        const host = e!.host + inCl;
        if (rLen && rHost + rLen === host && rDst + rLen === d) rLen += n;
        else {
          flushRead();
          rHost = host;
          rDst = d;
          rLen = n;
        }
      } else if (kind === Kind.Unallocated && useBacking && this.backing) {
        flushRead();
        if (bLen && bOff + bLen === g) bLen += n;
        else {
          flushBacking();
          bOff = g;
          bDst = d;
          bLen = n;
        }
      } else {
        flushRead();
        flushBacking();
        if (kind === Kind.Compressed) this.decompress(e!).copy(dst, d, inCl, inCl + n);
        else dst.fill(0, d, d + n);
      }
      pos += n;
    }
    flushRead();
    flushBacking();
  }

  private readBacking(dst: Buffer, dOff: number, off: number, len: number): void {
    const b = this.backing!;
    const part = Math.max(0, Math.min(len, b.virtualSize - off));
    if (part > 0) b.readRange(dst, dOff, off, part);
    if (part < len) dst.fill(0, dOff + part, dOff + len);
  }

  private decompress(e: Entry): Buffer {
    if (this.zcache && this.zcache.host === e.host) return this.zcache.data;
    const raw = Buffer.alloc(e.csize);
    preadFull(this.fd, raw, 0, e.csize, e.host);
    const data = decompressCluster(raw, this.cs, this.filename, e.host);
    this.zcache = { host: e.host, data };
    return data;
  }

  // ---------------------------------------------------------------- allocation helpers

  /** @internal Release the host clusters an entry holds (deferred until its references are gone from disk). */
  releaseEntry(e: Entry): void {
    if (e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc) this.rc.decDeferred(e.host / this.cs);
    else if (e.kind === Kind.Compressed) {
      const [a, b] = compressedClusters(e.host, e.csize, this.cs);
      for (let c = a; c <= b; c++) this.rc.decDeferred(c);
    }
  }

  /** @internal Make the L1 table hold at least n entries (new contiguous table when it outgrows its clusters). */
  ensureL1Size(n: number): void {
    if (n <= this.h.l1Size) return;
    if (n > (32 << 20) / 8) throw new ImageError(`Image '${this.filename}': L1 table would exceed 32 MiB`);
    if (n * 8 > this.l1Clusters * this.cs) {
      const clusters = Math.ceil((n * 8) / this.cs);
      const buf = Buffer.alloc(clusters * this.cs);
      this.l1.copy(buf, 0, 0, this.h.l1Size * 8);
      const off = this.rc.alloc(clusters);
      if (this.l1Clusters && this.h.l1TableOffset) {
        for (let i = 0; i < this.l1Clusters; i++) this.rc.decDeferred(this.h.l1TableOffset / this.cs + i);
      }
      this.l1 = buf;
      this.l1Clusters = clusters;
      this.h.l1TableOffset = off;
      this.l1Moved = true;
    }
    this.h.l1Size = n;
    this.l1Dirty = true;
    this.headerDirty = true;
  }

  /** @internal The L2 table for l1 index l1i, allocated or copied-on-write so it may be modified. */
  l2ForWrite(l1i: number): Buffer {
    if (l1i >= this.h.l1Size) this.ensureL1Size(l1i + 1);
    const off = l1Offset(this.l1, l1i);
    if (off && l1Copied(this.l1, l1i)) {
      const t = this.l2c.get(off);
      this.l2c.markDirty(off); // before any other lookup could evict it
      return t;
    }
    const table = off ? Buffer.from(this.l2c.get(off)) : Buffer.alloc(this.cs);
    const newOff = this.rc.alloc(1);
    if (off) {
      // Shared with a snapshot: the copy's entries keep their refcounts (one more L2 now
      // references them, one path less goes through the old table); COPIED is recomputed.
      this.rc.decDeferred(off / this.cs);
      this.fixCopiedInTable(table);
    }
    this.l2c.put(newOff, table);
    encodeStd(this.l1, l1i, newOff, true);
    this.l1Dirty = true;
    return table;
  }

  /** @internal Set COPIED on entries of an exclusively owned table from effective refcounts. */
  fixCopiedInTable(table: Buffer): boolean {
    let changed = false;
    for (let i = 0; i < this.l2Entries; i++) {
      const hi = table.readUInt32BE(i * 8);
      if (hi & 0x40000000) continue;
      const e = decodeL2(table, i, this.clusterBits);
      if (e.kind !== Kind.Normal && e.kind !== Kind.ZeroAlloc) continue;
      const want = this.rc.effective(e.host / this.cs) === 1;
      if (want !== e.copied) {
        table.writeUInt32BE((want ? hi | HI_COPIED : hi & ~HI_COPIED) >>> 0, i * 8);
        changed = true;
      }
    }
    return changed;
  }

  // ---------------------------------------------------------------- writes

  write(offset: number, data: Buffer): void {
    this.writable();
    checkRange(this.filename, 'write', offset, data.length, this.h.size);
    this.writeAt(offset, data);
  }

  /** @internal Guest write without the virtual-size bound (VM state lives beyond it). */
  writeAt(off: number, data: Buffer): void {
    const cs = this.cs;
    const batch = new WriteBatch(this.fd);
    let pos = 0;
    while (pos < data.length) {
      const g = off + pos;
      const inCl = g % cs;
      const n = Math.min(cs - inCl, data.length - pos);
      const gcl = Math.floor(g / cs);
      const l1i = Math.floor(gcl / this.l2Entries);
      const li = gcl % this.l2Entries;
      const table = this.l2ForWrite(l1i);
      const e = decodeL2(table, li, this.clusterBits);
      const piece = data.subarray(pos, pos + n);
      if (e.kind === Kind.Normal && e.copied) {
        batch.add(e.host + inCl, piece);
      } else {
        let content = piece;
        if (n !== cs) {
          content = Buffer.alloc(cs);
          if (e.kind === Kind.Normal) {
            batch.flush();
            preadFull(this.fd, content, 0, cs, e.host);
          } else if (e.kind === Kind.Compressed) this.decompress(e).copy(content);
          else if (e.kind === Kind.Unallocated && this.backing && g - inCl < this.backing.virtualSize) {
            this.readBacking(content, 0, g - inCl, cs);
          }
          piece.copy(content, inCl);
        }
        let host: number;
        if (e.kind === Kind.ZeroAlloc && e.copied) host = e.host;
        else {
          host = this.rc.alloc(1);
          this.releaseEntry(e);
        }
        batch.add(host, content);
        encodeStd(table, li, host, true);
      }
      pos += n;
    }
    batch.flush();
    if (data.length) this.dataDirty = true;
  }

  /** Does guest cluster gcl currently read as all zeroes without looking at data? */
  private readsAsZero(gcl: number): boolean {
    const e = this.entryVia(this.l1, this.h.l1Size, gcl);
    if (!e || e.kind === Kind.Unallocated) return !this.backing || gcl * this.cs >= this.backing.virtualSize;
    return e.kind === Kind.ZeroPlain || e.kind === Kind.ZeroAlloc;
  }

  private zeroPartial(off: number, len: number): void {
    if (len <= 0 || this.readsAsZero(Math.floor(off / this.cs))) return;
    this.writeAt(off, Buffer.alloc(len));
  }

  /** Apply fn to every whole cluster in [off, off+len) and zero the partial head/tail. */
  private forClusters(off: number, len: number, fn: (table: Buffer, li: number, e: Entry, gcl: number) => void): void {
    const cs = this.cs;
    const end = off + len;
    const first = Math.ceil(off / cs) * cs;
    const last = Math.floor(end / cs) * cs;
    if (first > last) {
      this.zeroPartial(off, len);
      return;
    }
    this.zeroPartial(off, first - off);
    for (let g = first; g < last; g += cs) {
      const gcl = g / cs;
      const table = this.l2ForWrite(Math.floor(gcl / this.l2Entries));
      const li = gcl % this.l2Entries;
      fn(table, li, decodeL2(table, li, this.clusterBits), gcl);
    }
    this.zeroPartial(last, end - last);
  }

  writeZeroes(offset: number, length: number, opts?: { mayUnmap?: boolean }): void {
    this.writable();
    checkRange(this.filename, 'write', offset, length, this.h.size);
    this.zeroRange(offset, length, !!opts?.mayUnmap);
  }

  /** @internal */
  zeroRange(offset: number, length: number, mayUnmap: boolean): void {
    const v3 = this.h.version === 3;
    const zeroBuf = !v3 && this.backing ? Buffer.alloc(this.cs) : null;
    this.forClusters(offset, length, (table, li, e, gcl) => {
      if (!v3) {
        // v2 has no zero flag: drop the cluster, or write zeroes where a backing file shows through.
        if (zeroBuf) this.writeAt(gcl * this.cs, zeroBuf);
        else if (e.kind !== Kind.Unallocated) {
          this.releaseEntry(e);
          encodeStd(table, li, 0, false);
        }
        return;
      }
      if (e.kind === Kind.ZeroPlain) return;
      const keep = (e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc) && !mayUnmap;
      if (keep) encodeStd(table, li, e.host, e.copied, true);
      else {
        this.releaseEntry(e);
        encodeStd(table, li, 0, false, true);
      }
    });
  }

  discard(offset: number, length: number): void {
    this.writable();
    checkRange(this.filename, 'discard', offset, length, this.h.size);
    const v3 = this.h.version === 3;
    this.forClusters(offset, length, (table, li, e) => {
      const allocated = e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc || e.kind === Kind.Compressed;
      if (v3 && (this.backing || allocated)) {
        if (e.kind === Kind.ZeroPlain) return;
        this.releaseEntry(e);
        encodeStd(table, li, 0, false, true);
      } else if (!v3 && allocated) {
        this.releaseEntry(e);
        encodeStd(table, li, 0, false);
      }
    });
  }

  deallocate(offset: number, length: number): void {
    this.writable();
    checkRange(this.filename, 'deallocate', offset, length, this.h.size);
    const cs = this.cs;
    const E = this.l2Entries;
    const end = offset + length;
    if (offset % cs !== 0 || (end % cs !== 0 && end !== this.h.size)) {
      throw new ImageError(`Image '${this.filename}': deallocate needs whole ${cs}-byte clusters (offset ${offset}, length ${length})`);
    }
    const lastCl = Math.ceil(end / cs);
    const diskCl = Math.ceil(this.h.size / cs);
    for (let gcl = offset / cs; gcl < lastCl; ) {
      const l1i = Math.floor(gcl / E);
      const stop = Math.min(lastCl, (l1i + 1) * E);
      if (l1i < this.h.l1Size && l1Offset(this.l1, l1i)) {
        const whole = gcl === l1i * E && stop >= Math.min((l1i + 1) * E, diskCl);
        if (whole) this.dropL2(l1i);
        else {
          const table = this.l2ForWrite(l1i);
          for (let g = gcl; g < stop; g++) {
            const e = decodeL2(table, g % E, this.clusterBits);
            if (e.kind === Kind.Unallocated) continue;
            this.releaseEntry(e);
            encodeStd(table, g % E, 0, false);
          }
          if (table.equals(Buffer.alloc(cs))) this.dropL2(l1i);
        }
      }
      gcl = stop;
    }
    this.flush();
    this.trimFile();
  }

  /** Unlink the active L2 table at l1i: it and every cluster it maps lose one reference. */
  private dropL2(l1i: number): void {
    const off = l1Offset(this.l1, l1i);
    const table = this.l2c.get(off);
    for (let i = 0; i < this.l2Entries; i++) this.releaseEntry(decodeL2(table, i, this.clusterBits));
    this.rc.decDeferred(off / this.cs);
    encodeStd(this.l1, l1i, 0, false);
    this.l1Dirty = true;
  }

  writeCompressed(offset: number, data: Buffer): void {
    this.writable();
    checkRange(this.filename, 'write', offset, data.length, this.h.size);
    const cs = this.cs;
    if (offset % cs !== 0) throw new ImageError(`Image '${this.filename}': compressed writes must start on a cluster boundary (${cs} bytes)`);
    if (data.length % cs !== 0 && offset + data.length !== this.h.size) {
      throw new ImageError(`Image '${this.filename}': compressed writes must cover whole clusters (a shorter tail only at the end of the disk)`);
    }
    for (let pos = 0; pos < data.length; pos += cs) {
      let chunk = data.subarray(pos, pos + cs);
      if (chunk.length < cs) {
        chunk = Buffer.concat([chunk, Buffer.alloc(cs - chunk.length)]);
      }
      const packed = compressCluster(chunk);
      if (packed.length >= cs) {
        this.writeAt(offset + pos, chunk);
        continue;
      }
      const gcl = (offset + pos) / cs;
      const table = this.l2ForWrite(Math.floor(gcl / this.l2Entries));
      const li = gcl % this.l2Entries;
      this.releaseEntry(decodeL2(table, li, this.clusterBits));
      const host = this.placeCompressed(packed.length);
      fs.writeSync(this.fd, packed, 0, packed.length, host);
      encodeCompressed(table, li, host, packed.length, this.clusterBits);
    }
    if (data.length) this.dataDirty = true;
  }

  /** Byte offset for compressed data; several descriptors share a host cluster, each counted once. */
  private placeCompressed(len: number): number {
    const cs = this.cs;
    // Refcounts are narrow with small refcount_bits: start a fresh cluster before overflowing.
    if (this.compFree && this.rc.get(Math.floor(this.compFree / cs)) >= this.rc.max - 1) this.compFree = 0;
    const used = this.compFree % cs;
    let host: number;
    if (this.compFree && used + len <= cs) {
      host = this.compFree;
      this.rc.inc(Math.floor(host / cs));
    } else if (this.compFree) {
      const next = this.rc.alloc(1);
      if (next === this.compFree - used + cs) {
        host = this.compFree; // spills into the freshly allocated, adjacent cluster
        this.rc.inc(Math.floor(host / cs));
      } else host = next;
    } else host = this.rc.alloc(1);
    this.compFree = (host + len) % cs === 0 ? 0 : host + len;
    return host;
  }

  // ---------------------------------------------------------------- flush / close

  private growRefcountTable(): void {
    if (this.rc.table.length <= this.rc.capacity()) return;
    let clusters = Math.max(1, this.rc.tableClusters);
    for (;;) {
      while ((clusters * this.cs) / 8 < this.rc.table.length + 1) clusters = Math.ceil((clusters * 3) / 2);
      const off = this.rc.alloc(clusters);
      if (this.rc.table.length <= (clusters * this.cs) / 8) {
        for (let i = 0; i < this.rc.tableClusters; i++) this.rc.decDeferred(this.rc.tableOffset / this.cs + i);
        this.rc.tableOffset = off;
        this.rc.tableClusters = clusters;
        this.rc.tableDirty = true;
        this.h.refcountTableOffset = off;
        this.h.refcountTableClusters = clusters;
        this.tableMoved = true;
        return;
      }
      this.rc.freeNow(off, clusters);
    }
  }

  /**
   * The first half of flush: data, then refcount blocks, the refcount table and its header
   * pointer, each durable before the next. Afterwards any metadata may reference what was
   * allocated so far (flush's L2/L1/header steps, or an L2 table evicted from the cache).
   */
  private writeRefcounts(): void {
    const fd = this.fd;
    this.growRefcountTable();
    if (this.dataDirty) this.sync();
    this.dataDirty = false;
    if (this.rc.hasDirtyBlocks() || this.rc.tableDirty) {
      this.rc.writeDirtyBlocks();
      this.sync();
      if (this.rc.tableDirty) {
        fs.writeSync(fd, this.rc.tableBuffer(this.rc.tableClusters), 0, this.rc.tableClusters * this.cs, this.rc.tableOffset);
        this.sync();
        this.rc.tableDirty = false;
        if (this.tableMoved) {
          const ptr = Buffer.alloc(12);
          writeU64(ptr, 0, this.rc.tableOffset);
          ptr.writeUInt32BE(this.rc.tableClusters, 8);
          fs.writeSync(fd, ptr, 0, 12, 48);
          this.sync();
          this.tableMoved = false;
        }
      }
    }
  }

  flush(): void {
    if (this.readOnly || this.closed) return;
    const fd = this.fd;
    const meta = this.rc.hasDirtyBlocks() || this.rc.tableDirty || this.l2c.hasDirty() || this.l2c.unsynced || this.l1Dirty || this.headerDirty || this.rc.pending.size > 0;
    if (!meta) {
      if (this.dataDirty) this.sync();
      this.dataDirty = false;
      return;
    }
    this.writeRefcounts();
    if (this.l2c.hasDirty() || this.l2c.unsynced) {
      this.l2c.writeDirty();
      this.sync();
      this.l2c.unsynced = false;
    }
    if (this.l1Dirty || this.headerDirty) {
      if (this.l1Dirty && this.h.l1Size) {
        // Only l1_size entries are meaningful (QEMU does not pad the file either).
        fs.writeSync(fd, this.l1, 0, this.h.l1Size * 8, this.h.l1TableOffset);
      }
      if (this.headerDirty) {
        this.sync();
        const hb = serializeHeader(this.h, this.filename);
        fs.writeSync(fd, hb, 0, hb.length, 0);
      }
      this.sync();
      this.l1Dirty = this.headerDirty = this.l1Moved = false;
    }
    if (this.rc.pending.size) {
      for (const idx of this.rc.applyPending()) this.l2c.drop(idx * this.cs);
      this.rc.writeDirtyBlocks();
      this.sync();
    }
    this.dataDirty = false;
    this.compFree = 0;
    this.zcache = null;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
      this.closed = true;
      this.backing?.close();
    }
  }

  // ---------------------------------------------------------------- status, info, resize

  extents(off: number, len: number): MapExtent[] {
    return qcow2Extents(this, off, len);
  }

  map(): MapExtent[] {
    return this.extents(0, this.h.size);
  }

  info(): ImageInfo {
    const st = fs.fstatSync(this.fd);
    const info: ImageInfo = {
      filename: this.filename,
      format: 'qcow2',
      virtualSize: this.h.size,
      actualSize: st.blocks * 512,
      clusterSize: this.cs,
      dirty: (this.h.incompatible & INCOMPAT_DIRTY) !== 0,
      snapshots: this.listSnapshots(),
      formatSpecific: {
        compat: this.h.version === 3 ? '1.1' : '0.10',
        compressionType: this.h.compressionType === 1 ? 'zstd' : 'zlib',
        lazyRefcounts: (this.h.compatible & 1) !== 0,
        refcountBits: this.rc.bits,
        corrupt: (this.h.incompatible & INCOMPAT_CORRUPT) !== 0,
        extendedL2: false,
      },
    };
    if (this.h.backingFile) {
      info.backingFilename = this.h.backingFile;
      const b = this.h.backingFile;
      // Named even when not opened (noBacking, or missing), as qemu-img info does.
      info.fullBackingFilename = this.backing?.filename ?? (path.isAbsolute(b) ? b : path.join(path.dirname(this.filename), b));
      if (this.h.backingFormat) info.backingFilenameFormat = this.h.backingFormat as 'qcow2' | 'raw';
    }
    return info;
  }

  resize(newSize: number, opts?: { shrink?: boolean }): void {
    this.writable();
    snaps.resize(this, newSize, !!opts?.shrink);
  }

  setBacking(backingFile: string | undefined, backingFormat?: ImageFormat): void {
    this.writable(true);
    const name = backingFile || undefined;
    const bad = (why: string) => new ImageError(`Image '${this.filename}': cannot change the backing file to '${backingFile ?? ''}': ${why}`);
    if (name !== undefined && Buffer.byteLength(name) > 1023) throw bad('name longer than 1023 bytes');
    if (backingFormat !== undefined && backingFormat !== 'qcow2' && backingFormat !== 'raw') throw bad(`unknown format '${String(backingFormat)}'`);
    const oldLen = serializeHeader(this.h, this.filename).length;
    const next: Qcow2Header = { ...this.h, backingFile: name, backingFormat: name ? backingFormat : undefined };
    const newLen = serializeHeader(next, this.filename).length; // throws when it does not fit cluster 0
    const chain = name && this.openBacking ? this.openBacking(name, backingFormat) : undefined;
    this.h.backingFile = next.backingFile;
    this.h.backingFormat = next.backingFormat;
    this.headerDirty = true;
    try {
      this.flush();
    } catch (e) {
      chain?.close();
      throw e;
    }
    if (newLen < oldLen) {
      // No stale name bytes after the new end of the header (nothing points there any more).
      fs.writeSync(this.fd, Buffer.alloc(oldLen - newLen), 0, oldLen - newLen, newLen);
      this.dataDirty = true;
    }
    this.backing?.close();
    this.backing = chain;
  }

  // ---------------------------------------------------------------- snapshots

  listSnapshots(): SnapshotInfo[] {
    return this.snaps.map(snapshotInfo);
  }

  createSnapshot(name: string, opts?: SnapshotOptions): SnapshotInfo {
    this.writable();
    return snaps.createSnapshot(this, name, opts ?? {});
  }

  applySnapshot(nameOrId: string): void {
    this.writable();
    snaps.applySnapshot(this, nameOrId);
  }

  deleteSnapshot(nameOrId: string): void {
    this.writable();
    snaps.deleteSnapshot(this, nameOrId);
  }

  readSnapshotVmState(nameOrId: string): Buffer {
    return snaps.readVmState(this, nameOrId);
  }

  /** @internal Truncate the file after the last cluster in use (after a shrink). */
  trimFile(): void {
    const end = this.rc.endCluster() * this.cs;
    if (fs.fstatSync(this.fd).size > end) fs.ftruncateSync(this.fd, end);
  }
}
