// `commit FILE`: copy the overlay's own allocated data into its backing file.
// qemu-img then empties the overlay (its clusters fall through to the now-identical backing data).
// The library contract has no "drop to backing" call — discard() on a v3 overlay writes zero
// clusters that would MASK the committed data — so the overlay keeps its (identical) clusters.
import type { BlockImage, ImageFormat } from '../../../engine/qcow2/api';
import { openImage } from '../../../engine/qcow2/index';
import { has, last, parseArgs } from '../args';
import { ImgError, reason, usageError, type Io } from '../errors';
import { withImage } from '../open';

const CHUNK = 8 * 1024 * 1024;

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
      for (const e of own) {
        if (!e.data) {
          base.writeZeroes(e.start, e.length);
          continue;
        }
        for (let off = e.start; off < e.start + e.length; off += CHUNK) {
          const len = Math.min(CHUNK, e.start + e.length - off);
          base.write(off, top.read(off, len));
        }
      }
      base.flush();
    } catch (e) {
      throw new ImgError(`Block job failed: ${reason(e)}`);
    } finally {
      base.close();
    }
    if (!has(p, 'q')) io.stdout('Image committed.\n');
    return 0;
  });
}
