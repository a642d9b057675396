// Rewrites the backing-file reference in a closed qcow2 image's header cluster: the name
// (header bytes 8-19 point to it) and the backing-format header extension. The library contract
// (engine/qcow2/api.ts) has no call for this, and `rebase` needs nothing else, so the CLI owns it.
import { closeSync, fstatSync, openSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { ImgError } from './errors';

const EXT_END = 0;
const EXT_BACKING_FORMAT = 0xe2792aca;

interface Ext {
  type: number;
  data: Buffer;
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

export function setBackingFile(file: string, backing: string | undefined, backingFormat: string | undefined): void {
  const fd = openSync(file, 'r+');
  try {
    const head = Buffer.alloc(104);
    readSync(fd, head, 0, 104, 0);
    if (head.readUInt32BE(0) !== 0x514649fb) throw new ImgError(`Could not change the backing file of '${file}': Image is not in qcow2 format`);
    const version = head.readUInt32BE(4);
    const clusterSize = 2 ** head.readUInt32BE(20);
    const headerLength = version >= 3 ? head.readUInt32BE(100) : 72;
    const size = Math.min(clusterSize, fstatSync(fd).size);
    const cluster = Buffer.alloc(clusterSize);
    readSync(fd, cluster, 0, size, 0);

    // Keep every extension except the backing format (rewritten below), in their order.
    const kept: Ext[] = [];
    let oldEnd = headerLength;
    for (let off = headerLength; off + 8 <= clusterSize; ) {
      const type = cluster.readUInt32BE(off);
      const len = cluster.readUInt32BE(off + 4);
      if (type === EXT_END) {
        oldEnd = off + 8;
        break;
      }
      if (off + 8 + len > clusterSize) throw new ImgError(`Could not change the backing file of '${file}': header extension overflows the header cluster`);
      if (type !== EXT_BACKING_FORMAT) kept.push({ type, data: Buffer.from(cluster.subarray(off + 8, off + 8 + len)) });
      off += 8 + pad8(len);
    }
    const oldBackingOffset = Number(cluster.readBigUInt64BE(8));
    const oldBackingSize = cluster.readUInt32BE(16);
    if (oldBackingOffset) oldEnd = Math.max(oldEnd, oldBackingOffset + oldBackingSize);

    const exts: Ext[] = [];
    if (backing && backingFormat) exts.push({ type: EXT_BACKING_FORMAT, data: Buffer.from(backingFormat) });
    exts.push(...kept);
    const parts: Buffer[] = [Buffer.from(cluster.subarray(0, headerLength))];
    for (const e of exts) {
      const h = Buffer.alloc(8 + pad8(e.data.length));
      h.writeUInt32BE(e.type, 0);
      h.writeUInt32BE(e.data.length, 4);
      e.data.copy(h, 8);
      parts.push(h);
    }
    parts.push(Buffer.alloc(8)); // end of extensions
    const name = Buffer.from(backing ?? '');
    if (name.length > 1023) throw new ImgError(`Could not change the backing file to '${backing}': File name too long`);
    const nameOffset = parts.reduce((n, b) => n + b.length, 0);
    parts.push(name);
    const out = Buffer.concat(parts);
    if (out.length > clusterSize) throw new ImgError(`Could not change the backing file to '${backing}': No space left on device`);
    out.writeBigUInt64BE(name.length ? BigInt(nameOffset) : 0n, 8);
    out.writeUInt32BE(name.length, 16);
    // Zero what the old layout used beyond the new one, so no stale name bytes remain.
    const total = Buffer.alloc(Math.max(out.length, Math.min(oldEnd, clusterSize)));
    out.copy(total);
    writeSync(fd, total, 0, total.length, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
