// Internal snapshots (create / apply / delete / VM state) and resize. A snapshot is a copy of the
// active L1; refcounts count paths from every L1 (active + snapshots) to each cluster, exactly as
// qemu-img check computes them, so every L2 and data cluster under a copied L1 gets +1.
import * as fs from 'node:fs';
import { ImageError, type SnapshotInfo, type SnapshotOptions } from './api';
import { Kind, decodeL2, l1Offset, compressedClusters, encodeStd, HI_COPIED } from './l2cache';
import { serializeSnapshotTable, snapshotInfo, type SnapshotEntry } from './snaptable';
import { preadFull } from './raw';
import type { Qcow2Image } from './image';

/** Read the raw bytes of the snapshot table (entries are variable-length). */
export function readTableBytes(fd: number, offset: number, count: number): Buffer {
  if (!count) return Buffer.alloc(0);
  let buf = Buffer.alloc(0);
  let pos = 0;
  const ensure = (n: number) => {
    if (buf.length >= n) return;
    const more = Buffer.alloc(Math.max(n, buf.length * 2, 4096));
    buf.copy(more);
    preadFull(fd, more, buf.length, more.length - buf.length, offset + buf.length);
    buf = more;
  };
  for (let i = 0; i < count; i++) {
    ensure(pos + 40);
    const idLen = buf.readUInt16BE(pos + 12);
    const nameLen = buf.readUInt16BE(pos + 14);
    const extra = buf.readUInt32BE(pos + 36);
    const end = pos + 40 + extra + idLen + nameLen;
    ensure(end);
    pos = Math.ceil(end / 8) * 8;
  }
  return buf.subarray(0, pos);
}

function readL1(img: Qcow2Image, e: SnapshotEntry): Buffer {
  const buf = Buffer.alloc(Math.max(e.l1Size * 8, 8));
  if (e.l1Size) preadFull(img.fd, buf, 0, e.l1Size * 8, e.l1TableOffset);
  return buf;
}

function find(img: Qcow2Image, nameOrId: string): SnapshotEntry {
  const s = img.snaps.find((x) => x.id === nameOrId) ?? img.snaps.find((x) => x.name === nameOrId);
  if (!s) throw new ImageError(`Image '${img.filename}': snapshot '${nameOrId}' not found`);
  return s;
}

/** Add delta (+1 now, -1 deferred) to every L2 table and data cluster reachable from l1[from..size). */
function adjustTree(img: Qcow2Image, l1: Buffer, size: number, delta: 1 | -1, from = 0): void {
  const cs = img.cs;
  const bump = (idx: number) => (delta > 0 ? img.rc.inc(idx) : img.rc.decDeferred(idx));
  for (let i = from; i < size; i++) {
    const l2off = l1Offset(l1, i);
    if (!l2off) continue;
    bump(l2off / cs);
    const table = img.l2c.get(l2off);
    for (let j = 0; j < img.l2Entries; j++) {
      const e = decodeL2(table, j, img.clusterBits);
      if (e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc) bump(e.host / cs);
      else if (e.kind === Kind.Compressed) {
        const [a, b] = compressedClusters(e.host, e.csize, cs);
        for (let c = a; c <= b; c++) bump(c);
      }
    }
  }
}

/** Drop active L1 entries from index `from` on (VM state, or anything beyond the disk). */
function dropActiveFrom(img: Qcow2Image, from: number): void {
  let any = false;
  for (let i = from; i < img.h.l1Size; i++) any ||= l1Offset(img.l1, i) !== 0;
  if (!any) return;
  adjustTree(img, img.l1, img.h.l1Size, -1, from);
  for (let i = from; i < img.h.l1Size; i++) encodeStd(img.l1, i, 0, false);
  img.l1Dirty = true;
}

/** Recompute COPIED flags of the active L1 and of exclusively owned active L2 tables. */
function recomputeCopied(img: Qcow2Image): void {
  for (let i = 0; i < img.h.l1Size; i++) {
    const off = l1Offset(img.l1, i);
    if (!off) continue;
    const own = img.rc.effective(off / img.cs) === 1;
    const was = (img.l1.readUInt32BE(i * 8) & HI_COPIED) !== 0;
    if (own !== was) {
      encodeStd(img.l1, i, off, own);
      img.l1Dirty = true;
    }
    // Shared tables too: their entries then all have refcount >= 2, and clearing COPIED is
    // correct for every L1 that references the table.
    if (img.fixCopiedInTable(img.l2c.get(off))) img.l2c.markDirty(off);
  }
}

/**
 * Clear COPIED on the whole active tree (everything in it is about to be shared with a new
 * snapshot) and write that out before any refcount grows. A crash then leaves COPIED clear on
 * clusters whose refcount is still 1 – harmless (one needless copy-on-write), and what QEMU's own
 * order leaves – never COPIED on a cluster a snapshot shares, which would let a later in-place
 * write change the snapshot's data.
 */
function clearActiveCopied(img: Qcow2Image): void {
  for (let i = 0; i < img.h.l1Size; i++) {
    const off = l1Offset(img.l1, i);
    if (!off) continue;
    if ((img.l1.readUInt32BE(i * 8) & HI_COPIED) !== 0) {
      encodeStd(img.l1, i, off, false);
      img.l1Dirty = true;
    }
    const table = img.l2c.get(off);
    let changed = false;
    for (let j = 0; j < img.l2Entries; j++) {
      const hi = table.readUInt32BE(j * 8);
      if (hi & HI_COPIED) {
        table.writeUInt32BE((hi & ~HI_COPIED) >>> 0, j * 8);
        changed = true;
      }
    }
    if (changed) img.l2c.markDirty(off);
  }
  img.flush();
}

/** Write a new snapshot table to fresh clusters and release the old one. */
function rewriteTable(img: Qcow2Image): void {
  const cs = img.cs;
  const oldOff = img.h.snapshotsOffset;
  const oldClusters = Math.ceil(img.snapshotsSize / cs);
  const buf = serializeSnapshotTable(img.snaps);
  let off = 0;
  if (buf.length) {
    off = img.rc.alloc(Math.ceil(buf.length / cs));
    fs.writeSync(img.fd, buf, 0, buf.length, off);
    img.dataDirty = true;
  }
  if (oldOff) for (let i = 0; i < oldClusters; i++) img.rc.decDeferred(oldOff / cs + i);
  img.h.snapshotsOffset = off;
  img.h.nbSnapshots = img.snaps.length;
  img.snapshotsSize = buf.length;
  img.headerDirty = true;
}

/** Guest offset of the VM state: the first L2 range beyond the disk (as QEMU). */
function vmStateOffset(img: Qcow2Image, diskSize: number): number {
  const span = img.cs * img.l2Entries;
  return Math.ceil(diskSize / span) * span;
}

export function createSnapshot(img: Qcow2Image, name: string, opts: SnapshotOptions): SnapshotInfo {
  if (!name || Buffer.byteLength(name) > 65535) throw new ImageError(`Image '${img.filename}': invalid snapshot name '${name}'`);
  if (img.snaps.some((s) => s.name === name)) throw new ImageError(`Image '${img.filename}': snapshot '${name}' already exists`);
  if (img.snaps.length + 2 > img.rc.max) {
    throw new ImageError(`Image '${img.filename}': ${img.rc.bits}-bit refcounts cannot hold another snapshot`);
  }
  const dateSec = opts.dateSec ?? 0;
  if (!Number.isInteger(dateSec) || dateSec < 0 || dateSec > 0xffffffff) throw new ImageError(`Image '${img.filename}': invalid snapshot date ${dateSec}`);
  const dateNsec = opts.dateNsec ?? 0;
  if (!Number.isInteger(dateNsec) || dateNsec < 0 || dateNsec > 999999999) throw new ImageError(`Image '${img.filename}': invalid snapshot date nanoseconds ${dateNsec}`);
  const icount = opts.icount ?? -1;
  if (!Number.isSafeInteger(icount) || icount < -1) throw new ImageError(`Image '${img.filename}': invalid snapshot icount ${icount}`);
  const vmClockNsec = opts.vmClockNsec ?? 0;
  if (!Number.isSafeInteger(vmClockNsec) || vmClockNsec < 0) throw new ImageError(`Image '${img.filename}': invalid snapshot VM clock ${vmClockNsec}`);
  const vm = opts.vmState ?? Buffer.alloc(0);
  const span = img.cs * img.l2Entries;
  const vmOff = vmStateOffset(img, img.h.size);
  if (vm.length) {
    img.ensureL1Size(Math.ceil((vmOff + vm.length) / span));
    img.writeAt(vmOff, vm);
  }
  clearActiveCopied(img);
  const id = String(img.snaps.reduce((m, s) => Math.max(m, Number.parseInt(s.id, 10) || 0), 0) + 1);
  // Snapshot L1: a copy without COPIED flags, written to fresh clusters (unreferenced until the
  // table and header are written by flush).
  const size = img.h.l1Size;
  const clusters = Math.max(1, Math.ceil((size * 8) / img.cs));
  const copy = Buffer.alloc(clusters * img.cs);
  for (let i = 0; i < size; i++) encodeStd(copy, i, l1Offset(img.l1, i), false);
  const l1Off = img.rc.alloc(clusters);
  fs.writeSync(img.fd, copy, 0, Math.max(size * 8, 8), l1Off);
  img.dataDirty = true;
  adjustTree(img, img.l1, size, 1);
  // The VM state is only needed in the snapshot; drop it from the active tree.
  if (vm.length) dropActiveFrom(img, vmOff / img.cs / img.l2Entries);
  recomputeCopied(img);
  const entry: SnapshotEntry = {
    l1TableOffset: l1Off,
    l1Size: size,
    id,
    name,
    dateSec,
    dateNsec,
    vmClockNsec,
    vmStateSize: vm.length,
    diskSize: img.h.size,
    icount,
    extraTail: Buffer.alloc(0),
  };
  img.snaps.push(entry);
  rewriteTable(img);
  img.flush();
  return snapshotInfo(entry);
}

export function applySnapshot(img: Qcow2Image, nameOrId: string): void {
  const s = find(img, nameOrId);
  const snL1 = readL1(img, s);
  adjustTree(img, snL1, s.l1Size, 1);
  const oldSize = img.h.l1Size;
  adjustTree(img, img.l1, oldSize, -1);
  img.ensureL1Size(s.l1Size);
  img.l1.fill(0, 0, img.h.l1Size * 8);
  snL1.copy(img.l1, 0, 0, s.l1Size * 8);
  img.l1Dirty = true;
  img.h.size = s.diskSize;
  img.headerDirty = true;
  // The snapshot's L1 also maps its VM state; the active disk must not (it would surface on grow).
  dropActiveFrom(img, vmStateOffset(img, s.diskSize) / (img.cs * img.l2Entries));
  recomputeCopied(img);
  img.flush();
}

/**
 * As QEMU: first drop the snapshot from the table (header), then lower the refcounts, and only
 * then set COPIED where the active tree became the sole owner. Setting COPIED earlier would, after
 * a crash, mark clusters the still-listed snapshot shares as writable in place.
 */
export function deleteSnapshot(img: Qcow2Image, nameOrId: string): void {
  const s = find(img, nameOrId);
  const snL1 = readL1(img, s);
  img.snaps = img.snaps.filter((x) => x !== s);
  rewriteTable(img);
  adjustTree(img, snL1, s.l1Size, -1);
  const clusters = Math.max(1, Math.ceil((s.l1Size * 8) / img.cs));
  for (let i = 0; i < clusters; i++) img.rc.decDeferred(s.l1TableOffset / img.cs + i);
  img.flush();
  recomputeCopied(img);
  img.flush();
}

export function readVmState(img: Qcow2Image, nameOrId: string): Buffer {
  const s = find(img, nameOrId);
  const out = Buffer.alloc(s.vmStateSize);
  if (s.vmStateSize) img.readVia(readL1(img, s), s.l1Size, out, 0, vmStateOffset(img, s.diskSize), s.vmStateSize, false);
  return out;
}

export function resize(img: Qcow2Image, newSize: number, shrink: boolean): void {
  const name = img.filename;
  const old = img.h.size;
  if (!Number.isSafeInteger(newSize) || newSize < 0) throw new ImageError(`Image '${name}': invalid size ${newSize}`);
  if (newSize % 512) throw new ImageError(`Image '${name}': the new size must be a multiple of 512 (got ${newSize})`);
  if (newSize === old) return;
  if (img.h.version === 2 && img.snaps.length) throw new ImageError(`Image '${name}': cannot resize a v2 (compat 0.10) image that has snapshots`);
  const cs = img.cs;
  const span = cs * img.l2Entries;
  if (newSize > old) {
    dropActiveFrom(img, Math.ceil(old / span));
    img.ensureL1Size(Math.ceil(newSize / span));
    img.h.size = newSize;
    img.headerDirty = true;
    // The new area must read as zeroes: the rest of the old last cluster, and any backing data
    // that would otherwise show through.
    const tailEnd = Math.min(newSize, Math.ceil(old / cs) * cs);
    if (tailEnd > old) img.zeroRange(old, tailEnd - old, false);
    const b = img.backing;
    if (b && b.virtualSize > tailEnd) img.zeroRange(tailEnd, Math.min(newSize, b.virtualSize) - tailEnd, false);
    img.flush();
    return;
  }
  if (!shrink) {
    throw new ImageError(`Image '${name}': shrinking from ${old} to ${newSize} bytes loses data; pass the shrink option to confirm`);
  }
  // Free every cluster wholly beyond the new end, then L2 tables that no longer map anything.
  const firstCl = Math.ceil(newSize / cs);
  const lastCl = Math.ceil(old / cs);
  for (let gcl = firstCl; gcl < lastCl; gcl++) {
    const l1i = Math.floor(gcl / img.l2Entries);
    if (l1i >= img.h.l1Size || !l1Offset(img.l1, l1i)) {
      gcl = (l1i + 1) * img.l2Entries - 1;
      continue;
    }
    if (gcl % img.l2Entries === 0 && (gcl + img.l2Entries) * cs >= old && gcl * cs >= newSize) {
      // The whole table lies beyond the new end: drop it with everything under it.
      adjustTree(img, img.l1, l1i + 1, -1, l1i);
      encodeStd(img.l1, l1i, 0, false);
      img.l1Dirty = true;
      gcl += img.l2Entries - 1;
      continue;
    }
    const table = img.l2ForWrite(l1i);
    const li = gcl % img.l2Entries;
    const e = decodeL2(table, li, img.clusterBits);
    if (e.kind === Kind.Unallocated) continue;
    img.releaseEntry(e);
    encodeStd(table, li, 0, false);
  }
  img.h.size = newSize;
  img.headerDirty = true;
  img.flush();
  img.trimFile();
}
