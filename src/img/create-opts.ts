// `-o name=value,…` for create and convert: parsed and validated up front, and rendered into the
// "Formatting '…', fmt=…" line in qemu-img's option order.
import type { CreateOptions, ImageFormat } from '../../engine/qcow2/api';
import { ImgError } from './errors';
import { parseSize } from './size';

/** Raw -o values as typed, in qemu's print order. */
export interface RawOpts {
  size?: string;
  compat?: string;
  backing_file?: string;
  backing_fmt?: string;
  cluster_size?: string;
  lazy_refcounts?: string;
  refcount_bits?: string;
  extended_l2?: string;
  compression_type?: string;
}

const QCOW2_OPTS = ['size', 'compat', 'backing_file', 'backing_fmt', 'cluster_size', 'lazy_refcounts', 'refcount_bits', 'extended_l2', 'compression_type'];
const RAW_OPTS = ['size'];

export const OPTS_HELP: Record<ImageFormat, string> = {
  qcow2:
    'Supported qcow2 options:\n' +
    '  backing_file=<str>     - File name of a base image\n' +
    '  backing_fmt=<str>      - Image format of the base image\n' +
    '  cluster_size=<size>    - qcow2 cluster size\n' +
    '  compat=<str>           - Compatibility level (v2 [0.10] or v3 [1.1])\n' +
    '  compression_type=<str> - Compression method used for image cluster compression (zlib only)\n' +
    '  extended_l2=<bool (on/off)> - Extended L2 tables (off only)\n' +
    '  lazy_refcounts=<bool (on/off)> - Postpone refcount updates\n' +
    '  refcount_bits=<num>    - Width of a reference count entry in bits\n' +
    '  size=<size>            - Virtual disk size\n',
  raw: 'Supported raw options:\n  size=<size>            - Virtual disk size\n',
};

/** Splits "a=1,b=2" (",," escapes a comma, as in QemuOpts). Unknown names → "Invalid parameter". */
export function parseOptString(text: string, format: ImageFormat, file: string, into: RawOpts = {}): RawOpts {
  const allowed = format === 'qcow2' ? QCOW2_OPTS : RAW_OPTS;
  const parts = text.replace(/,,/g, '\0').split(',').map((s) => s.replace(/\0/g, ','));
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    // QemuOpts: a bare name means "on" (and "noname" means "off").
    const value = eq < 0 ? 'on' : part.slice(eq + 1);
    if (!allowed.includes(name)) throw new ImgError(`${file}: Invalid parameter '${name}'`);
    (into as Record<string, string>)[name] = value;
  }
  return into;
}

const SIZE_HINT = "\nOptional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.";

function boolOpt(file: string, name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['on', 'yes', 'true', 'y'].includes(v)) return true;
  if (['off', 'no', 'false', 'n'].includes(v)) return false;
  throw new ImgError(`${file}: Parameter '${name}' expects 'on' or 'off'`);
}

function sizeOpt(file: string, name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseSize(v);
  if (n === undefined) throw new ImgError(`${file}: Parameter '${name}' expects a non-negative number below 2^64${SIZE_HINT}`);
  return n;
}

/** Checks that only need the option values (qemu reports these before "Formatting"). */
export function typedOpts(file: string, format: ImageFormat, o: RawOpts) {
  const size = sizeOpt(file, 'size', o.size);
  const clusterSize = sizeOpt(file, 'cluster_size', o.cluster_size);
  const lazy = boolOpt(file, 'lazy_refcounts', o.lazy_refcounts);
  const extL2 = boolOpt(file, 'extended_l2', o.extended_l2);
  let refcountBits: number | undefined;
  if (o.refcount_bits !== undefined) {
    if (!/^\d+$/.test(o.refcount_bits)) throw new ImgError(`${file}: Parameter 'refcount_bits' expects a number`);
    refcountBits = Number(o.refcount_bits);
  }
  let compat: '0.10' | '1.1' | undefined;
  if (o.compat !== undefined) {
    if (o.compat === '0.10' || o.compat === 'v2') compat = '0.10';
    else if (o.compat === '1.1' || o.compat === 'v3') compat = '1.1';
    else throw new ImgError(`${file}: Parameter 'version' does not accept value '${o.compat}'`);
  }
  if (o.compression_type !== undefined && o.compression_type !== 'zlib')
    throw new ImgError(`${file}: Parameter 'compression-type' does not accept value '${o.compression_type}' (virtyard supports zlib)`);
  if (o.backing_fmt !== undefined && o.backing_fmt !== 'qcow2' && o.backing_fmt !== 'raw')
    throw new ImgError(`${file}: Unknown driver '${o.backing_fmt}'`);
  return { format, size, clusterSize, lazy, extL2, refcountBits, compat };
}

/** Checks qemu makes after printing "Formatting" (format driver's own validation). */
export function driverChecks(file: string, t: ReturnType<typeof typedOpts>): void {
  if (t.format !== 'qcow2') return;
  const cs = t.clusterSize;
  if (cs !== undefined && (cs < 512 || cs > 2 * 1024 * 1024 || (cs & (cs - 1)) !== 0))
    throw new ImgError(`${file}: Cluster size must be a power of two between 512 and 2048k`);
  const rb = t.refcountBits;
  if (rb !== undefined && (rb < 1 || rb > 64 || (rb & (rb - 1)) !== 0))
    throw new ImgError(`${file}: Refcount width must be a power of two and may not exceed 64 bits`);
  if (t.compat === '0.10' && rb !== undefined && rb !== 16)
    throw new ImgError(`${file}: Different refcount widths than 16 bits require compatibility level 1.1 or above (use compat=1.1 or greater)`);
  if (t.compat === '0.10' && t.lazy)
    throw new ImgError(`${file}: Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)`);
  if (t.extL2) throw new ImgError(`${file}: Extended L2 entries are not supported by virtyard`);
}

export function formattingLine(file: string, format: ImageFormat, size: number, o: RawOpts, clusterSize?: number): string {
  if (format === 'raw') return `Formatting '${file}', fmt=raw size=${size}\n`;
  let s = `Formatting '${file}', fmt=qcow2 cluster_size=${clusterSize ?? 65536} extended_l2=${o.extended_l2 ?? 'off'}`;
  s += ` compression_type=${o.compression_type ?? 'zlib'} size=${size}`;
  if (o.compat !== undefined) s += ` compat=${o.compat}`;
  if (o.backing_file !== undefined) s += ` backing_file=${o.backing_file}`;
  if (o.backing_fmt !== undefined) s += ` backing_fmt=${o.backing_fmt}`;
  s += ` lazy_refcounts=${o.lazy_refcounts ?? 'off'} refcount_bits=${o.refcount_bits ?? 16}`;
  return s + '\n';
}

export function toCreateOptions(t: ReturnType<typeof typedOpts>, size: number, o: RawOpts): CreateOptions {
  const c: CreateOptions = { format: t.format, size };
  if (t.format === 'qcow2') {
    if (t.clusterSize !== undefined) c.clusterSize = t.clusterSize;
    if (t.compat !== undefined) c.compat = t.compat;
    if (t.refcountBits !== undefined) c.refcountBits = t.refcountBits;
    if (t.lazy !== undefined) c.lazyRefcounts = t.lazy;
    if (o.backing_file !== undefined) c.backingFile = o.backing_file;
    if (o.backing_fmt !== undefined) c.backingFormat = o.backing_fmt as ImageFormat;
  }
  return c;
}
