// virsh's numeric option parsing and C printf-compatible number formatting, so messages and
// values match virsh byte for byte (vshCommandOptUInt, vshCommandOptScaledInt, "%.1f").

import { VirError } from '../../engine/api/errors';
import { CommandError } from '../commands/errors';

const UINT_MAX = 4294967295n;
const ULLONG_MAX = 18446744073709551615n;

/** vshCommandOptUInt: base-10, leading blanks allowed, no sign, no trailing junk, ≤ UINT_MAX. */
export function parseUInt(raw: string, option: string): number {
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(raw);
  if (!m || BigInt(m[1]) > UINT_MAX) {
    throw CommandError.plain(
      'VIR_ERR_INVALID_ARG',
      `Numeric value '${raw}' for <${option}> option is malformed or out of range`,
    );
  }
  return Number(m[1]);
}

/**
 * vshCommandOptScaledInt + virScaleInteger: "1024", "512M", "2GiB", "1500b", "4KB" (decimal).
 * A bare number is scaled by `defaultScale`. Returns bytes as a bigint.
 */
export function parseScaled(raw: string, option: string, defaultScale = 1024n, limit = ULLONG_MAX): bigint {
  const malformed = () =>
    CommandError.plain('VIR_ERR_INVALID_ARG', `Scaled numeric value '${raw}' for <${option}> option is malformed or out of range`);
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)(.*)$/s.exec(raw);
  if (!m) throw malformed();
  const value = BigInt(m[1]);
  if (value > ULLONG_MAX) throw malformed();
  const suffix = m[2];
  let scale: bigint;
  if (suffix === '') scale = defaultScale;
  else if (/^(b|byte|bytes)$/i.test(suffix)) scale = 1n;
  else {
    let base: bigint;
    if (suffix.length === 1 || suffix.slice(1).toLowerCase() === 'ib') base = 1024n;
    else if (suffix.length === 2 && suffix[1].toLowerCase() === 'b') base = 1000n;
    else throw malformed().withCause(VirError.of('VIR_ERR_INVALID_ARG', `unknown suffix '${suffix}'`));
    const power = 'kmgtpe'.indexOf(suffix[0].toLowerCase()) + 1;
    if (power === 0) throw malformed().withCause(VirError.of('VIR_ERR_INVALID_ARG', `unknown suffix '${suffix}'`));
    scale = base ** BigInt(power);
  }
  if (value !== 0n && value > limit / scale) {
    throw malformed().withCause(new VirError('VIR_ERR_INVALID_ARG', `numerical overflow: value too large: ${value}${suffix}`));
  }
  return value * scale;
}

/** Bytes → KiB rounded up, as virsh's VIR_DIV_UP(bytes, 1024). */
export function bytesToKiB(bytes: bigint): number {
  return Number((bytes + 1023n) / 1024n);
}

/**
 * printf("%.Nf", x) as glibc does it: exact decimal value of the double, ties to even.
 * (JS toFixed rounds exact ties away from zero: 0.25.toFixed(1) is "0.3", C prints "0.2".)
 */
export function fixedC(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  // Decompose abs = mant × 2^exp exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, abs);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // scaled = abs × 10^digits = num / den exactly.
  let num = mant * 10n ** BigInt(digits);
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = s.slice(0, -digits) + '.' + s.slice(-digits);
  }
  return (neg && q !== 0n ? '-' : neg ? '-' : '') + s;
}
