// qcow2 header (cluster 0): parse, validate and serialise, including header extensions and the
// backing file name. Integers are big-endian; 64-bit fields are read as numbers (file offsets and
// sizes stay far below 2^53).
import { ImageError } from './api';

export const QCOW2_MAGIC = 0x514649fb;
export const EXT_END = 0x00000000;
export const EXT_BACKING_FORMAT = 0xe2792aca;
export const EXT_FEATURE_TABLE = 0x6803f857;
export const EXT_CRYPTO = 0x0537be77;
export const EXT_DATA_FILE = 0x44415441;

export const INCOMPAT_DIRTY = 1;
export const INCOMPAT_CORRUPT = 2;
export const INCOMPAT_DATA_FILE = 4;
export const INCOMPAT_COMPRESSION = 8;
export const INCOMPAT_EXTL2 = 16;
export const COMPAT_LAZY_REFCOUNTS = 1;

export interface HeaderExtension {
  type: number;
  data: Buffer;
}

export interface Qcow2Header {
  version: 2 | 3;
  clusterBits: number;
  size: number;
  cryptMethod: number;
  l1Size: number;
  l1TableOffset: number;
  refcountTableOffset: number;
  refcountTableClusters: number;
  nbSnapshots: number;
  snapshotsOffset: number;
  incompatible: number;
  compatible: number;
  autoclear: number;
  refcountOrder: number;
  headerLength: number;
  compressionType: number;
  backingFile?: string;
  backingFormat?: string;
  /** Extensions we do not interpret; preserved verbatim on rewrite. */
  otherExtensions: HeaderExtension[];
}

export function readU64(buf: Buffer, pos: number): number {
  return buf.readUInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

export function writeU64(buf: Buffer, pos: number, v: number): void {
  buf.writeUInt32BE(Math.floor(v / 4294967296) >>> 0, pos);
  buf.writeUInt32BE(v % 4294967296 >>> 0, pos + 4);
}

const FEATURES: Array<[number, number, string]> = [
  [0, 0, 'dirty bit'],
  [0, 1, 'corrupt bit'],
  [0, 2, 'external data file'],
  [0, 3, 'compression type'],
  [0, 4, 'extended L2 entries'],
  [1, 0, 'lazy refcounts'],
  [2, 0, 'bitmaps'],
  [2, 1, 'raw external data'],
];

const UNSUPPORTED_NAMES: Record<number, string> = {
  [INCOMPAT_DATA_FILE]: 'external data file',
  [INCOMPAT_COMPRESSION]: 'compression type',
  [INCOMPAT_EXTL2]: 'extended L2',
};

/** Parse the header; throws ImageError naming the file for anything malformed or unsupported. */
export function parseHeader(buf: Buffer, fileName: string): Qcow2Header {
  const bad = (why: string) => new ImageError(`Image '${fileName}': ${why}`);
  if (buf.length < 72) throw bad('truncated qcow2 header');
  if (buf.readUInt32BE(0) !== QCOW2_MAGIC) throw bad('not a qcow2 image (bad magic)');
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw bad(`unsupported qcow2 version ${version}`);
  const clusterBits = buf.readUInt32BE(20);
  if (clusterBits < 9 || clusterBits > 21) throw bad(`unsupported cluster size 2^${clusterBits}`);
  const cs = 1 << clusterBits;
  const h: Qcow2Header = {
    version,
    clusterBits,
    size: readU64(buf, 24),
    cryptMethod: buf.readUInt32BE(32),
    l1Size: buf.readUInt32BE(36),
    l1TableOffset: readU64(buf, 40),
    refcountTableOffset: readU64(buf, 48),
    refcountTableClusters: buf.readUInt32BE(56),
    nbSnapshots: buf.readUInt32BE(60),
    snapshotsOffset: readU64(buf, 64),
    incompatible: 0,
    compatible: 0,
    autoclear: 0,
    refcountOrder: 4,
    headerLength: 72,
    compressionType: 0,
    otherExtensions: [],
  };
  if (version === 3) {
    if (buf.length < 104) throw bad('truncated qcow2 v3 header');
    const incHi = buf.readUInt32BE(72);
    h.incompatible = buf.readUInt32BE(76);
    h.compatible = buf.readUInt32BE(84);
    h.autoclear = buf.readUInt32BE(92);
    h.refcountOrder = buf.readUInt32BE(96);
    h.headerLength = buf.readUInt32BE(100);
    if (h.headerLength < 104 || h.headerLength % 8 !== 0 || h.headerLength > cs) throw bad(`invalid header length ${h.headerLength}`);
    if (buf.length < h.headerLength) throw bad('truncated qcow2 v3 header');
    if (h.headerLength > 104) h.compressionType = buf[104];
    const known = INCOMPAT_DIRTY | INCOMPAT_CORRUPT;
    const names: string[] = [];
    for (let bit = 0; bit < 32; bit++) {
      const m = 2 ** bit;
      if ((h.incompatible & m) && !(known & m)) names.push(UNSUPPORTED_NAMES[m] ?? `unknown incompatible bit ${bit}`);
    }
    for (let bit = 0; bit < 32; bit++) if (incHi & (2 ** bit)) names.push(`unknown incompatible bit ${bit + 32}`);
    if (h.compressionType !== 0 && !names.includes('compression type')) names.push(h.compressionType === 1 ? 'zstd compression' : `compression type ${h.compressionType}`);
    const idx = names.indexOf('compression type');
    if (idx >= 0) names[idx] = h.compressionType === 1 ? 'zstd compression' : 'compression type';
    if (names.length) throw bad(`Unsupported qcow2 feature(s): ${names.join(', ')}`);
  }
  if (h.cryptMethod !== 0) throw bad('Unsupported qcow2 feature(s): encryption');
  if (h.refcountOrder > 6) throw bad(`invalid refcount order ${h.refcountOrder}`);
  for (const [what, off] of [['L1 table', h.l1TableOffset], ['refcount table', h.refcountTableOffset], ['snapshot table', h.snapshotsOffset]] as const) {
    if (off % cs !== 0) throw bad(`${what} offset ${off} is not cluster aligned`);
  }
  if (h.refcountTableClusters === 0) throw bad('image has no refcount table');
  if (h.l1Size > (32 << 20) / 8) throw bad(`L1 table too large (${h.l1Size} entries)`);
  // Header extensions: until the end marker, bounded by the header cluster.
  let pos = h.headerLength;
  const limit = Math.min(buf.length, cs);
  while (pos + 8 <= limit) {
    const type = buf.readUInt32BE(pos);
    const len = buf.readUInt32BE(pos + 4);
    if (type === EXT_END) break;
    if (pos + 8 + len > limit) throw bad('header extension exceeds the header cluster');
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === EXT_BACKING_FORMAT) h.backingFormat = data.toString('latin1');
    else if (type === EXT_CRYPTO) throw bad('Unsupported qcow2 feature(s): encryption');
    else if (type === EXT_DATA_FILE) throw bad('Unsupported qcow2 feature(s): external data file');
    else if (type !== EXT_FEATURE_TABLE) h.otherExtensions.push({ type, data: Buffer.from(data) });
    pos += 8 + Math.ceil(len / 8) * 8;
  }
  const bfo = readU64(buf, 8);
  const bfs = buf.readUInt32BE(16);
  if (bfo !== 0) {
    if (bfs > 1023 || bfo + bfs > cs || bfo + bfs > buf.length) throw bad('invalid backing file name location');
    h.backingFile = buf.subarray(bfo, bfo + bfs).toString('utf8');
  }
  return h;
}

/** Serialise the header cluster (header, extensions, backing name). Throws if it does not fit. */
export function serializeHeader(h: Qcow2Header, fileName: string): Buffer {
  const cs = 1 << h.clusterBits;
  const exts: HeaderExtension[] = [];
  if (h.backingFormat) exts.push({ type: EXT_BACKING_FORMAT, data: Buffer.from(h.backingFormat, 'latin1') });
  exts.push(...h.otherExtensions);
  const extBytes = (list: HeaderExtension[]) => list.reduce((n, e) => n + 8 + Math.ceil(e.data.length / 8) * 8, 0);
  const base = h.version === 3 ? h.headerLength : 72;
  const nameLen = h.backingFile ? Buffer.byteLength(h.backingFile) : 0;
  if (h.version === 3) {
    // Like QEMU, the feature name table is optional: drop it when the header cluster is small.
    const table = Buffer.alloc(FEATURES.length * 48);
    FEATURES.forEach(([type, bit, name], i) => {
      table[i * 48] = type;
      table[i * 48 + 1] = bit;
      table.write(name, i * 48 + 2, 'latin1');
    });
    const withTable = [...exts, { type: EXT_FEATURE_TABLE, data: table }];
    if (base + extBytes(withTable) + 8 + nameLen <= cs) exts.splice(0, exts.length, ...withTable);
  }
  const total = base + extBytes(exts) + 8 + nameLen;
  if (total > cs) throw new ImageError(`Image '${fileName}': header, extensions and backing file name do not fit in one ${cs}-byte cluster`);
  const buf = Buffer.alloc(total);
  buf.writeUInt32BE(QCOW2_MAGIC, 0);
  buf.writeUInt32BE(h.version, 4);
  buf.writeUInt32BE(h.clusterBits, 20);
  writeU64(buf, 24, h.size);
  buf.writeUInt32BE(h.cryptMethod, 32);
  buf.writeUInt32BE(h.l1Size, 36);
  writeU64(buf, 40, h.l1TableOffset);
  writeU64(buf, 48, h.refcountTableOffset);
  buf.writeUInt32BE(h.refcountTableClusters, 56);
  buf.writeUInt32BE(h.nbSnapshots, 60);
  writeU64(buf, 64, h.snapshotsOffset);
  if (h.version === 3) {
    buf.writeUInt32BE(h.incompatible >>> 0, 76);
    buf.writeUInt32BE(h.compatible >>> 0, 84);
    buf.writeUInt32BE(h.autoclear >>> 0, 92);
    buf.writeUInt32BE(h.refcountOrder, 96);
    buf.writeUInt32BE(h.headerLength, 100);
    if (h.headerLength > 104) buf[104] = h.compressionType;
  }
  let pos = base;
  for (const e of exts) {
    buf.writeUInt32BE(e.type >>> 0, pos);
    buf.writeUInt32BE(e.data.length, pos + 4);
    e.data.copy(buf, pos + 8);
    pos += 8 + Math.ceil(e.data.length / 8) * 8;
  }
  pos += 8; // end marker (zeros)
  if (h.backingFile) {
    writeU64(buf, 8, pos);
    buf.writeUInt32BE(nameLen, 16);
    buf.write(h.backingFile, pos, 'utf8');
  }
  return buf;
}
