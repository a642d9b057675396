// `convert`: copy an image (through its backing chain) into a new raw or qcow2 image, skipping
// unallocated and all-zero clusters, optionally compressing, optionally over a new backing file.
import { realpathSync, existsSync } from 'node:fs';
import { createImage, openImage } from '../../../engine/qcow2/index';
import type { BlockImage, ImageFormat } from '../../../engine/qcow2/api';
import { has, last, parseArgs } from '../args';
import { backingSize } from '../backing';
import { driverChecks, OPTS_HELP, parseOptString, toCreateOptions, typedOpts, type RawOpts } from '../create-opts';
import { ImgError, reason, usageError, type Io } from '../errors';
import { checkCreateFormat, withImage } from '../open';
import { closeIfOpen } from './util';
import { CHUNK, ReadBuffer, forEachRun, isZero } from '../copy';
import { Prefetcher, type Chunk } from '../prefetch';

/** Read ahead from 64 MiB of raw data on (below that, starting the worker costs more than it saves). */
const PREFETCH_MIN_CHUNKS = (64 * 1024 * 1024) / CHUNK;

export interface Window {
  start: number;
  end: number;
  /** The range must read as zeroes in the target even where the source holds none (mask a backing file). */
  zeroes: boolean;
}

/** Ranges of the source worth reading, widened to whole target clusters and merged. */
export function copyWindows(src: BlockImage, topOnly: boolean, cluster: number): Window[] {
  const out: Window[] = [];
  for (const e of src.map()) {
    if (topOnly && e.depth !== 0) continue;
    if (!e.data && !(topOnly && e.present)) continue;
    const w: Window = {
      start: Math.floor(e.start / cluster) * cluster,
      end: Math.min(src.virtualSize, Math.ceil((e.start + e.length) / cluster) * cluster),
      zeroes: !e.data,
    };
    const prev = out[out.length - 1];
    if (prev && prev.end >= w.start && prev.zeroes === w.zeroes) prev.end = Math.max(prev.end, w.end);
    else out.push(w);
  }
  return out;
}

/** The source's bytes for a chunk (a reused buffer, valid until the next call). */
type Reader = (off: number, len: number) => Buffer;

/** The chunks copyWindow will read, in order (what a read-ahead worker must produce). */
function chunksOf(windows: Window[]): Chunk[] {
  const out: Chunk[] = [];
  for (const w of windows) if (!w.zeroes) for (let off = w.start; off < w.end; off += CHUNK) out.push([off, Math.min(CHUNK, w.end - off)]);
  return out;
}

/** Copies one window: runs of all-zero target clusters are skipped (or zeroed when masking). */
function copyWindow(read: Reader, dst: BlockImage, w: Window, cluster: number, compress: boolean, mask: boolean): void {
  if (w.zeroes) {
    dst.writeZeroes(w.start, w.end - w.start);
    return;
  }
  for (let off = w.start; off < w.end; off += CHUNK) {
    const buf = read(off, Math.min(CHUNK, w.end - off));
    if (compress) compressChunk(dst, buf, off, cluster, mask);
    else
      forEachRun(buf, off, cluster, {
        data: (base, b, s, e) => dst.write(base + s, b.subarray(s, e)),
        zero: mask ? (base, s, e) => dst.writeZeroes(base + s, e - s) : undefined,
      });
  }
}

function compressChunk(dst: BlockImage, buf: Buffer, off: number, cluster: number, mask: boolean): void {
  for (let c = 0; c < buf.length; c += cluster) {
    const end = Math.min(c + cluster, buf.length);
    if (isZero(buf, c, end)) {
      if (mask) dst.writeZeroes(off + c, end - c);
      continue;
    }
    // The target may end past the source (qcow2 sizes round up to 512 bytes): a compressed
    // write must then reach the target's end, so pad the tail with zeroes.
    const want = Math.min(cluster, dst.virtualSize - (off + c));
    const piece = buf.subarray(c, end);
    dst.writeCompressed(off + c, piece.length < want ? Buffer.concat([piece, Buffer.alloc(want - piece.length)]) : piece);
  }
}

/** qemu-img's -t/-T cache modes; only 'unsafe' (convert's default) skips the final sync. */
const CACHE_MODES = ['none', 'writeback', 'unsafe', 'directsync', 'writethrough'];

function cacheMode(mode: string | undefined, fallback: string, what: string): string {
  const m = mode ?? fallback;
  // qemu-img creates the target before it notices; we refuse before touching anything.
  if (!CACHE_MODES.includes(m)) throw new ImgError(`Invalid ${what}cache option: ${m}`);
  return m;
}

export function convert(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:O:B:F:co:qpht:T:U', long: { help: false } });
  const outName = last(p, 'O') ?? 'raw';
  const optStrings = p.opts.filter(([o]) => o === 'o').map(([, v]) => v);
  if (optStrings.some((s) => s === 'help' || s === '?')) {
    io.stdout(OPTS_HELP[checkCreateFormat(outName)] + '\n');
    return 0;
  }
  const outFmt: ImageFormat = checkCreateFormat(outName);
  const compress = has(p, 'c');
  const backing = last(p, 'B');
  const backingFmt = last(p, 'F');
  if (compress && outFmt !== 'qcow2') throw new ImgError('Compression not supported for this file format');
  if (backing !== undefined && outFmt !== 'qcow2') throw new ImgError(`Backing file not supported for file format '${outFmt}'`);
  if (backing !== undefined && backingFmt === undefined) throw new ImgError('Use of backing file requires explicit backing format');
  // Like qemu-img, the target is written without a final sync unless -t asks for one.
  const cache = cacheMode(last(p, 't'), 'unsafe', '');
  cacheMode(last(p, 'T'), 'writeback', 'source ');
  if (p.operands.length < 2) throw usageError('Must specify image file name');
  if (p.operands.length > 2) throw new ImgError('virtyard img convert takes exactly one source image');
  const [srcFile, dstFile] = p.operands;
  const raw: RawOpts = {};
  for (const s of optStrings) parseOptString(s, outFmt, dstFile, raw);
  if (backing !== undefined) {
    raw.backing_file = backing;
    raw.backing_fmt = backingFmt;
  }
  const t = typedOpts(dstFile, outFmt, raw);
  if (t.size !== undefined) throw new ImgError(`${dstFile}: size option is not allowed in convert (the source's size is used)`);
  driverChecks(dstFile, t);
  if (raw.backing_file !== undefined) {
    if (raw.backing_fmt === undefined) throw new ImgError('Use of backing file requires explicit backing format');
    backingSize(dstFile, raw.backing_file, raw.backing_fmt as ImageFormat);
  }
  return withImage(srcFile, { format: last(p, 'f'), readOnly: true }, (src) => {
    if (existsSync(dstFile) && realpathSync(dstFile) === realpathSync(srcFile))
      throw new ImgError(`Could not open '${dstFile}': Failed to get "write" lock\nIs another process using the image [${dstFile}]?`);
    const opts = toCreateOptions(t, src.virtualSize, raw);
    try {
      closeIfOpen(createImage(dstFile, opts));
    } catch (e) {
      throw new ImgError(`${dstFile}: error while converting ${outFmt}: ${reason(e)}`);
    }
    let dst: BlockImage;
    try {
      dst = openImage(dstFile, { readOnly: false, format: outFmt, cache: cache === 'unsafe' ? 'unsafe' : 'writeback' });
    } catch (e) {
      throw new ImgError(`Could not open '${dstFile}': ${reason(e)}`);
    }
    try {
      const cluster = outFmt === 'qcow2' ? (t.clusterSize ?? 65536) : 65536;
      const mask = backing !== undefined;
      const windows = copyWindows(src, mask, cluster);
      const chunks = chunksOf(windows);
      // A raw source is a plain file: a worker can read ahead while we write (worth its start-up
      // cost only for big copies).
      const ahead = src.format === 'raw' && chunks.length >= PREFETCH_MIN_CHUNKS ? new Prefetcher(src.filename, chunks) : undefined;
      const rb = new ReadBuffer();
      const read: Reader = ahead ? (o, l) => ahead.read(o, l) : (o, l) => rb.read(src, o, l);
      try {
        for (const w of windows) copyWindow(read, dst, w, cluster, compress, mask);
      } finally {
        ahead?.close();
      }
      dst.flush();
    } catch (e) {
      throw new ImgError(`${dstFile}: error while converting ${outFmt}: ${reason(e)}`);
    } finally {
      dst.close();
    }
    return 0;
  });
}
