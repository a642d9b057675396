// The internal snapshot table: variable-length entries, each padded to 8 bytes.
import { ImageError, type SnapshotInfo } from './api';
import { readU64, writeU64 } from './header';

export interface SnapshotEntry {
  l1TableOffset: number;
  l1Size: number;
  id: string;
  name: string;
  dateSec: number;
  dateNsec: number;
  vmClockNsec: number;
  vmStateSize: number;
  diskSize: number;
  icount: number;
  /** Extra data beyond the 24 bytes we understand, preserved. */
  extraTail: Buffer;
}

export function parseSnapshotTable(buf: Buffer, count: number, defaultDiskSize: number, fileName: string): SnapshotEntry[] {
  const out: SnapshotEntry[] = [];
  let pos = 0;
  for (let n = 0; n < count; n++) {
    if (pos + 40 > buf.length) throw new ImageError(`Image '${fileName}': snapshot table is truncated`);
    const idLen = buf.readUInt16BE(pos + 12);
    const nameLen = buf.readUInt16BE(pos + 14);
    const extraSize = buf.readUInt32BE(pos + 36);
    const extra = pos + 40;
    const end = extra + extraSize + idLen + nameLen;
    if (end > buf.length) throw new ImageError(`Image '${fileName}': snapshot table is truncated`);
    const e: SnapshotEntry = {
      l1TableOffset: readU64(buf, pos),
      l1Size: buf.readUInt32BE(pos + 8),
      dateSec: buf.readUInt32BE(pos + 16),
      dateNsec: buf.readUInt32BE(pos + 20),
      vmClockNsec: readU64(buf, pos + 24),
      vmStateSize: buf.readUInt32BE(pos + 32),
      diskSize: defaultDiskSize,
      icount: -1,
      extraTail: Buffer.alloc(0),
      id: buf.subarray(extra + extraSize, extra + extraSize + idLen).toString('utf8'),
      name: buf.subarray(extra + extraSize + idLen, end).toString('utf8'),
    };
    if (extraSize >= 8) e.vmStateSize = readU64(buf, extra);
    if (extraSize >= 16) e.diskSize = readU64(buf, extra + 8);
    if (extraSize >= 24) {
      const hi = buf.readUInt32BE(extra + 16);
      const lo = buf.readUInt32BE(extra + 20);
      e.icount = hi === 0xffffffff && lo === 0xffffffff ? -1 : hi * 4294967296 + lo;
    }
    if (extraSize > 24) e.extraTail = Buffer.from(buf.subarray(extra + 24, extra + extraSize));
    out.push(e);
    pos = Math.ceil(end / 8) * 8;
  }
  return out;
}

export function serializeSnapshotTable(list: SnapshotEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of list) {
    const id = Buffer.from(e.id, 'utf8');
    const name = Buffer.from(e.name, 'utf8');
    const extraSize = 24 + e.extraTail.length;
    const len = Math.ceil((40 + extraSize + id.length + name.length) / 8) * 8;
    const b = Buffer.alloc(len);
    writeU64(b, 0, e.l1TableOffset);
    b.writeUInt32BE(e.l1Size, 8);
    b.writeUInt16BE(id.length, 12);
    b.writeUInt16BE(name.length, 14);
    b.writeUInt32BE(e.dateSec >>> 0, 16);
    b.writeUInt32BE(e.dateNsec >>> 0, 20);
    writeU64(b, 24, e.vmClockNsec);
    b.writeUInt32BE(Math.min(e.vmStateSize, 0xffffffff), 32);
    b.writeUInt32BE(extraSize, 36);
    writeU64(b, 40, e.vmStateSize);
    writeU64(b, 48, e.diskSize);
    if (e.icount < 0) b.fill(0xff, 56, 64);
    else writeU64(b, 56, e.icount);
    e.extraTail.copy(b, 64);
    id.copy(b, 40 + extraSize);
    name.copy(b, 40 + extraSize + id.length);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

export function snapshotInfo(e: SnapshotEntry): SnapshotInfo {
  const info: SnapshotInfo = {
    id: e.id,
    name: e.name,
    vmStateSize: e.vmStateSize,
    dateSec: e.dateSec,
    dateNsec: e.dateNsec,
    vmClockNsec: e.vmClockNsec,
    diskSize: e.diskSize,
  };
  if (e.icount >= 0) info.icount = e.icount;
  return info;
}
