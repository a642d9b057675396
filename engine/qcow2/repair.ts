// Refcount repairs for check.ts: in-place fixes of single refcounts, and QEMU 7.2's
// rebuild_refcount_structure — new refcount blocks and table allocated in free clusters from the
// computed references (the old structure still counted, so it is freed afterwards as leaks, with
// the same "Repairing cluster …" lines and the same layout as qemu-img check -r all).
import * as fs from 'node:fs';
import { ImageError } from './api';
import { readU64, writeU64, type Qcow2Header } from './header';
import { preadFull } from './raw';

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

/** Set stored refcounts (cluster index → value) whose refcount blocks exist, block by block. */
export function setRefcounts(fd: number, h: Qcow2Header, values: Map<number, number>): void {
  const cs = 1 << h.clusterBits;
  const bits = 1 << h.refcountOrder;
  const perBlock = (cs * 8) / bits;
  const table = Buffer.alloc(h.refcountTableClusters * cs);
  preadFull(fd, table, 0, table.length, h.refcountTableOffset);
  const byBlock = new Map<number, Array<[number, number]>>();
  for (const [idx, v] of values) {
    const bi = Math.floor(idx / perBlock);
    if (!byBlock.has(bi)) byBlock.set(bi, []);
    byBlock.get(bi)!.push([idx % perBlock, v]);
  }
  for (const [bi, list] of byBlock) {
    const off = readU64(table, bi * 8);
    if (!off) throw new ImageError(`Cannot repair: refcount block ${bi} is missing`);
    const b = Buffer.alloc(cs);
    preadFull(fd, b, 0, cs, off);
    for (const [i, v] of list) setEntry(b, i, bits, v);
    fs.writeSync(fd, b, 0, cs, off);
  }
}

/**
 * Write a new refcount structure holding `refs` (which still count the old table and blocks) and
 * point the header at it. Blocks go to the first free cluster of the range they describe, the
 * table to the first free run; placing them may need more blocks, so repeat until stable.
 */
export function rebuildRefcounts(fd: number, h: Qcow2Header, refs: number[]): void {
  const cs = 1 << h.clusterBits;
  const bits = 1 << h.refcountOrder;
  const max = bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1;
  const perBlock = (cs * 8) / bits;
  const r = refs.slice();
  const entries: number[] = []; // refcount table entries (host offsets), grown a cluster at a time
  const alloc = (n: number, from: number): number => {
    let run = 0;
    let c = from;
    for (; run < n; c++) run = r[c] ? 0 : run + 1;
    const start = c - n;
    for (let i = start; i < c; i++) r[i] = 1;
    return start;
  };
  const placeBlocks = (first: number, end: number): boolean => {
    let grown = false;
    for (let c = first; c < end; c++) {
      if (!r[c]) continue;
      const bi = Math.floor(c / perBlock);
      if (!entries[bi]) {
        const at = alloc(1, bi * perBlock);
        if (at >= end) end = at + 1;
        if (entries.length <= bi) {
          const len = Math.ceil(((bi + 1) * 8) / cs) * (cs / 8);
          while (entries.length < len) entries.push(0);
          grown = true;
        }
        entries[bi] = at * cs;
      }
      c = (bi + 1) * perBlock - 1;
    }
    return grown;
  };
  placeBlocks(0, r.length);
  let tableAt: number;
  let tableClusters: number;
  do {
    tableClusters = Math.ceil((entries.length * 8) / cs);
    tableAt = alloc(tableClusters, 0);
  } while (placeBlocks(tableAt, tableAt + tableClusters));
  const table = Buffer.alloc(tableClusters * cs);
  entries.forEach((off, bi) => {
    if (!off) return;
    writeU64(table, bi * 8, off);
    const b = Buffer.alloc(cs);
    for (let i = 0; i < perBlock; i++) {
      const v = r[bi * perBlock + i] ?? 0;
      if (v > max) throw new ImageError(`Cannot repair: cluster ${bi * perBlock + i} needs refcount ${v} > ${max}`);
      if (v) setEntry(b, i, bits, v);
    }
    fs.writeSync(fd, b, 0, cs, off);
  });
  fs.writeSync(fd, table, 0, table.length, tableAt * cs);
  fs.fsyncSync(fd);
  const ptr = Buffer.alloc(12);
  writeU64(ptr, 0, tableAt * cs);
  ptr.writeUInt32BE(tableClusters, 8);
  fs.writeSync(fd, ptr, 0, 12, 48);
  fs.fsyncSync(fd);
}
