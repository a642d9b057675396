// Statistics over virtual time. Samples fall on every whole second of the virtual clock; CPU time
// is integrated between them. A long advance is integrated in at most MAX_STEPS equal chunks
// (deterministically: the chunking depends only on the span), so 30 days at 20,000 domains stays
// cheap. Contention: when a host's summed demand exceeds its pCPUs, everyone is scaled down
// proportionally (the later scheduler replaces this rule with steal time).

import { findOs } from '../guest/oscatalog';
import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { demandPerVcpu, memoryUsedKiB } from './workload';

const SAMPLE_MS = 1000;
const MAX_STEPS = 48;
/** Demand per vCPU while the firmware and kernel boot, while going down, and of Domain-0's housekeeping. */
const BOOT_DEMAND = 0.6;
const SHUTDOWN_DEMAND = 0.25;
const DOM0_BASE = 0.04;

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
  demand(d: DomainRecord, t: number): number {
    const live = d.live;
    if (!live) return 0;
    if (d.isDom0) return live.vcpus * (DOM0_BASE + demandPerVcpu('idle', t, this.seedOf(d), 0));
    if (d.state === 'in shutdown') return live.vcpus * SHUTDOWN_DEMAND;
    if (d.state !== 'running') return 0;
    if (d.rebooting) return live.vcpus * SHUTDOWN_DEMAND;
    if (d.bootedAt !== null && t < d.bootedAt) return live.vcpus * BOOT_DEMAND;
    const seed = this.seedOf(d);
    let sum = 0;
    for (let v = 0; v < live.vcpus; v++) sum += demandPerVcpu(live.workload, t, seed, v);
    return sum;
  }

  /** Integrates statistics up to virtual time `to` (sampling at whole seconds). */
  advanceTo(to: number): void {
    const s = this.w.s;
    const lastBoundary = Math.floor(to / SAMPLE_MS) * SAMPLE_MS;
    const seconds = (lastBoundary - s.lastSampleAt) / SAMPLE_MS;
    if (seconds <= 0) return;
    const chunk = Math.ceil(seconds / MAX_STEPS);
    let t = s.lastSampleAt;
    while (t < lastBoundary) {
      const next = Math.min(lastBoundary, t + chunk * SAMPLE_MS);
      this.step(next, next - t, next === lastBoundary);
      t = next;
    }
    s.lastSampleAt = lastBoundary;
  }

  /** Sets the displayed statistics at time t without accumulating CPU time (world creation). */
  sampleNow(t: number): void {
    this.step(t, 0, true);
    this.w.s.lastSampleAt = Math.floor(t / SAMPLE_MS) * SAMPLE_MS;
  }

  private step(t: number, spanMs: number, publish: boolean): void {
    const w = this.w;
    const active = w.s.domains.filter((d) => d.live !== null);
    const demand = new Float64Array(active.length);
    const hostDemand = new Map<string, number>();
    for (let i = 0; i < active.length; i++) {
      const d = active[i];
      demand[i] = this.demand(d, t);
      hostDemand.set(d.host, (hostDemand.get(d.host) ?? 0) + demand[i]);
    }
    const scale = new Map<string, number>();
    const hostBusy = new Map<string, number>();
    for (const h of w.s.hosts) {
      const pcpus = h.cpu.sockets * h.cpu.cores * h.cpu.threads;
      const want = hostDemand.get(h.name) ?? 0;
      scale.set(h.name, want > pcpus ? pcpus / want : 1);
      hostBusy.set(h.name, Math.min(want, pcpus) / pcpus);
    }
    for (let i = 0; i < active.length; i++) {
      const d = active[i];
      const busy = demand[i] * scale.get(d.host)!;
      if (spanMs > 0) d.cpuTimeNs = Math.round(d.cpuTimeNs + busy * spanMs * 1e6);
      if (!publish) continue;
      d.cpuPercent = Math.round(busy * 1000) / 10;
      d.memoryUsedKiB = this.memoryUsed(d, t);
      d.rev++;
    }
    if (!publish) return;
    for (const h of w.s.hosts) {
      const pct = Math.round(hostBusy.get(h.name)! * 1000) / 10;
      if (pct !== h.cpuPercent) {
        h.cpuPercent = pct;
        h.rev++;
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
