// Size parsing and printing as qemu-img does it (util/cutils.c qemu_strtosz / size_to_str).
import { ImgError } from './errors';

const SUFFIX: Record<string, number> = { b: 0, B: 0, k: 10, K: 10, M: 20, G: 30, T: 40, P: 50, E: 60 };

/** Parses "10", "1.5G", "64k", "512b" (binary suffixes, no suffix = bytes). Returns undefined when invalid. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([bBkKMGTPE]?)$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]) * 2 ** SUFFIX[m[2] || 'b'];
  // qemu rejects fractions of a byte and anything ≥ 2^64; JS numbers are exact up to 2^53.
  if (!Number.isFinite(value) || !Number.isInteger(value) || value >= 2 ** 63) return undefined;
  return value;
}

export const INVALID_SIZE =
  'Invalid image size specified. You may use k, M, G, T, P or E suffixes for\n' +
  'virtyard img: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.';

export function requireSize(text: string): number {
  const n = parseSize(text);
  if (n === undefined) throw new ImgError(INVALID_SIZE);
  return n;
}

const UNITS = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** qemu's size_to_str: "%0.3g <unit>B", switching unit once the integer part reaches 1000. */
export function sizeToStr(bytes: number): string {
  let i = 0;
  if (bytes > 0) {
    // frexp(val / (1000/1024)) exponent e; i = (e - 1) / 10
    const e = Math.floor(Math.log2(bytes / (1000 / 1024))) + 1;
    i = Math.max(0, Math.min(6, Math.trunc((e - 1) / 10)));
  }
  return `${fmtG3(bytes / 2 ** (i * 10))} ${UNITS[i]}B`;
}

/** printf("%0.3g") for values in [0, 1024). */
export function fmtG3(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * printf("%.<digits>f") exactly as C does it: rounds the double's exact binary value, ties to
 * even (0.125 → "0.12"), where Number#toFixed would give "0.13".
 */
export function cFixed(x: number, digits: number): string {
  if (!Number.isFinite(x) || x < 0) return x.toFixed(digits);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  const num = mant * 10n ** BigInt(digits);
  let q: bigint;
  if (e >= 0) q = num << BigInt(e);
  else {
    const den = 1n << BigInt(-e);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const s = q.toString().padStart(digits + 1, '0');
  return digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
}
