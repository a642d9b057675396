// Format probing and opening of an image with its backing chain (read-only, relative names
// resolved against the overlay's directory as QEMU does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageError, type BlockImage, type ImageFormat } from './api';
import { QCOW2_MAGIC, INCOMPAT_DIRTY } from './header';
import { RawImage, type ChainImage } from './raw';
import { Qcow2Image } from './image';
import { checkImage } from './check';

const MAX_CHAIN = 64;

export function probeFormat(file: string): ImageFormat {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new ImageError(`Image '${file}': cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const b = Buffer.alloc(4);
    const n = fs.readSync(fd, b, 0, 4, 0);
    return n === 4 && b.readUInt32BE(0) === QCOW2_MAGIC ? 'qcow2' : 'raw';
  } finally {
    fs.closeSync(fd);
  }
}

export function resolveBacking(overlay: string, backing: string): string {
  return path.isAbsolute(backing) ? backing : path.join(path.dirname(overlay), backing);
}

export function openChain(file: string, readOnly: boolean, format: ImageFormat | undefined, depth: number, l2CacheBytes?: number, noBacking = false): ChainImage {
  if (depth > MAX_CHAIN) throw new ImageError(`Image '${file}': backing chain is longer than ${MAX_CHAIN} images (loop?)`);
  const fmt = format ?? probeFormat(file);
  if (fmt === 'raw') return new RawImage(file, readOnly);
  if (fmt !== 'qcow2') throw new ImageError(`Image '${file}': unknown format '${String(fmt)}'`);
  let fd: number;
  try {
    fd = fs.openSync(file, readOnly ? 'r' : 'r+');
  } catch (e) {
    throw new ImageError(`Image '${file}': cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let backing: ChainImage | undefined;
  try {
    // Peek at the header first: backing chain and dirty bit must be handled before opening.
    const probe = new Qcow2Image(file, true, undefined, fd);
    const h = probe.h;
    if (!readOnly && h.incompatible & INCOMPAT_DIRTY) {
      // Left dirty by a lazy-refcount writer: refcounts cannot be trusted, rebuild them.
      fs.closeSync(fd);
      checkImage(file, { repair: 'all' });
      fd = fs.openSync(file, 'r+');
    }
    if (h.backingFile && !noBacking) {
      const bf = h.backingFormat;
      if (bf && bf !== 'qcow2' && bf !== 'raw') throw new ImageError(`Image '${file}': unsupported backing format '${bf}'`);
      backing = openChain(resolveBacking(file, h.backingFile), true, bf as ImageFormat | undefined, depth + 1);
    }
    const img = new Qcow2Image(file, readOnly, backing, fd, l2CacheBytes);
    if (noBacking) img.detached = !!h.backingFile;
    else img.openBacking = (name, fmt) => openChain(resolveBacking(file, name), true, fmt, depth + 1);
    return img;
  } catch (e) {
    backing?.close();
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    throw e;
  }
}

export interface OpenOptions {
  readOnly?: boolean;
  format?: ImageFormat;
  /**
   * 'writeback' (default): flush()/close() fsync between ordered metadata writes (crash safe).
   * 'unsafe': same write order, no fsync, like qemu-img convert's default output cache mode;
   * for throwaway outputs where a crash means starting over.
   */
  cache?: 'writeback' | 'unsafe';
  /**
   * qcow2: do not open the backing chain (like QEMU's backing=null), e.g. to show `info` for an
   * overlay whose backing file is missing, or to repoint it with setBacking. Unallocated clusters
   * read as zeroes and guest writes are refused, since they would need the backing data.
   */
  noBacking?: boolean;
  /**
   * qcow2: bytes of L2 tables kept in memory (default 32 MiB, like QEMU's l2-cache-size; at
   * least 4 tables). Beyond it the least recently used tables are written back and dropped.
   */
  l2CacheSize?: number;
}

export function openImage(file: string, opts?: OpenOptions): BlockImage {
  const l2 = opts?.l2CacheSize;
  if (l2 !== undefined && (!Number.isSafeInteger(l2) || l2 <= 0)) throw new ImageError(`Image '${file}': invalid L2 cache size ${String(l2)}`);
  const img = openChain(file, !!opts?.readOnly, opts?.format, 0, l2, !!opts?.noBacking);
  if (opts?.cache === 'unsafe') (img as Qcow2Image | RawImage).unsafe = true;
  return img;
}
