// The workload model of workload.ts evaluated for a whole tick at once. Everything that depends
// only on the instant (the day curve, the cosine blend factor and knot of each smooth-noise period,
// the noise slot's multiplier) is computed once per tick here, so the per-domain and per-vCPU
// work is integer hashing and a few multiplies. Every function returns exactly (bit for bit) what
// its workload.ts counterpart returns: the same expressions over the same doubles, only hoisted.
// test/engine/compute/tickload.test.ts holds the two against each other.

import type { WorkloadProfile } from '../../api/types';
import { mix32 } from '../rng';
import { round } from './kernel';

export const PROFILE_IDLE = 0;
export const PROFILE_WEB = 1;
export const PROFILE_DATABASE = 2;
export const PROFILE_BUILD = 3;
export const PROFILE_BURN = 4;
export const PROFILE_BURSTY = 5;
export const PROFILE_DIURNAL = 6;

const CODES: Record<WorkloadProfile, number> = {
  idle: PROFILE_IDLE,
  web: PROFILE_WEB,
  database: PROFILE_DATABASE,
  build: PROFILE_BUILD,
  'cpu-burn': PROFILE_BURN,
  bursty: PROFILE_BURSTY,
  diurnal: PROFILE_DIURNAL,
};

export function profileCode(p: WorkloadProfile): number {
  return CODES[p];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const BUILD_CYCLE = 15 * MINUTE;
const BUILD_ON = 10 * MINUTE;

/** Per-profile share of memory above the OS baseline (workload.ts MEMORY_SHARE, by code). */
const MEMORY_SHARE = new Float64Array([0.05, 0.35, 0.8, 0.5, 0.12, 0.3, 0.25]);

/** 1 / (1 + v × 0.15) for v < SKEW_N: the per-vCPU skew, the same double workload.ts computes. */
const SKEW_N = 1024;
const SKEW = new Float64Array(SKEW_N);
for (let v = 0; v < SKEW_N; v++) SKEW[v] = 1 / (1 + v * 0.15);

/** A noise slot prepared once per tick: noise(seed, slot) === slotNoise(seed, mul, hi). */
interface Slot {
  mul: number;
  hi: number;
}

function prepare(slot: number, out: Slot): void {
  out.mul = Math.imul(slot | 0, 0x9e3779b1);
  out.hi = Math.floor(slot / 0x100000000) | 0;
}

/** rng.noise with the slot's part precomputed. */
function slotNoise(seed: number, mul: number, hi: number): number {
  return mix32(mix32(seed ^ mul) + hi) / 0x100000000;
}

/** smooth(seed, t, period) of workload.ts at one instant: the knot k and the blend factor f. */
interface Smooth {
  k0: Slot;
  k1: Slot;
  f: number;
}

function prepareSmooth(t: number, period: number, out: Smooth): void {
  const x = t / period;
  const k = Math.floor(x);
  out.f = (1 - Math.cos((x - k) * Math.PI)) / 2;
  prepare(k, out.k0);
  prepare(k + 1, out.k1);
}

function smoothAt(seed: number, s: Smooth): number {
  return slotNoise(seed, s.k0.mul, s.k0.hi) * (1 - s.f) + slotNoise(seed, s.k1.mul, s.k1.hi) * s.f;
}

const newSmooth = (): Smooth => ({ k0: { mul: 0, hi: 0 }, k1: { mul: 0, hi: 0 }, f: 0 });

/** What every domain's workload shares at one instant. */
export class TickLoad {
  t = 0;
  /** dayCurve(t). */
  day = 0;
  /** The 1-second jitter slot, the 30-second burst slot. */
  readonly second: Slot = { mul: 0, hi: 0 };
  readonly burst: Slot = { mul: 0, hi: 0 };
  readonly s5 = newSmooth();
  readonly s10 = newSmooth();
  readonly s15 = newSmooth();

  at(t: number): this {
    this.t = t;
    const hour = (((t % DAY) + DAY) % DAY) / (60 * MINUTE);
    this.day = (1 - Math.cos(((hour - 4) / 24) * 2 * Math.PI)) / 2;
    prepare(Math.floor(t / SECOND), this.second);
    prepare(Math.floor(t / (30 * SECOND)), this.burst);
    prepareSmooth(t, 5 * MINUTE, this.s5);
    prepareSmooth(t, 10 * MINUTE, this.s10);
    prepareSmooth(t, 15 * MINUTE, this.s15);
    return this;
  }

  /** workload.ts demandLevel(profile, t, seed). */
  level(code: number, seed: number): number {
    switch (code) {
      case PROFILE_WEB:
        return 0.08 + 0.3 * this.day + 0.15 * smoothAt(seed, this.s5);
      case PROFILE_DATABASE:
        return 0.3 + 0.35 * smoothAt(seed, this.s10);
      case PROFILE_BUILD: {
        const t = this.t;
        const phase = (((t + (seed % BUILD_CYCLE)) % BUILD_CYCLE) + BUILD_CYCLE) % BUILD_CYCLE;
        return phase < BUILD_ON ? 1 : 0;
      }
      case PROFILE_BURSTY:
        return slotNoise(seed ^ 0x5bd1e995, this.burst.mul, this.burst.hi) < 0.2 ? 1 : 0;
      case PROFILE_DIURNAL:
        return this.day;
      default:
        return 0;
    }
  }

  /**
   * The 1-second jitter (workload.ts perVcpu's `jitter`) of every vCPU k in [from, to), from its
   * stream seeds[k] (jitterSeed), into out[k]. A loop of its own: each hash is a long chain of
   * dependent multiplies, and only a short loop body lets the processor run many at once.
   */
  jitters(seeds: Uint32Array, from: number, to: number, out: Float64Array): void {
    const { mul, hi } = this.second;
    for (let k = from; k < to; k++) out[k] = slotNoise(seeds[k], mul, hi);
  }

  /** workload.ts memoryUsedKiB(profile, t, seed, currentKiB, baseKiB). */
  memoryUsed(code: number, seed: number, currentKiB: number, baseKiB: number): number {
    const base = Math.min(baseKiB, currentKiB);
    let share = MEMORY_SHARE[code] * (0.85 + 0.3 * smoothAt(seed ^ 0x68e31da4, this.s15));
    if (code === PROFILE_DIURNAL || code === PROFILE_WEB) share *= 0.6 + 0.6 * this.day;
    return Math.min(currentKiB, round(base + (currentKiB - base) * Math.min(1, share)));
  }
}

/** The noise stream of vCPU v's jitter in a domain of stream `seed` (workload.ts perVcpu). */
export function jitterSeed(seed: number, v: number): number {
  return (seed ^ Math.imul(v + 1, 0x27d4eb2d)) >>> 0;
}

/** workload.ts vcpuDemand(profile, lvl, t, seed, v), given vCPU v's jitter at t (TickLoad.jitters). */
export function vcpuLoad(code: number, lvl: number, jitter: number, v: number): number {
  const skew = v < SKEW_N ? SKEW[v] : 1 / (1 + v * 0.15);
  switch (code) {
    case PROFILE_IDLE:
      return 0.005 + 0.03 * jitter;
    case PROFILE_WEB:
      return clamp01(lvl * skew + 0.1 * jitter);
    case PROFILE_DATABASE:
      return clamp01(lvl * (v === 0 ? 1.2 : skew) + 0.1 * jitter);
    case PROFILE_BUILD:
      return lvl ? clamp01(0.85 + 0.15 * jitter) : 0.02 + 0.05 * jitter;
    case PROFILE_BURN:
      return 0.97 + 0.03 * jitter;
    case PROFILE_BURSTY:
      return lvl ? clamp01(0.7 + 0.3 * jitter) : 0.03 + 0.07 * jitter;
    default:
      return clamp01(0.05 + 0.75 * lvl * skew + 0.1 * jitter);
  }
}

/** workload.ts ioIntensity(profile, lvl). */
export function ioOf(code: number, lvl: number): number {
  switch (code) {
    case PROFILE_IDLE:
      return 0.02;
    case PROFILE_WEB:
      return 0.1 + 0.8 * lvl;
    case PROFILE_DATABASE:
      return 0.3 + lvl;
    case PROFILE_BUILD:
      return 0.05 + 0.6 * lvl;
    case PROFILE_BURN:
      return 0.02;
    case PROFILE_BURSTY:
      return 0.05 + 0.6 * lvl;
    default:
      return 0.05 + 0.3 * lvl;
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
