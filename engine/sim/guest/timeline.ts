// Small helpers shared by the transcript builders: timed lines, kernel timestamps, sizes.

import { hash32 } from '../rng';

/** One line of console output at `at` ms after power-on (text without the line ending). */
export interface TimedLine {
  at: number;
  text: string;
  /** No line ending after it (a prompt waiting for input). */
  open?: boolean;
}

export const GREEN = '\x1b[0;32m';
export const BGREEN = '\x1b[0;1;32m';
export const RED = '\x1b[0;1;31m';
export const BOLD = '\x1b[1m';
export const RESET = '\x1b[0m';

/** Lines evenly spread over [from, to). */
export function spread(texts: string[], from: number, to: number): TimedLine[] {
  const step = texts.length ? (to - from) / texts.length : 0;
  return texts.map((text, i) => ({ at: Math.round(from + i * step), text }));
}

/** "[    1.234567] " — seconds since the kernel started, with deterministic microseconds. */
export function kstamp(ms: number, salt: string): string {
  const us = Math.max(0, Math.round(ms * 1000) + (ms > 0 ? hash32(salt) % 997 : 0));
  const s = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
  return `[${s.padStart(12)}] `;
}

/** Kernel lines spread over [from, to) of boot time, stamped relative to `kernelStart`. */
export function kernelLines(texts: string[], from: number, to: number, kernelStart: number, salt: string): TimedLine[] {
  return spread(texts, from, to).map((l, i) => ({ at: l.at, text: kstamp(l.at - kernelStart, `${salt}:${i}`) + l.text }));
}

/** "42.9 GB/40.0 GiB" as the Linux block layer prints capacities. */
export function gbGib(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB/${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function sectors(bytes: number): number {
  return Math.floor(bytes / 512);
}
