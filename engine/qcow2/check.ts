// Consistency check like `qemu-img check`, following QEMU 7.2's qcow2_check_refcounts step by
// step so that findings, repair lines and counts match: walk every metadata structure counting
// references per host cluster (calculate), compare with the stored refcounts (compare), verify
// COPIED flags (checkCopied). Repair as QEMU: mismatches fixed in place, or — when a referenced
// cluster has refcount 0 — the refcount structure rebuilt (repair.ts) and the old one then freed
// as leaks; dirty/corrupt bits are cleared once nothing is left broken.
import * as fs from 'node:fs';
import { ImageError, type CheckResult } from './api';
import { parseHeader, readU64, INCOMPAT_DIRTY, INCOMPAT_CORRUPT, type Qcow2Header } from './header';
import { Kind, decodeL2, l1Offset, HI_COPIED } from './l2cache';
import { parseSnapshotTable } from './snaptable';
import { readTableBytes } from './snapshots';
import { preadFull } from './raw';
import { probeFormat } from './open';
import { rebuildRefcounts, setRefcounts } from './repair';

const hex = (buf: Buffer, pos: number) => {
  const hi = buf.readUInt32BE(pos);
  const lo = buf.readUInt32BE(pos + 4);
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
};

function blankResult(file: string): CheckResult {
  return {
    filename: file, format: 'qcow2', checkErrors: 0, corruptions: 0, leaks: 0, corruptionsFixed: 0, leaksFixed: 0,
    totalClusters: 0, allocatedClusters: 0, fragmentedClusters: 0, compressedClusters: 0, imageEndOffset: 0, messages: [],
  };
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

/**
 * QEMU's calculate_refcounts: references per host cluster from the header, active and snapshot
 * L1/L2 tables, snapshot table, refcount table and blocks. Findings go into res; rebuild is set
 * when the refcount structure itself is broken.
 */
function calculate(fd: number, file: string, res: CheckResult): { h: Qcow2Header; refs: number[]; rebuild: boolean } {
  const fileSize = fs.fstatSync(fd).size;
  const head = Buffer.alloc(2 << 20);
  const h = parseHeader(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)), file);
  const cs = 1 << h.clusterBits;
  const l2Entries = cs / 8;
  res.totalClusters = Math.ceil(h.size / cs);
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
  return { h, refs, rebuild };
}

/**
 * QEMU's compare_refcounts: one line per cluster whose stored refcount differs from its
 * references. With fix, leaks (fix.leaks) and non-zero undercounts (fix.errors) are corrected in
 * place; a referenced cluster with refcount 0 always asks for a rebuild instead.
 */
function compare(fd: number, h: Qcow2Header, refs: number[], res: CheckResult, fix: { leaks: boolean; errors: boolean }): { rebuild: boolean; highest: number } {
  const rr = refcountReader(fd, h, res);
  let rebuild = false;
  let highest = 0;
  const fixes = new Map<number, number>();
  const n = Math.max(refs.length, Math.ceil(fs.fstatSync(fd).size / rr.cs));
  for (let i = 0; i < n; i++) {
    const have = rr.stored(i);
    const want = refs[i] ?? 0;
    if (have > 0 || want > 0) highest = i;
    if (have === want) continue;
    let fixing = false;
    if (have === 0) rebuild = true;
    else if (have > want && fix.leaks) fixing = true;
    else if (have < want && fix.errors) fixing = true;
    res.messages.push(`${fixing ? 'Repairing' : have < want ? 'ERROR' : 'Leaked'} cluster ${i} refcount=${have} reference=${want}`);
    if (fixing) {
      fixes.set(i, want);
      if (have > want) res.leaksFixed++;
      else res.corruptionsFixed++;
    } else if (have < want) res.corruptions++;
    else res.leaks++;
  }
  if (fixes.size) setRefcounts(fd, h, fixes);
  return { rebuild, highest };
}

/** QEMU's check_oflag_copied: COPIED must be set exactly where the stored refcount is 1. */
function checkCopied(fd: number, h: Qcow2Header, res: CheckResult, repair: boolean): void {
  const rr = refcountReader(fd, h, res);
  const cs = rr.cs;
  const flip = (buf: Buffer, pos: number, want: boolean) => {
    const hi = buf.readUInt32BE(pos);
    buf.writeUInt32BE((want ? hi | HI_COPIED : hi & ~HI_COPIED) >>> 0, pos);
  };
  const l1 = Buffer.alloc(h.l1Size * 8);
  preadFull(fd, l1, 0, l1.length, h.l1TableOffset);
  const l2buf = Buffer.alloc(cs);
  for (let i = 0; i < h.l1Size; i++) {
    const l2 = l1Offset(l1, i);
    if (!l2) continue;
    const rc = rr.stored(l2 / cs);
    if ((rc === 1) !== ((l1.readUInt32BE(i * 8) & HI_COPIED) !== 0)) {
      res.messages.push(`${repair ? 'Repairing' : 'ERROR'} OFLAG_COPIED L2 cluster: l1_index=${i} l1_entry=${hex(l1, i * 8)} refcount=${rc}`);
      if (repair) {
        flip(l1, i * 8, rc === 1);
        fs.writeSync(fd, l1, i * 8, 8, h.l1TableOffset + i * 8);
        res.corruptionsFixed++;
      } else res.corruptions++;
    }
    preadFull(fd, l2buf, 0, cs, l2);
    let dirty = 0;
    for (let j = 0; j < cs / 8; j++) {
      const e = decodeL2(l2buf, j, h.clusterBits);
      if (e.kind !== Kind.Normal && e.kind !== Kind.ZeroAlloc) continue;
      const drc = rr.stored(Math.floor(e.host / cs));
      if ((drc === 1) === e.copied) continue;
      res.messages.push(`${repair ? 'Repairing' : 'ERROR'} OFLAG_COPIED data cluster: l2_entry=${hex(l2buf, j * 8)} refcount=${drc}`);
      if (repair) {
        flip(l2buf, j * 8, drc === 1);
        dirty++;
      } else res.corruptions++;
    }
    if (dirty) {
      fs.writeSync(fd, l2buf, 0, cs, l2);
      res.corruptionsFixed += dirty;
    }
  }
}

type Counts = Pick<CheckResult, 'checkErrors' | 'corruptions' | 'leaks' | 'corruptionsFixed' | 'leaksFixed'>;
const counts = (r: CheckResult): Counts => ({ checkErrors: r.checkErrors, corruptions: r.corruptions, leaks: r.leaks, corruptionsFixed: r.corruptionsFixed, leaksFixed: r.leaksFixed });

/** One pass of QEMU's qcow2 check (qcow2_co_check_locked → qcow2_check_refcounts). */
function runCheck(fd: number, file: string, repair: 'leaks' | 'all' | undefined): CheckResult {
  const res = blankResult(file);
  const fixLeaks = repair !== undefined;
  const fixErrors = repair === 'all';
  let { h, refs, rebuild } = calculate(fd, file, res);
  const pre = counts(res);
  const first = compare(fd, h, refs, res, { leaks: false, errors: false });
  let highest = first.highest;
  rebuild ||= first.rebuild;
  if (rebuild && fixErrors) {
    const old = counts(res);
    res.messages.push('Rebuilding refcount structure');
    rebuildRefcounts(fd, h, refs);
    res.corruptions = 0;
    res.leaks = 0;
    ({ h, refs } = calculate(fd, file, res));
    // The old refcount table and blocks are leaked now: free them (only new leaks count).
    const tmp = blankResult(file);
    const again = compare(fd, h, refs, tmp, { leaks: true, errors: false });
    if (again.rebuild) tmp.messages.push('ERROR rebuilt refcount structure is still broken');
    res.messages.push(...tmp.messages);
    highest = again.highest;
    if (res.corruptions < old.corruptions) res.corruptionsFixed += old.corruptions - res.corruptions;
    if (res.leaks < old.leaks) res.leaksFixed += old.leaks - res.leaks;
    res.leaks += tmp.leaks;
  } else if (fixLeaks) {
    if (rebuild) {
      res.messages.push('ERROR need to rebuild refcount structures');
      res.checkErrors++;
      res.failed = 'Input/output error';
      return res;
    }
    if (res.leaks || res.corruptions) {
      Object.assign(res, pre);
      highest = compare(fd, h, refs, res, { leaks: fixLeaks, errors: fixErrors }).highest;
    }
  }
  const repairCopied = fixErrors || (fixLeaks && !res.checkErrors && !res.corruptions && !res.leaks);
  checkCopied(fd, h, res, repairCopied);
  res.imageEndOffset = (highest + 1) * (1 << h.clusterBits);
  if (fixLeaks && !res.checkErrors && !res.corruptions) markClean(fd, h);
  return res;
}

/** Clear the dirty and corrupt bits (v3 incompatible features, low word at byte 76). */
function markClean(fd: number, h: Qcow2Header): void {
  if (h.version !== 3 || !(h.incompatible & (INCOMPAT_DIRTY | INCOMPAT_CORRUPT))) return;
  const b = Buffer.alloc(4);
  b.writeUInt32BE((h.incompatible & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT)) >>> 0);
  fs.fsyncSync(fd);
  fs.writeSync(fd, b, 0, 4, 76);
}

/**
 * Check (and with repair, fix) an image like `qemu-img check [-r leaks|all]`. When something was
 * fixed, the image is checked again and that result returned with the fixed counts, as qemu-img's
 * "Double checking the fixed image now..." does. messages hold qemu's stderr lines in order.
 */
export function checkImage(file: string, opts?: { repair?: 'leaks' | 'all' }): CheckResult {
  if (probeFormat(file) !== 'qcow2') throw new ImageError(`Image '${file}': format 'raw' does not support checks`);
  const repair = opts?.repair;
  if (repair !== undefined && repair !== 'leaks' && repair !== 'all') throw new ImageError(`Image '${file}': unknown repair mode '${String(repair)}'`);
  const fd = fs.openSync(file, repair ? 'r+' : 'r');
  try {
    const res = runCheck(fd, file, repair);
    if (repair) fs.fsyncSync(fd);
    if (res.failed || !(res.corruptionsFixed || res.leaksFixed)) return res;
    const after = runCheck(fd, file, undefined);
    after.corruptionsFixed = res.corruptionsFixed;
    after.leaksFixed = res.leaksFixed;
    after.messages = [...res.messages, ...after.messages];
    return after;
  } finally {
    fs.closeSync(fd);
  }
}
