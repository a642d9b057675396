// `commit FILE`: copy the overlay's own allocated data into its backing file, then empty the
// overlay like qemu-img (its clusters deallocated, so it reads through to the updated backing
// file and shrinks back to its metadata); -d keeps the overlay's clusters.
import type { BlockImage, ImageFormat } from '../../../engine/qcow2/api';
import { openImage } from '../../../engine/qcow2/index';
import { has, last, parseArgs } from '../args';
import { ImgError, reason, usageError, type Io } from '../errors';
import { withImage } from '../open';
import { CHUNK, ReadBuffer } from '../copy';

export function commit(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:ht:b:dpqr:', long: { help: false } });
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  if (has(p, 'b')) throw new ImgError('virtyard img commit: -b is not supported (commits into the immediate backing file)');
  const file = p.operands[0];
  return withImage(file, { format: last(p, 'f'), readOnly: false, io }, (top) => {
    const info = top.info();
    if (!top.backing || !info.fullBackingFilename) throw new ImgError('Image does not have a backing file');
    const own = top.map().filter((e) => e.depth === 0 && e.present);
    let base: BlockImage;
    try {
      base = openImage(info.fullBackingFilename, { readOnly: false, format: info.backingFilenameFormat ?? (top.backing.format as ImageFormat) });
    } catch (e) {
      throw new ImgError(`Could not open '${info.fullBackingFilename}': ${reason(e)}`);
    }
    try {
      if (base.virtualSize < top.virtualSize) base.resize(top.virtualSize);
      const rb = new ReadBuffer();
      for (const e of own) {
        if (!e.data) {
          base.writeZeroes(e.start, e.length);
          continue;
        }
        for (let off = e.start; off < e.start + e.length; off += CHUNK) {
          const len = Math.min(CHUNK, e.start + e.length - off);
          base.write(off, rb.read(top, off, len));
        }
      }
      base.flush();
    } catch (e) {
      throw new ImgError(`Block job failed: ${reason(e)}`);
    } finally {
      base.close();
    }
    if (!has(p, 'd')) {
      try {
        top.deallocate(0, top.virtualSize);
      } catch (e) {
        throw new ImgError(`Could not empty ${file}: ${reason(e)}`);
      }
    }
    if (!has(p, 'q')) io.stdout('Image committed.\n');
    return 0;
  });
}
