// zlib-type qcow2 compression: raw deflate with a 4 KiB window (QEMU: deflateInit2(-12, level 9)).
import * as zlib from 'node:zlib';
import { ImageError } from './api';

export function compressCluster(cluster: Buffer): Buffer {
  return zlib.deflateRawSync(cluster, { level: 9, windowBits: 12, memLevel: 9 });
}

/** Inflate one compressed cluster; the stored span is sector-rounded, so trailing bytes are normal. */
export function decompressCluster(raw: Buffer, cs: number, fileName: string, host: number): Buffer {
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(raw, { windowBits: 12, finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(cs, 1 << 16) * 2 });
  } catch (e) {
    throw new ImageError(`Image '${fileName}': compressed cluster at byte ${host} is corrupt (${(e as Error).message})`);
  }
  if (out.length < cs) throw new ImageError(`Image '${fileName}': compressed cluster at byte ${host} inflates to ${out.length} bytes, expected ${cs}`);
  return out.length === cs ? out : out.subarray(0, cs);
}
