// `compare FILE1 FILE2`: guest-visible content equality, reported at 512-byte sector granularity
// like qemu-img. Exit 0 identical, 1 different, 2 error. Areas both maps call zero are not read.
import type { BlockImage, MapExtent } from '../../../engine/qcow2/api';
import { has, last, parseArgs } from '../args';
import { ImgError, usageError, type Io } from '../errors';
import { open } from '../open';
import { CHUNK, ReadBuffer } from '../copy';

const SECTOR = 512;

/** Offset of the first 512-byte sector (relative to buf) where a and b differ, or -1. */
export function firstDiffSector(a: Buffer, b: Buffer): number {
  if (a.equals(b)) return -1;
  for (let i = 0; i < a.length; i += SECTOR) {
    const end = Math.min(i + SECTOR, a.length);
    if (!a.subarray(i, end).equals(b.subarray(i, end))) return i;
  }
  return -1;
}

interface Seg {
  start: number;
  end: number;
  s1?: MapExtent;
  s2?: MapExtent;
}

/** Splits [0, end) at every extent boundary of both maps. */
function segments(m1: MapExtent[], m2: MapExtent[], end: number): Seg[] {
  const cuts = new Set<number>([0, end]);
  for (const e of [...m1, ...m2]) {
    if (e.start < end) cuts.add(e.start);
    if (e.start + e.length < end) cuts.add(e.start + e.length);
  }
  const pts = [...cuts].sort((a, b) => a - b);
  const find = (m: MapExtent[], off: number) => m.find((e) => e.start <= off && off < e.start + e.length);
  const out: Seg[] = [];
  let i1 = 0;
  let i2 = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const off = pts[k];
    while (i1 < m1.length && m1[i1].start + m1[i1].length <= off) i1++;
    while (i2 < m2.length && m2[i2].start + m2[i2].length <= off) i2++;
    out.push({ start: off, end: pts[k + 1], s1: m1[i1] ?? find(m1, off), s2: m2[i2] ?? find(m2, off) });
  }
  return out;
}

const zeroish = (e?: MapExtent) => !e || !e.data;
const sameStatus = (a?: MapExtent, b?: MapExtent) => !!a && !!b && a.present === b.present && a.data === b.data && a.zero === b.zero;

/** Two read buffers reused across the whole comparison (b stays zero-filled when comparing with zeroes). */
interface Bufs {
  a: ReadBuffer;
  b: ReadBuffer;
}

function firstMismatch(bufs: Bufs, a: BlockImage, b: BlockImage | undefined, start: number, end: number): number {
  for (let off = start; off < end; off += CHUNK) {
    const len = Math.min(CHUNK, end - off);
    const d = firstDiffSector(bufs.a.read(a, off, len), bufs.b.read(b, off, len));
    if (d >= 0) return off + d;
  }
  return -1;
}

export function compareImages(i1: BlockImage, i2: BlockImage, strict: boolean): string[] {
  const common = Math.min(i1.virtualSize, i2.virtualSize);
  if (strict && i1.virtualSize !== i2.virtualSize) return ['Strict mode: Image size mismatch!'];
  const m1 = i1.map();
  const m2 = i2.map();
  const bufs: Bufs = { a: new ReadBuffer(), b: new ReadBuffer() };
  for (const s of segments(m1, m2, common)) {
    if (strict && !sameStatus(s.s1, s.s2)) return [`Strict mode: Offset ${s.start} block status mismatch!`];
    if (zeroish(s.s1) && zeroish(s.s2)) continue;
    const at = zeroish(s.s1) ? firstMismatch(bufs, i2, undefined, s.start, s.end) : zeroish(s.s2) ? firstMismatch(bufs, i1, undefined, s.start, s.end) : firstMismatch(bufs, i1, i2, s.start, s.end);
    if (at >= 0) return [`Content mismatch at offset ${at}!`];
  }
  if (i1.virtualSize === i2.virtualSize) return ['Images are identical.'];
  const lines = ['Warning: Image size mismatch!'];
  const over = i1.virtualSize > i2.virtualSize ? i1 : i2;
  for (const e of over === i1 ? m1 : m2) {
    const end = e.start + e.length;
    if (end <= common || !e.data) continue;
    const at = firstMismatch(bufs, over, undefined, Math.max(common, e.start), end);
    if (at >= 0) return [...lines, `Content mismatch at offset ${at}!`];
  }
  return [...lines, 'Images are identical.'];
}

export function compare(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:F:sqphT:U', long: { help: false } });
  if (p.operands.length !== 2) throw usageError('Expecting two image file names');
  const [f1, f2] = p.operands;
  let i1: BlockImage | undefined;
  let i2: BlockImage | undefined;
  try {
    try {
      i1 = open(f1, { format: last(p, 'f'), readOnly: true });
      i2 = open(f2, { format: last(p, 'F'), readOnly: true });
    } catch (e) {
      if (e instanceof ImgError) throw new ImgError(e.message, 2);
      throw e;
    }
    const lines = compareImages(i1, i2, has(p, 's'));
    if (!has(p, 'q')) io.stdout(lines.join('\n') + '\n');
    return lines[lines.length - 1] === 'Images are identical.' ? 0 : 1;
  } finally {
    i1?.close();
    i2?.close();
  }
}
