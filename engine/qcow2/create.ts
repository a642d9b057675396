// Image creation. qcow2 starts like QEMU's: cluster 0 header, 1 refcount table, 2 refcount
// block, then the L1 table allocated by growing the empty image to its size (cluster 3).
import * as fs from 'node:fs';
import { ImageError, type CreateOptions, type ImageFormat } from './api';
import { serializeHeader, writeU64, COMPAT_LAZY_REFCOUNTS, type Qcow2Header } from './header';
import { openChain, probeFormat, resolveBacking } from './open';
import { Qcow2Image } from './image';

export function createImage(file: string, opts: CreateOptions): void {
  const bad = (why: string) => new ImageError(`Cannot create image '${file}': ${why}`);
  if (opts.format !== 'qcow2' && opts.format !== 'raw') throw bad(`unknown format '${String(opts.format)}'`);
  let size = opts.size;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) throw bad(`invalid size ${size}`);
  let backingFormat: ImageFormat | undefined;
  if (opts.backingFile !== undefined) {
    if (opts.format === 'raw') throw bad('raw images cannot have a backing file');
    if (!opts.backingFile) throw bad('empty backing file name');
    if (Buffer.byteLength(opts.backingFile) > 1023) throw bad('backing file name longer than 1023 bytes');
    const resolved = resolveBacking(file, opts.backingFile);
    backingFormat = opts.backingFormat ?? probeFormat(resolved);
    const b = openChain(resolved, true, backingFormat, 1);
    try {
      size ??= b.virtualSize;
    } finally {
      b.close();
    }
  }
  if (size === undefined) throw bad('size is required when there is no backing file');
  size = Math.ceil(size / 512) * 512; // QEMU rounds virtual sizes up to whole sectors
  if (opts.format === 'raw') {
    if (opts.clusterSize !== undefined || opts.compat !== undefined || opts.refcountBits !== undefined || opts.lazyRefcounts) {
      throw bad('cluster size, compat, refcount bits and lazy refcounts apply to qcow2 only');
    }
    const fd = openForCreate(file);
    try {
      fs.ftruncateSync(fd, 0);
      fs.ftruncateSync(fd, size);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const cs = opts.clusterSize ?? 65536;
  if (!Number.isInteger(cs) || cs < 512 || cs > 2 << 20 || (cs & (cs - 1)) !== 0) throw bad(`cluster size must be a power of two between 512 B and 2 MiB (got ${cs})`);
  const compat = opts.compat ?? '1.1';
  if (compat !== '1.1' && compat !== '0.10') throw bad(`unknown compat level '${String(compat)}'`);
  const version = compat === '1.1' ? 3 : 2;
  const bits = opts.refcountBits ?? 16;
  const order = Math.log2(bits);
  if (!Number.isInteger(order) || order < 0 || order > 6) throw bad(`refcount bits must be a power of two between 1 and 64 (got ${bits})`);
  if (version === 2 && bits !== 16) throw bad('compat 0.10 images require 16-bit refcounts');
  if (version === 2 && opts.lazyRefcounts) throw bad('lazy refcounts require compat 1.1');
  const h: Qcow2Header = {
    version,
    clusterBits: Math.log2(cs),
    size: 0,
    cryptMethod: 0,
    l1Size: 0,
    l1TableOffset: 3 * cs,
    refcountTableOffset: cs,
    refcountTableClusters: 1,
    nbSnapshots: 0,
    snapshotsOffset: 0,
    incompatible: 0,
    compatible: opts.lazyRefcounts ? COMPAT_LAZY_REFCOUNTS : 0,
    autoclear: 0,
    refcountOrder: order,
    headerLength: version === 3 ? 112 : 72,
    compressionType: 0,
    backingFile: opts.backingFile,
    backingFormat,
    otherExtensions: [],
  };
  const header = serializeHeader(h, file); // validates that everything fits before touching the file
  const fd = openForCreate(file);
  try {
    fs.ftruncateSync(fd, 0);
    const meta = Buffer.alloc(3 * cs);
    header.copy(meta);
    writeU64(meta, cs, 2 * cs);
    // Refcounts of clusters 0..2 = 1 in the block at cluster 2 (entry width = refcount bits).
    const block = meta.subarray(2 * cs);
    for (let i = 0; i < 3; i++) setRefcount(block, i, bits, 1);
    fs.writeSync(fd, meta, 0, meta.length, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (size > 0) {
    const img = new Qcow2Image(file, false, undefined, fs.openSync(file, 'r+'));
    try {
      img.ensureL1Size(Math.ceil(size / (cs * (cs / 8))));
      img.h.size = size;
      img.headerDirty = true;
    } finally {
      img.close();
    }
  }
}

function setRefcount(block: Buffer, i: number, bits: number, v: number): void {
  if (bits >= 8) {
    const bytes = bits / 8;
    block[i * bytes + bytes - 1] = v;
  } else {
    const per = 8 / bits;
    block[Math.floor(i / per)] |= v << ((i % per) * bits);
  }
}

function openForCreate(file: string): number {
  try {
    return fs.openSync(file, 'w');
  } catch (e) {
    throw new ImageError(`Cannot create image '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
