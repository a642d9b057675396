// `rebase -b NEW [-F fmt] FILE`. Safe mode first copies into the overlay every range it does not
// hold itself whose content differs between the old and the new backing chain, so the guest sees
// the same disk afterwards; unsafe (-u) mode only changes the header, without opening either
// chain (so it can repair an overlay whose backing file moved).
import type { BlockImage, ImageFormat } from '../../../engine/qcow2/api';
import { has, last, parseArgs } from '../args';
import { backingPath } from '../backing';
import { ImgError, reason, usageError, type Io } from '../errors';
import { isFormat, open } from '../open';
import { firstDiffSector } from './compare';
import { CHUNK, ReadBuffer } from '../copy';

/** Ranges the overlay takes from its backing chain (not allocated in the overlay itself). */
function inherited(img: BlockImage): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const e of img.map()) {
    if (e.depth === 0 && e.present) continue;
    const prev = out[out.length - 1];
    if (prev && prev.end === e.start) prev.end = e.start + e.length;
    else out.push({ start: e.start, end: e.start + e.length });
  }
  return out;
}

function copyDifferences(top: BlockImage, oldB: BlockImage | undefined, newB: BlockImage | undefined, cluster: number): void {
  const ra = new ReadBuffer();
  const rb = new ReadBuffer();
  for (const r of inherited(top)) {
    for (let off = r.start; off < r.end; off += CHUNK) {
      const len = Math.min(CHUNK, r.end - off);
      const a = ra.read(oldB, off, len);
      const b = rb.read(newB, off, len);
      if (firstDiffSector(a, b) < 0) continue;
      // Copy whole clusters that differ, keeping the overlay's allocation granular.
      for (let c = 0; c < len; c += cluster) {
        const end = Math.min(c + cluster, len);
        if (a.compare(b, c, end, c, end) !== 0) top.write(off + c, a.subarray(c, end));
      }
    }
  }
}

export function rebase(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:b:F:uhqpt:T:U', long: { help: false } });
  const unsafe = has(p, 'u');
  const nb = last(p, 'b');
  const nbFmt = last(p, 'F');
  if (nb === undefined && !unsafe) throw usageError('Must specify backing file (-b) or use unsafe mode (-u)');
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  const file = p.operands[0];
  const newName = nb === '' ? undefined : nb;
  if (newName !== undefined && nbFmt === undefined)
    throw new ImgError(`Could not change the backing file to '${newName}': backing format must be specified`);
  if (nbFmt !== undefined && !isFormat(nbFmt)) throw new ImgError(`Invalid backing format '${nbFmt}'`);
  const top = open(file, { format: last(p, 'f'), readOnly: false, io, noBacking: unsafe });
  try {
    if (top.format !== 'qcow2') throw new ImgError(`Could not change the backing file to '${nb ?? ''}': Operation not supported`);
    if (!unsafe) {
      let newB: BlockImage | undefined;
      if (newName !== undefined) {
        const path = backingPath(file, newName);
        try {
          newB = open(path, { format: nbFmt, readOnly: true });
        } catch (e) {
          throw new ImgError(`Could not open new backing file '${newName}': ${reason(e).replace(/^Could not open '[^']*': /, '')}`);
        }
      }
      try {
        copyDifferences(top, top.backing, newB, top.info().clusterSize ?? 65536);
        top.flush();
      } finally {
        newB?.close();
      }
    }
    try {
      top.setBacking(newName, newName ? (nbFmt as ImageFormat) : undefined);
    } catch (e) {
      throw new ImgError(`Could not change the backing file to '${nb ?? ''}': ${reason(e).replace(/^Image '[^']*': /, '')}`);
    }
  } finally {
    top.close();
  }
  return 0;
}
