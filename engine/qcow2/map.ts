// Allocation status as `qemu-img map --output=json` reports it: per-cluster status, the backing
// chain consulted for unallocated clusters (depth + 1), adjacent runs merged when all flags match
// and host offsets continue.
import type { MapExtent } from './api';
import { Kind } from './l2cache';
import type { Qcow2Image } from './image';

export function pushMerged(out: MapExtent[], x: MapExtent): void {
  const p = out[out.length - 1];
  if (
    p &&
    p.start + p.length === x.start &&
    p.depth === x.depth &&
    p.present === x.present &&
    p.zero === x.zero &&
    p.data === x.data &&
    p.compressed === x.compressed &&
    (p.offset === undefined) === (x.offset === undefined) &&
    (p.offset === undefined || p.offset + p.length === x.offset)
  ) {
    p.length += x.length;
    return;
  }
  out.push({ ...x });
}

export function qcow2Extents(img: Qcow2Image, off: number, len: number): MapExtent[] {
  const out: MapExtent[] = [];
  const cs = img.cs;
  let pos = off;
  const end = off + len;
  while (pos < end) {
    const inCl = pos % cs;
    const n = Math.min(cs - inCl, end - pos);
    const e = img.entryVia(img.l1, img.h.l1Size, Math.floor(pos / cs));
    const kind = e ? e.kind : Kind.Unallocated;
    const base = { start: pos, length: n, depth: 0, present: true, zero: false, data: false, compressed: false };
    if (kind === Kind.Normal) pushMerged(out, { ...base, data: true, offset: e!.host + inCl });
    else if (kind === Kind.ZeroAlloc) pushMerged(out, { ...base, zero: true, offset: e!.host + inCl });
    else if (kind === Kind.ZeroPlain) pushMerged(out, { ...base, zero: true });
    else if (kind === Kind.Compressed) pushMerged(out, { ...base, data: true, compressed: true });
    else if (img.backing && pos < img.backing.virtualSize) {
      const part = Math.min(n, img.backing.virtualSize - pos);
      for (const x of img.backing.extents(pos, part)) pushMerged(out, { ...x, depth: x.depth + 1 });
      if (part < n) pushMerged(out, { ...base, start: pos + part, length: n - part, depth: 0, present: false, zero: true });
    } else pushMerged(out, { ...base, present: false, zero: true }); // no backing, or beyond its end (as QEMU)
    pos += n;
  }
  return out;
}
