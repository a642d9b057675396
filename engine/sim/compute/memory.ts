// Guest and host memory: what a guest touches (its OS baseline plus its workload's share of what
// the balloon leaves it), how its kernel reports that (guestMeminfo: free, top, dommemstat), the
// host's resident total and how much pressure that puts on it.

import type { MemoryPressure } from '../../api/types';
import { findOs } from '../guest/oscatalog';
import { driverFor } from '../hypervisors';
import type { DomainRecord, HostRecord } from '../world/state';
import { memoryUsedKiB } from './workload';

/** Memory a running guest uses at t, KiB (never above its current, ballooned, memory). */
export function guestMemoryUsed(d: DomainRecord, t: number, seed: number, baseKiB?: number): number {
  const live = d.live!;
  if (d.isDom0) return Math.round(live.memoryKiB * 0.55);
  // A stopped guest's memory stays as it was (a paused fixture domain gets its first figure here).
  if ((d.state === 'paused' || d.state === 'crashed') && d.memoryUsedKiB > 0) return Math.min(d.memoryUsedKiB, live.memoryKiB);
  const base = baseKiB ?? findOs(live.os)?.baseMemoryKiB ?? 128 * 1024;
  if (d.bootedAt !== null && t < d.bootedAt && d.startedAt !== null) {
    const progress = (t - d.startedAt) / Math.max(1, d.bootedAt - d.startedAt);
    return Math.min(live.memoryKiB, Math.round(base * Math.max(0.1, progress)));
  }
  return memoryUsedKiB(live.workload, t, seed, live.memoryKiB, base);
}

/** What the host itself keeps resident besides its guests, KiB (KVM: the Linux host; Xen: Domain-0 is a guest). */
export function hostOwnKiB(h: HostRecord): number {
  return driverFor(h.hypervisor).hostReserveKiB(h);
}

/**
 * Pressure from the worse of two ratios: resident memory against RAM (a host past 1 swaps) and
 * committed guest memory against the admission limit (at 1 nothing more can start).
 */
export function memoryPressure(residentKiB: number, memoryKiB: number, committedKiB: number, limitKiB: number): MemoryPressure {
  const r = Math.max(residentKiB / Math.max(1, memoryKiB), committedKiB / Math.max(1, limitKiB));
  if (r >= 1) return 'critical';
  if (r >= 0.9) return 'high';
  if (r >= 0.75) return 'moderate';
  return 'none';
}

/** The guest kernel's view of its memory, KiB (guestMeminfo). */
export interface GuestMeminfo {
  /** MemTotal: the balloon's size less what the kernel keeps for itself. */
  total: number;
  used: number;
  /** Page cache: reclaimable, so it counts as available. */
  cache: number;
  /** MemFree. */
  free: number;
  /** MemAvailable: free plus the cache. */
  available: number;
}

/**
 * What free(1), top and the balloon driver report of a guest whose balloon holds `actualKiB` and
 * whose processes use `usedKiB`: the kernel keeps 3 % for itself, and 30 % of what the processes
 * leave is page cache. One model for the guest's shell and for dommemstat, so the two agree.
 */
export function guestMeminfo(actualKiB: number, usedKiB: number): GuestMeminfo {
  const total = Math.floor(actualKiB * 0.97);
  const used = Math.min(total, usedKiB);
  const cache = Math.floor((total - used) * 0.3);
  return { total, used, cache, free: total - used - cache, available: total - used };
}

/** dommemstat / domstats balloon figures of a running guest, KiB (virtio-balloon's tags). */
export function balloonStats(d: DomainRecord, uptimeMs: number, now: number): Array<[string, number]> {
  const actual = d.live!.memoryKiB;
  const m = guestMeminfo(actual, d.memoryUsedKiB);
  // Page faults grow with uptime and with how much memory the guest touches.
  const minor = Math.round((uptimeMs / 1000) * 40 + m.used / 16);
  const major = Math.round(m.used / 4096 + uptimeMs / 600_000);
  return [
    ['actual', actual],
    ['swap_in', 0],
    ['swap_out', 0],
    ['major_fault', major],
    ['minor_fault', minor],
    ['unused', m.free],
    ['available', m.total],
    ['usable', m.available],
    ['last_update', Math.floor(now / 1000)],
    ['disk_caches', m.cache],
    ['hugetlb_pgalloc', 0],
    ['hugetlb_pgfail', 0],
    ['rss', m.used + 24 * 1024],
  ];
}
