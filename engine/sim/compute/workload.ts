// Deterministic guest workloads: CPU demand per vCPU (0..1) and memory in use, as pure functions
// of (profile, virtual time, the domain's seed). Being stateless in time, the result does not
// depend on how time was stepped, and a later scheduler can ask for any instant it needs.

import type { WorkloadProfile } from '../../api/types';
import { noise } from '../rng';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Smooth noise in [0,1): cosine interpolation between knots `period` ms apart. */
function smooth(seed: number, t: number, period: number): number {
  const x = t / period;
  const k = Math.floor(x);
  const f = (1 - Math.cos((x - k) * Math.PI)) / 2;
  return noise(seed, k) * (1 - f) + noise(seed, k + 1) * f;
}

/** Day curve in [0,1]: low at 04:00 UTC, peak around 15:00. */
function dayCurve(t: number): number {
  const hour = ((t % DAY) + DAY) % DAY / (60 * MINUTE);
  return (1 - Math.cos(((hour - 4) / 24) * 2 * Math.PI)) / 2;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** The domain-wide part of a profile's demand at t (shared by all its vCPUs). */
function level(profile: WorkloadProfile, t: number, seed: number): number {
  switch (profile) {
    case 'web':
      return 0.08 + 0.3 * dayCurve(t) + 0.15 * smooth(seed, t, 5 * MINUTE);
    case 'database':
      return 0.3 + 0.35 * smooth(seed, t, 10 * MINUTE);
    case 'build': {
      // Compile runs of ~10 min every ~15 min, at a per-domain phase.
      const cycle = 15 * MINUTE;
      const phase = (((t + (seed % cycle)) % cycle) + cycle) % cycle;
      return phase < 10 * MINUTE ? 1 : 0;
    }
    case 'bursty':
      // Mostly quiet; about one 30-second slot in five is a burst.
      return noise(seed ^ 0x5bd1e995, Math.floor(t / (30 * SECOND))) < 0.2 ? 1 : 0;
    case 'diurnal':
      return dayCurve(t);
    default:
      return 0;
  }
}

/** One vCPU's demand given the domain-wide level: per-vCPU jitter and skew. */
function perVcpu(profile: WorkloadProfile, lvl: number, t: number, seed: number, vcpu: number): number {
  const jitter = noise((seed ^ Math.imul(vcpu + 1, 0x27d4eb2d)) >>> 0, Math.floor(t / SECOND));
  // The first vCPU of a service is usually the busiest.
  const skew = 1 / (1 + vcpu * 0.15);
  switch (profile) {
    case 'idle':
      return 0.005 + 0.03 * jitter;
    case 'web':
      return clamp01(lvl * skew + 0.1 * jitter);
    case 'database':
      return clamp01(lvl * (vcpu === 0 ? 1.2 : skew) + 0.1 * jitter);
    case 'build':
      return lvl ? clamp01(0.85 + 0.15 * jitter) : 0.02 + 0.05 * jitter;
    case 'cpu-burn':
      return 0.97 + 0.03 * jitter;
    case 'bursty':
      return lvl ? clamp01(0.7 + 0.3 * jitter) : 0.03 + 0.07 * jitter;
    case 'diurnal':
      return clamp01(0.05 + 0.75 * lvl * skew + 0.1 * jitter);
  }
}

/**
 * CPU demand of one vCPU at virtual time t (ms), 0..1. `seed` is the domain's stream seed;
 * vCPUs get distinct but correlated load.
 */
export function demandPerVcpu(profile: WorkloadProfile, t: number, seed: number, vcpu: number): number {
  return perVcpu(profile, level(profile, t, seed), t, seed, vcpu);
}

/** Σ demandPerVcpu over vCPUs 0..vcpus-1, computing the shared part once. */
export function domainDemand(profile: WorkloadProfile, t: number, seed: number, vcpus: number): number {
  const lvl = level(profile, t, seed);
  let sum = 0;
  for (let v = 0; v < vcpus; v++) sum += perVcpu(profile, lvl, t, seed, v);
  return sum;
}

/** The domain-wide level of a profile at t (computed once per domain per step by the scheduler). */
export function demandLevel(profile: WorkloadProfile, t: number, seed: number): number {
  return level(profile, t, seed);
}

/** One vCPU's demand for a level from demandLevel() (same result as demandPerVcpu). */
export function vcpuDemand(profile: WorkloadProfile, lvl: number, t: number, seed: number, vcpu: number): number {
  return perVcpu(profile, lvl, t, seed, vcpu);
}

/**
 * I/O intensity of a profile at a level (0..~1.3): what keeps a KVM guest's emulator thread and a
 * Xen host's Domain-0 (which runs the backends of every guest's disks and NICs) busy.
 */
export function ioIntensity(profile: WorkloadProfile, lvl: number): number {
  switch (profile) {
    case 'idle':
      return 0.02;
    case 'web':
      return 0.1 + 0.8 * lvl;
    case 'database':
      return 0.3 + lvl;
    case 'build':
      return 0.05 + 0.6 * lvl;
    case 'cpu-burn':
      return 0.02;
    case 'bursty':
      return 0.05 + 0.6 * lvl;
    case 'diurnal':
      return 0.05 + 0.3 * lvl;
  }
}

/** Pages (4 KiB) a profile dirties per second at full level: what live migration has to chase. */
const DIRTY_PAGES: Record<WorkloadProfile, number> = {
  idle: 40,
  web: 6_000,
  database: 40_000,
  build: 60_000,
  'cpu-burn': 1_500,
  bursty: 30_000,
  diurnal: 8_000,
};

/** Memory dirtying rate of a guest at t, pages/s: never more than a tenth of its memory per second. */
export function dirtyPagesPerSecond(profile: WorkloadProfile, t: number, seed: number, memoryKiB: number): number {
  const lvl = profile === 'idle' || profile === 'cpu-burn' ? 1 : level(profile, t, seed);
  const jitter = 0.85 + 0.3 * noise(seed ^ 0x2545f491, Math.floor(t / SECOND));
  const pages = DIRTY_PAGES[profile] * (0.05 + 0.95 * lvl) * jitter;
  return Math.round(Math.min(pages, memoryKiB / 4 / 10));
}

/** Share of the memory above the OS baseline that a profile keeps resident. */
const MEMORY_SHARE: Record<WorkloadProfile, number> = {
  idle: 0.05,
  web: 0.35,
  database: 0.8,
  build: 0.5,
  'cpu-burn': 0.12,
  bursty: 0.3,
  diurnal: 0.25,
};

/** Memory the guest uses at t, KiB: OS baseline + profile share, never above current memory. */
export function memoryUsedKiB(profile: WorkloadProfile, t: number, seed: number, currentKiB: number, baseKiB: number): number {
  const base = Math.min(baseKiB, currentKiB);
  let share = MEMORY_SHARE[profile] * (0.85 + 0.3 * smooth(seed ^ 0x68e31da4, t, 15 * MINUTE));
  if (profile === 'diurnal' || profile === 'web') share *= 0.6 + 0.6 * dayCurve(t);
  return Math.min(currentKiB, Math.round(base + (currentKiB - base) * Math.min(1, share)));
}
