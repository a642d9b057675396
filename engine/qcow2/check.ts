// Consistency check like `qemu-img check`: walk every metadata structure, count references per
// host cluster, compare with the stored refcounts, verify COPIED flags, gather the same
// statistics (allocated/fragmented/compressed clusters, image end offset). Repair rebuilds the
// refcount structure from the computed references (or just fixes leaks).
import * as fs from 'node:fs';
import { ImageError, type CheckResult } from './api';
import { parseHeader, readU64, writeU64, serializeHeader, INCOMPAT_DIRTY, INCOMPAT_CORRUPT, type Qcow2Header } from './header';
import { Kind, decodeL2, l1Offset, HI_COPIED } from './l2cache';
import { parseSnapshotTable } from './snaptable';
import { readTableBytes } from './snapshots';
import { preadFull } from './raw';
import { probeFormat } from './open';

const hex = (buf: Buffer, pos: number) => {
  const hi = buf.readUInt32BE(pos);
  const lo = buf.readUInt32BE(pos + 4);
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
};

interface Analysis {
  res: CheckResult;
  refs: number[];
  stored: (idx: number) => number;
  rebuild: boolean;
  /** clusters whose stored refcount exceeds the references (index → computed). */
  leaked: Map<number, number>;
  mismatched: number;
  copiedErrors: number;
}

function refcountReader(fd: number, h: Qcow2Header, res: CheckResult) {
  const cs = 1 << h.clusterBits;
  const bits = 1 << h.refcountOrder;
  const perBlock = (cs * 8) / bits;
  const table = Buffer.alloc(h.refcountTableClusters * cs);
  preadFull(fd, table, 0, table.length, h.refcountTableOffset);
  const blocks = new Map<number, Buffer | null>();
  const stored = (idx: number): number => {
    const bi = Math.floor(idx / perBlock);
    if (bi >= table.length / 8) return 0;
    let b = blocks.get(bi);
    if (b === undefined) {
      const off = readU64(table, bi * 8);
      b = null;
      if (off && off % cs === 0) {
        b = Buffer.alloc(cs);
        preadFull(fd, b, 0, cs, off);
      } else if (off) res.checkErrors++;
      blocks.set(bi, b);
    }
    if (!b) return 0;
    const i = idx % perBlock;
    if (bits === 16) return b.readUInt16BE(i * 2);
    if (bits === 8) return b[i];
    if (bits === 32) return b.readUInt32BE(i * 4);
    if (bits === 64) return readU64(b, i * 8);
    const per = 8 / bits;
    return (b[Math.floor(i / per)] >> ((i % per) * bits)) & ((1 << bits) - 1);
  };
  return { stored, table, perBlock, bits, cs };
}

function analyse(fd: number, file: string): Analysis & { h: Qcow2Header } {
  const fileSize = fs.fstatSync(fd).size;
  const head = Buffer.alloc(2 << 20);
  const h = parseHeader(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)), file);
  const cs = 1 << h.clusterBits;
  const l2Entries = cs / 8;
  const res: CheckResult = {
    filename: file, format: 'qcow2', checkErrors: 0, corruptions: 0, leaks: 0, corruptionsFixed: 0, leaksFixed: 0,
    totalClusters: Math.ceil(h.size / cs), allocatedClusters: 0, fragmentedClusters: 0, compressedClusters: 0, imageEndOffset: 0, messages: [],
  };
  const refs: number[] = new Array(Math.ceil(fileSize / cs)).fill(0);
  const inc = (off: number, size: number) => {
    if (size <= 0) return;
    if (off + size > fileSize + cs) {
      res.messages.push(`ERROR: counting reference for region exceeding the end of the file by one cluster or more: offset 0x${off.toString(16)} size 0x${size.toString(16)}`);
      res.corruptions++;
      return;
    }
    for (let k = Math.floor(off / cs); k <= Math.floor((off + size - 1) / cs); k++) refs[k] = (refs[k] ?? 0) + 1;
  };
  const l2buf = Buffer.alloc(cs);
  const checkL1 = (l1Off: number, l1Size: number, frag: boolean) => {
    inc(l1Off, l1Size * 8);
    const l1 = Buffer.alloc(l1Size * 8);
    preadFull(fd, l1, 0, l1.length, l1Off);
    for (let i = 0; i < l1Size; i++) {
      const l2 = l1Offset(l1, i);
      if (!l2) continue;
      inc(l2, cs);
      if (l2 % cs) {
        res.messages.push(`ERROR l2_offset=${l2.toString(16)}: Table is not cluster aligned; L1 entry corrupted`);
        res.corruptions++;
      }
      preadFull(fd, l2buf, 0, cs, l2);
      let next = 0;
      for (let j = 0; j < l2Entries; j++) {
        const e = decodeL2(l2buf, j, h.clusterBits);
        if (e.kind === Kind.Compressed) {
          if (e.copied) {
            res.messages.push(`ERROR: cluster ${Math.floor(e.host / cs)}: copied flag must never be set for compressed clusters`);
            res.corruptions++;
          }
          inc(e.host - (e.host % 512), e.csize + (e.host % 512));
          if (frag) {
            res.allocatedClusters++;
            res.compressedClusters++;
            res.fragmentedClusters++;
          }
        } else if (e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc) {
          if (frag) {
            res.allocatedClusters++;
            if (next && e.host !== next) res.fragmentedClusters++;
            next = e.host + cs;
          }
          inc(e.host, cs);
          if (e.host % cs) {
            res.messages.push(`ERROR offset=${e.host.toString(16)}: Cluster is not properly aligned; L2 entry corrupted.`);
            res.corruptions++;
          }
        }
      }
    }
  };
  inc(0, cs);
  checkL1(h.l1TableOffset, h.l1Size, true);
  const snapBytes = readTableBytes(fd, h.snapshotsOffset, h.nbSnapshots);
  for (const s of parseSnapshotTable(snapBytes, h.nbSnapshots, h.size, file)) checkL1(s.l1TableOffset, s.l1Size, false);
  inc(h.snapshotsOffset, snapBytes.length);
  const rr = refcountReader(fd, h, res);
  inc(h.refcountTableOffset, h.refcountTableClusters * cs);
  let rebuild = false;
  const nbClusters = Math.ceil(fileSize / cs);
  for (let i = 0; i < rr.table.length / 8; i++) {
    const off = readU64(rr.table, i * 8);
    if (off % cs) {
      res.messages.push(`ERROR refcount block ${i} is not cluster aligned; refcount table entry corrupted`);
      res.corruptions++;
      rebuild = true;
      continue;
    }
    if (off / cs >= nbClusters) {
      res.messages.push(`ERROR refcount block ${i} is outside image`);
      res.corruptions++;
      rebuild = true;
      continue;
    }
    if (off) {
      inc(off, cs);
      if (refs[off / cs] !== 1) {
        res.messages.push(`ERROR refcount block ${i} refcount=${refs[off / cs]}`);
        res.corruptions++;
        rebuild = true;
      }
    }
  }
  // Compare.
  let highest = 0;
  let mismatched = 0;
  const leaked = new Map<number, number>();
  for (let i = 0; i < refs.length; i++) {
    const want = refs[i] ?? 0;
    const have = rr.stored(i);
    if (have > 0 || want > 0) highest = i;
    if (have === want) continue;
    if (have === 0) rebuild = true;
    res.messages.push(`${have < want ? 'ERROR' : 'Leaked'} cluster ${i} refcount=${have} reference=${want}`);
    if (have < want) {
      res.corruptions++;
      mismatched++;
    } else {
      res.leaks++;
      leaked.set(i, want);
    }
  }
  // COPIED flags of the active tables.
  let copiedErrors = 0;
  const l1 = Buffer.alloc(h.l1Size * 8);
  preadFull(fd, l1, 0, l1.length, h.l1TableOffset);
  for (let i = 0; i < h.l1Size; i++) {
    const l2 = l1Offset(l1, i);
    if (!l2) continue;
    const rc = rr.stored(l2 / cs);
    if ((rc === 1) !== ((l1.readUInt32BE(i * 8) & HI_COPIED) !== 0)) {
      res.messages.push(`ERROR OFLAG_COPIED L2 cluster: l1_index=${i} l1_entry=${hex(l1, i * 8)} refcount=${rc}`);
      res.corruptions++;
      copiedErrors++;
    }
    preadFull(fd, l2buf, 0, cs, l2);
    for (let j = 0; j < l2Entries; j++) {
      const e = decodeL2(l2buf, j, h.clusterBits);
      if (e.kind !== Kind.Normal && e.kind !== Kind.ZeroAlloc) continue;
      const drc = rr.stored(Math.floor(e.host / cs));
      if ((drc === 1) !== e.copied) {
        res.messages.push(`ERROR OFLAG_COPIED data cluster: l2_entry=${hex(l2buf, j * 8)} refcount=${drc}`);
        res.corruptions++;
        copiedErrors++;
      }
    }
  }
  res.imageEndOffset = (highest + 1) * cs;
  return { h, res, refs, stored: rr.stored, rebuild, leaked, mismatched, copiedErrors };
}

export function checkImage(file: string, opts?: { repair?: 'leaks' | 'all' }): CheckResult {
  if (probeFormat(file) !== 'qcow2') throw new ImageError(`Image '${file}': format 'raw' does not support checks`);
  const repair = opts?.repair;
  if (repair !== undefined && repair !== 'leaks' && repair !== 'all') throw new ImageError(`Image '${file}': unknown repair mode '${String(repair)}'`);
  const fd = fs.openSync(file, repair ? 'r+' : 'r');
  try {
    const first = analyse(fd, file);
    if (!repair) return first.res;
    const dirty = (first.h.incompatible & (INCOMPAT_DIRTY | INCOMPAT_CORRUPT)) !== 0;
    const messages: string[] = [];
    if (repair === 'all' && (first.rebuild || first.mismatched > 0 || dirty)) {
      messages.push('Rebuilding refcount structure');
      rebuildRefcounts(fd, first.h, first.refs);
    } else if (first.leaked.size) {
      fixLeaks(fd, first.h, first.leaked);
    }
    if (repair === 'all') fixCopied(fd, file);
    if (repair === 'all' && dirty) {
      const h = analyse(fd, file).h;
      h.incompatible &= ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT);
      const hb = serializeHeader(h, file);
      fs.writeSync(fd, hb, 0, hb.length, 0);
    }
    fs.fsyncSync(fd);
    const after = analyse(fd, file).res;
    after.leaksFixed = Math.max(0, first.res.leaks - after.leaks);
    after.corruptionsFixed = Math.max(0, first.res.corruptions - after.corruptions);
    after.messages = [
      ...first.res.messages.map((m) => m.replace(/^(ERROR|Leaked) (cluster|OFLAG_COPIED)/, 'Repairing $2')),
      ...messages,
      ...after.messages,
    ];
    return after;
  } finally {
    fs.closeSync(fd);
  }
}

/** Lower stored refcounts of leaked clusters to their reference count, block by block. */
function fixLeaks(fd: number, h: Qcow2Header, leaked: Map<number, number>): void {
  const cs = 1 << h.clusterBits;
  const bits = 1 << h.refcountOrder;
  const perBlock = (cs * 8) / bits;
  const table = Buffer.alloc(h.refcountTableClusters * cs);
  preadFull(fd, table, 0, table.length, h.refcountTableOffset);
  const byBlock = new Map<number, Array<[number, number]>>();
  for (const [idx, v] of leaked) {
    const bi = Math.floor(idx / perBlock);
    if (!byBlock.has(bi)) byBlock.set(bi, []);
    byBlock.get(bi)!.push([idx % perBlock, v]);
  }
  for (const [bi, list] of byBlock) {
    const off = readU64(table, bi * 8);
    const b = Buffer.alloc(cs);
    preadFull(fd, b, 0, cs, off);
    for (const [i, v] of list) setEntry(b, i, bits, v);
    fs.writeSync(fd, b, 0, cs, off);
  }
}

function setEntry(b: Buffer, i: number, bits: number, v: number): void {
  if (bits === 16) b.writeUInt16BE(v, i * 2);
  else if (bits === 8) b[i] = v;
  else if (bits === 32) b.writeUInt32BE(v, i * 4);
  else if (bits === 64) writeU64(b, i * 8, v);
  else {
    const per = 8 / bits;
    const sh = (i % per) * bits;
    const m = (1 << bits) - 1;
    b[Math.floor(i / per)] = (b[Math.floor(i / per)] & ~(m << sh)) | ((v & m) << sh);
  }
}

/**
 * Write a brand-new refcount structure after the end of the file from the computed references
 * (which exclude the old structure: it simply becomes free space), then switch the header to it.
 */
function rebuildRefcounts(fd: number, h: Qcow2Header, refsWithOld: number[]): void {
  const cs = 1 << h.clusterBits;
  const bits = 1 << h.refcountOrder;
  const max = bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1;
  const perBlock = (cs * 8) / bits;
  // Drop the references the old refcount table/blocks contributed.
  const refs = refsWithOld.slice();
  const oldTable = Buffer.alloc(h.refcountTableClusters * cs);
  preadFull(fd, oldTable, 0, oldTable.length, h.refcountTableOffset);
  for (let i = 0; i < h.refcountTableClusters; i++) refs[h.refcountTableOffset / cs + i]--;
  for (let i = 0; i < oldTable.length / 8; i++) {
    const off = readU64(oldTable, i * 8);
    if (off && off % cs === 0 && refs[off / cs] > 0) refs[off / cs]--;
  }
  const start = Math.max(refs.length, Math.ceil(fs.fstatSync(fd).size / cs));
  let nBlocks = 0;
  let tableClusters = 0;
  for (;;) {
    const total = start + nBlocks + tableClusters;
    const nb = Math.ceil(total / perBlock);
    const tc = Math.max(1, Math.ceil((nb * 8) / cs));
    if (nb === nBlocks && tc === tableClusters) break;
    nBlocks = nb;
    tableClusters = tc;
  }
  for (let i = 0; i < nBlocks + tableClusters; i++) refs[start + i] = 1;
  const blocks = Buffer.alloc(nBlocks * cs);
  const table = Buffer.alloc(tableClusters * cs);
  for (let bi = 0; bi < nBlocks; bi++) {
    writeU64(table, bi * 8, (start + bi) * cs);
    const b = blocks.subarray(bi * cs, (bi + 1) * cs);
    for (let i = 0; i < perBlock; i++) {
      const v = refs[bi * perBlock + i] ?? 0;
      if (v > max) throw new ImageError(`Cannot repair: cluster ${bi * perBlock + i} needs refcount ${v} > ${max}`);
      if (v) setEntry(b, i, bits, v);
    }
  }
  fs.writeSync(fd, blocks, 0, blocks.length, start * cs);
  fs.writeSync(fd, table, 0, table.length, (start + nBlocks) * cs);
  fs.fsyncSync(fd);
  const ptr = Buffer.alloc(12);
  writeU64(ptr, 0, (start + nBlocks) * cs);
  ptr.writeUInt32BE(tableClusters, 8);
  fs.writeSync(fd, ptr, 0, 12, 48);
  fs.fsyncSync(fd);
}

/** Make COPIED flags of the active L1/L2 tables agree with the (repaired) refcounts. */
function fixCopied(fd: number, file: string): void {
  const a = analyse(fd, file);
  if (!a.copiedErrors) return;
  const h = a.h;
  const cs = 1 << h.clusterBits;
  const l1 = Buffer.alloc(h.l1Size * 8);
  preadFull(fd, l1, 0, l1.length, h.l1TableOffset);
  const l2 = Buffer.alloc(cs);
  const flip = (buf: Buffer, pos: number, want: boolean) => {
    const hi = buf.readUInt32BE(pos);
    buf.writeUInt32BE((want ? hi | HI_COPIED : hi & ~HI_COPIED) >>> 0, pos);
  };
  for (let i = 0; i < h.l1Size; i++) {
    const off = l1Offset(l1, i);
    if (!off) continue;
    flip(l1, i * 8, a.stored(off / cs) === 1);
    preadFull(fd, l2, 0, cs, off);
    for (let j = 0; j < cs / 8; j++) {
      const e = decodeL2(l2, j, h.clusterBits);
      if (e.kind === Kind.Normal || e.kind === Kind.ZeroAlloc) flip(l2, j * 8, a.stored(e.host / cs) === 1);
    }
    fs.writeSync(fd, l2, 0, cs, off);
  }
  fs.writeSync(fd, l1, 0, l1.length, h.l1TableOffset);
}
