// Statistics over virtual time. Samples fall on every whole second of the virtual clock; CPU time
// is integrated between them. A long advance is integrated in at most MAX_STEPS equal chunks
// (deterministically: the chunking depends only on the span), so 30 days at 20,000 domains stays
// cheap. Contention: when a host's summed demand exceeds its pCPUs, everyone is scaled down
// proportionally (the later scheduler replaces this rule with steal time).

import { findOs } from '../guest/oscatalog';
import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { demandPerVcpu, domainDemand, memoryUsedKiB } from './workload';

const SAMPLE_MS = 1000;
const MAX_STEPS = 32;
/** Demand per vCPU while the firmware and kernel boot, while going down, and of Domain-0's housekeeping. */
const BOOT_DEMAND = 0.6;
const SHUTDOWN_DEMAND = 0.25;
const DOM0_BASE = 0.04;

interface Batch {
  active: DomainRecord[];
  where: number[];
  seeds: number[];
}

export class Sampler {
  private seeds = new WeakMap<DomainRecord, number>();

  constructor(private w: World) {}

  private seedOf(d: DomainRecord): number {
    let s = this.seeds.get(d);
    if (s === undefined) {
      s = hash32(d.uuid, this.w.s.seed);
      this.seeds.set(d, s);
    }
    return s;
  }

  /** Busy vCPUs (0..vcpus) the domain wants at time t. */
  demand(d: DomainRecord, t: number, seed = this.seedOf(d)): number {
    const live = d.live;
    if (!live) return 0;
    if (d.isDom0) return live.vcpus * (DOM0_BASE + demandPerVcpu('idle', t, seed, 0));
    if (d.state === 'in shutdown') return live.vcpus * SHUTDOWN_DEMAND;
    if (d.state !== 'running') return 0;
    if (d.rebooting) return live.vcpus * SHUTDOWN_DEMAND;
    if (d.bootedAt !== null && t < d.bootedAt) return live.vcpus * BOOT_DEMAND;
    return domainDemand(live.workload, t, seed, live.vcpus);
  }

  /** Integrates statistics up to virtual time `to` (sampling at whole seconds). */
  advanceTo(to: number): void {
    const s = this.w.s;
    const lastBoundary = Math.floor(to / SAMPLE_MS) * SAMPLE_MS;
    const seconds = (lastBoundary - s.lastSampleAt) / SAMPLE_MS;
    if (seconds <= 0) return;
    const batch = this.batch();
    if (seconds <= MAX_STEPS) {
      // Short spans (the live TUI): one sample per second, each standing for the second before it.
      for (let t = s.lastSampleAt + SAMPLE_MS; t <= lastBoundary; t += SAMPLE_MS) this.step(batch, t, SAMPLE_MS, t === lastBoundary);
    } else {
      // Long spans: MAX_STEPS equal chunks integrated at their midpoints, then the display sample.
      const chunk = Math.ceil(seconds / MAX_STEPS) * SAMPLE_MS;
      for (let t = s.lastSampleAt; t < lastBoundary; t += chunk) {
        const end = Math.min(lastBoundary, t + chunk);
        this.step(batch, Math.floor((t + end) / 2 / SAMPLE_MS) * SAMPLE_MS, end - t, false);
      }
      this.step(batch, lastBoundary, 0, true);
    }
    s.lastSampleAt = lastBoundary;
  }

  /** Sets the displayed statistics at time t without accumulating CPU time (world creation). */
  sampleNow(t: number): void {
    this.step(this.batch(), t, 0, true);
    this.w.s.lastSampleAt = Math.floor(t / SAMPLE_MS) * SAMPLE_MS;
  }

  /** The active domains with their host slot and seed: fixed for one advanceTo (no timer fires inside). */
  private batch(): Batch {
    const hosts = this.w.s.hosts;
    const hostIndex = new Map<string, number>();
    hosts.forEach((h, i) => hostIndex.set(h.name, i));
    const active: DomainRecord[] = [];
    const where: number[] = [];
    const seeds: number[] = [];
    for (const d of this.w.s.domains) {
      if (d.live === null) continue;
      active.push(d);
      where.push(hostIndex.get(d.host) ?? 0);
      seeds.push(this.seedOf(d));
    }
    return { active, where, seeds };
  }

  private step({ active, where, seeds }: Batch, t: number, spanMs: number, publish: boolean): void {
    const w = this.w;
    const hosts = w.s.hosts;
    const demand = new Float64Array(active.length);
    const hostDemand = new Float64Array(hosts.length);
    for (let i = 0; i < active.length; i++) {
      demand[i] = this.demand(active[i], t, seeds[i]);
      hostDemand[where[i]] += demand[i];
    }
    const scale = new Float64Array(hosts.length);
    for (let h = 0; h < hosts.length; h++) {
      const pcpus = hosts[h].cpu.sockets * hosts[h].cpu.cores * hosts[h].cpu.threads;
      scale[h] = hostDemand[h] > pcpus ? pcpus / hostDemand[h] : 1;
      hostDemand[h] = Math.min(hostDemand[h], pcpus) / pcpus; // now: busy share of the host
    }
    const nsPerBusyMs = spanMs * 1e6;
    for (let i = 0; i < active.length; i++) {
      const d = active[i];
      const busy = demand[i] * scale[where[i]];
      if (spanMs > 0) d.cpuTimeNs = Math.round(d.cpuTimeNs + busy * nsPerBusyMs);
      if (!publish) continue;
      d.cpuPercent = Math.round(busy * 1000) / 10;
      d.memoryUsedKiB = this.memoryUsed(d, t);
    }
    if (!publish) return;
    for (let h = 0; h < hosts.length; h++) {
      const pct = Math.round(hostDemand[h] * 1000) / 10;
      if (pct !== hosts[h].cpuPercent) {
        hosts[h].cpuPercent = pct;
        hosts[h].rev++;
      }
    }
    if (active.length) w.version++;
  }

  private memoryUsed(d: DomainRecord, t: number): number {
    const live = d.live!;
    if (d.isDom0) return Math.round(live.memoryKiB * 0.55);
    // A stopped guest's memory stays as it was (a paused fixture domain gets its first figure here).
    if ((d.state === 'paused' || d.state === 'crashed') && d.memoryUsedKiB > 0) return d.memoryUsedKiB;
    const os = findOs(live.os);
    const base = os?.baseMemoryKiB ?? 128 * 1024;
    if (d.bootedAt !== null && t < d.bootedAt && d.startedAt !== null) {
      const progress = (t - d.startedAt) / Math.max(1, d.bootedAt - d.startedAt);
      return Math.min(live.memoryKiB, Math.round(base * Math.max(0.1, progress)));
    }
    return memoryUsedKiB(live.workload, t, this.seedOf(d), live.memoryKiB, base);
  }
}
