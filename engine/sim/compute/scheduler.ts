// The host CPU scheduler over virtual time. Every running domain's threads (vCPUs, a KVM guest's
// emulator thread, Domain-0's vCPUs on Xen) share their host's pCPUs by demand: weighted max-min
// per pinning group (kernel.ts), KVM weights from cpu_shares and caps from the CFS quotas, Xen
// weights and caps from the credit scheduler. What a thread wanted but did not get is steal.
//
// Time: the scheduling quantum is 100 ms, but workloads change their demand once per virtual
// second and the sharing rule has no memory, so the ten ticks of a second share identically —
// one evaluation per second stands for them exactly. A long advance is integrated in at most
// MAX_STEPS chunks at their midpoints (deterministically: the chunking depends only on the span),
// so 30 days at 20,000 domains stays cheap. Samples (history, published figures) fall on whole seconds.

import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { History } from './history';
import { type Chunks, newChunks, newPlaceScratch, place, type PlaceScratch, waterfill } from './kernel';
import { buildLayout, DomainCounters, HostCounters, KIND_DOM0, KIND_KVM, type Layout, layoutValid } from './layout';
import { guestMemoryUsed, hostOwnKiB } from './memory';
import { demandLevel, ioIntensity, vcpuDemand } from './workload';

const SAMPLE_MS = 1000;
const MAX_STEPS = 32;
/** Demand per vCPU while the firmware and kernel boot, and while going down. */
const BOOT_DEMAND = 0.6;
const SHUTDOWN_DEMAND = 0.25;
/** Domain-0's housekeeping per vCPU, and what it spends per unit of its guests' I/O (backends). */
const DOM0_BASE = 0.04;
const DOM0_IO = 0.05;
/** A KVM guest's emulator thread: the qemu main loop, and device emulation per unit of I/O. */
const EMU_BASE = 0.004;
const EMU_IO = 0.03;
const EMU_PAUSED = 0.001;
/** A vCPU below this demand is idle and does not dilute its domain's weight. */
const ACTIVE = 0.01;

export class Scheduler {
  private layout: Layout | null = null;
  private tuningVersion = 0;
  private counters = new Map<DomainRecord, DomainCounters>();
  private hostCounters: HostCounters[] = [];
  private hostState: unknown = null;
  history: History | null = null;
  private rows = new Map<DomainRecord, { id: number; r: ReturnType<History['alloc']> }>();
  // Per-entity state of the last step.
  dem = new Float64Array(0);
  eff = new Float64Array(0);
  alloc = new Float64Array(0);
  private wt = new Float64Array(0);
  entCpu = new Int16Array(0);
  /** Per domain slot: Σ allocation in the last step (pCPUs), and its I/O intensity. */
  domAlloc = new Float64Array(0);
  domSteal = new Float64Array(0);
  private domIo = new Float64Array(0);
  /** Per global pCPU: utilisation in the last step. */
  pcpuUtil = new Float64Array(0);
  private hostIo = new Float64Array(0);
  private idx = new Int32Array(0);
  private rem = new Float64Array(0);
  private chunks: Chunks = newChunks(0);
  private scratch: PlaceScratch = newPlaceScratch(0, 0);
  /** Virtual time of the last step that set the current figures. */
  lastStepAt = 0;
  /** Bumped after every published sample (fleetLoad caches on it). */
  sampleVersion = 0;

  constructor(private w: World) {}

  /** Pinning or scheduler parameters changed: the layout must be rebuilt before the next step. */
  invalidate(): void {
    this.tuningVersion++;
  }

  /** The world was replaced (loadState): forget everything derived from the old one. */
  reset(): void {
    this.layout = null;
    this.counters.clear();
    this.rows.clear();
    this.hostCounters = [];
    this.hostState = null;
    this.history = null;
  }

  /** The current layout (rebuilt if the world's structure changed). */
  current(): Layout {
    const w = this.w;
    if (this.hostState !== w.s) this.initHosts();
    if (this.layout && layoutValid(this.layout, w, this.tuningVersion)) return this.layout;
    const l = buildLayout(w, this.tuningVersion, (d, n, P) => this.countersFor(d, n, P));
    const keep = new Set(l.doms);
    for (const d of this.counters.keys()) if (!keep.has(d)) this.counters.delete(d);
    for (const [d, x] of this.rows) {
      if (!keep.has(d) || x.id !== d.id) {
        this.history!.release(x.r);
        this.rows.delete(d);
      }
    }
    for (const d of l.doms) {
      if (!this.rows.has(d)) this.rows.set(d, { id: d.id!, r: this.history!.alloc(Math.max(d.live!.vcpus, d.live!.maxVcpus)) });
    }
    const E = l.entDom.length;
    const D = l.doms.length;
    if (this.dem.length < E) {
      this.dem = new Float64Array(E);
      this.eff = new Float64Array(E);
      this.alloc = new Float64Array(E);
      this.wt = new Float64Array(E);
    } else {
      this.alloc.fill(0);
      this.dem.fill(0);
      this.eff.fill(0);
    }
    this.entCpu = new Int16Array(E);
    let maxEnts = 0;
    let maxP = 0;
    let maxGroupCpus = 0;
    for (let h = 0; h < l.hostPcpus.length; h++) {
      maxEnts = Math.max(maxEnts, l.hostEntStart[h + 1] - l.hostEntStart[h]);
      maxP = Math.max(maxP, l.hostPcpus[h]);
      const g0 = l.hostGroupStart[h];
      const g1 = l.hostGroupStart[h + 1];
      maxGroupCpus = Math.max(maxGroupCpus, l.groupCpuStart[g1] - l.groupCpuStart[g0]);
    }
    // Sticky placement: a thread keeps the pCPU it had; a new one starts spread over its group.
    for (let e = 0; e < E; e++) {
      const d = l.entDom[e];
      const th = l.entThread[e];
      const c = l.counters[d];
      const prev = th >= 0 ? c.vcpu[th] : c.emuCpu;
      this.entCpu[e] = prev >= 0 ? prev : e % l.hostPcpus[l.domHost[d]];
    }
    this.idx = new Int32Array(maxEnts);
    this.rem = new Float64Array(maxP);
    this.chunks = newChunks(maxEnts + maxGroupCpus + 8);
    this.scratch = newPlaceScratch(maxP, maxEnts);
    this.domAlloc = new Float64Array(D);
    this.domSteal = new Float64Array(D);
    this.domIo = new Float64Array(D);
    this.layout = l;
    return l;
  }

  private initHosts(): void {
    const s = this.w.s;
    this.hostState = s;
    this.layout = null;
    this.counters.clear();
    this.rows.clear();
    let total = 0;
    this.hostCounters = s.hosts.map((h) => {
      const P = h.cpu.sockets * h.cpu.cores * h.cpu.threads;
      total += P;
      const c = new HostCounters(P);
      if (h.compute && h.compute.userNs.length === P) {
        c.user.set(h.compute.userNs);
        c.system.set(h.compute.systemNs);
        c.iowait.set(h.compute.iowaitNs);
      } else {
        // Backdated like the guests: what they ran so far spread over the pCPUs, plus the host's own.
        const upNs = Math.max(0, s.clock.now - h.bootedAt) * 1e6;
        let guests = 0;
        for (const d of s.domains) if (d.host === h.name && d.live) guests += d.cpuTimeNs;
        c.user.fill(Math.round(Math.min(guests / P, upNs * 0.9)));
        c.system.fill(Math.round(upNs * 0.003));
        c.iowait.fill(Math.round(upNs * 0.004));
      }
      return c;
    });
    this.pcpuUtil = new Float64Array(total);
    this.hostIo = new Float64Array(s.hosts.length);
    this.history = new History(total);
  }

  private countersFor(d: DomainRecord, n: number, P: number): DomainCounters {
    let c = this.counters.get(d);
    if (c && c.id === d.id && c.pAll.length === P) {
      c.ensure(n);
      return c;
    }
    c = new DomainCounters(d.id!, n, P);
    const rec = d.compute;
    if (rec && rec.id === d.id) {
      for (let v = 0; v < n && v < rec.vcpuTimeNs.length; v++) {
        c.vtime[v] = rec.vcpuTimeNs[v];
        c.vwait[v] = rec.vcpuWaitNs[v] ?? 0;
        c.vdelay[v] = rec.vcpuDelayNs[v] ?? 0;
        c.vcpu[v] = rec.vcpuCpu[v] ?? -1;
      }
      c.emuTime = rec.emulatorTimeNs;
      c.emuCpu = rec.emulatorCpu ?? 0;
      for (const [p, x] of Object.entries(rec.pcpuTimeNs)) if (+p < P) c.pAll[+p] = x;
      for (const [p, x] of Object.entries(rec.pcpuVcpuTimeNs)) if (+p < P) c.pVcpu[+p] = x;
    } else if (d.cpuTimeNs > 0) {
      // A backdated fixture guest: its CPU time so far, split over its vCPUs (and emulator).
      const live = d.live!;
      const kvm = !d.isDom0 && this.w.host(d.host).hypervisor === 'kvm';
      const emu = kvm ? d.cpuTimeNs * 0.02 : 0;
      const per = (d.cpuTimeNs - emu) / live.vcpus;
      const seed = hash32(d.uuid, this.w.s.seed);
      for (let v = 0; v < live.vcpus; v++) {
        c.vtime[v] = Math.round(per);
        const p = (seed + v) % P;
        c.pAll[p] += Math.round(per);
        c.pVcpu[p] += Math.round(per);
      }
      c.emuTime = Math.round(emu);
      c.pAll[seed % P] += Math.round(emu);
    }
    this.counters.set(d, c);
    return c;
  }

  /** Integrates up to virtual time `to` (sampling at whole seconds). */
  advanceTo(to: number): void {
    const s = this.w.s;
    const lastBoundary = Math.floor(to / SAMPLE_MS) * SAMPLE_MS;
    const seconds = (lastBoundary - s.lastSampleAt) / SAMPLE_MS;
    if (seconds <= 0) return;
    this.current();
    if (seconds <= MAX_STEPS) {
      for (let t = s.lastSampleAt + SAMPLE_MS; t <= lastBoundary; t += SAMPLE_MS) this.step(t, SAMPLE_MS, true, t === lastBoundary);
    } else {
      const chunk = Math.ceil(seconds / MAX_STEPS) * SAMPLE_MS;
      for (let t = s.lastSampleAt; t < lastBoundary; t += chunk) {
        const end = Math.min(lastBoundary, t + chunk);
        this.step(Math.floor((t + end) / 2 / SAMPLE_MS) * SAMPLE_MS, end - t, false, false);
      }
      // The window of per-second samples ends here: the jump was not sampled second by second.
      this.history!.clear();
      this.step(lastBoundary, 0, true, true);
    }
    s.lastSampleAt = lastBoundary;
  }

  /** Sets the displayed statistics at time t without accumulating time (world creation). */
  sampleNow(t: number): void {
    this.current();
    this.step(t, 0, true, true);
    this.w.s.lastSampleAt = Math.floor(t / SAMPLE_MS) * SAMPLE_MS;
  }

  private step(t: number, spanMs: number, record: boolean, publish: boolean): void {
    const l = this.layout!;
    this.demands(l, t);
    this.share(l, spanMs * 1e6);
    this.lastStepAt = t;
    if (record) this.record(l, t);
    if (publish) this.publish(l, t);
  }

  /** Demand (dem), capped demand (eff) and weight (wt) of every entity at t. */
  private demands(l: Layout, t: number): void {
    const { dem, eff } = this;
    const hostIo = this.hostIo;
    hostIo.fill(0);
    const D = l.doms.length;
    for (let i = 0; i < D; i++) {
      if (l.domKind[i] === KIND_DOM0) continue;
      const d = l.doms[i];
      const nV = l.domVcpus[i];
      const off = l.domVcpuOff[i];
      const seed = l.domSeed[i];
      const profile = l.domProfile[i];
      let flat = -1; // a flat per-vCPU demand, or -1 for the workload's own
      let io = 0;
      let emu = EMU_BASE;
      if (d.state === 'in shutdown' || (d.state === 'running' && d.rebooting)) {
        flat = SHUTDOWN_DEMAND;
        io = 0.3;
      } else if (d.state !== 'running') {
        flat = 0;
        emu = d.state === 'paused' ? EMU_PAUSED : 0;
      } else if (d.bootedAt !== null && t < d.bootedAt) {
        flat = BOOT_DEMAND;
        io = 0.5;
      }
      let sum = 0;
      if (flat >= 0) {
        for (let v = 0; v < nV; v++) {
          const e = l.vcpuEnt[off + v];
          dem[e] = flat;
          sum += eff[e] = flat < l.entCap[e] ? flat : l.entCap[e];
        }
      } else {
        const lvl = demandLevel(profile, t, seed);
        io = ioIntensity(profile, lvl);
        // The guest shell's `stress --cpu N` keeps N vCPUs fully busy until it ends.
        const stress = d.loadOverride && d.loadOverride.until > t ? d.loadOverride.vcpus : 0;
        for (let v = 0; v < nV; v++) {
          const e = l.vcpuEnt[off + v];
          const x = v < stress ? 1 : vcpuDemand(profile, lvl, t, seed, v);
          dem[e] = x;
          sum += eff[e] = x < l.entCap[e] ? x : l.entCap[e];
        }
      }
      const em = l.domEmuEnt[i];
      if (em >= 0) {
        const x = Math.min(1, emu + EMU_IO * io);
        dem[em] = x;
        sum += eff[em] = x < l.entCap[em] ? x : l.entCap[em];
      }
      this.domIo[i] = io;
      hostIo[l.domHost[i]] += io;
      this.weigh(l, i, sum);
    }
    for (const i of l.dom0Slots) {
      const nV = l.domVcpus[i];
      const off = l.domVcpuOff[i];
      const backends = (hostIo[l.domHost[i]] * DOM0_IO) / nV;
      let sum = 0;
      for (let v = 0; v < nV; v++) {
        const e = l.vcpuEnt[off + v];
        const x = Math.min(1, DOM0_BASE + vcpuDemand('idle', 0, t, l.domSeed[i], v) + backends);
        dem[e] = x;
        sum += eff[e] = x < l.entCap[e] ? x : l.entCap[e];
      }
      this.weigh(l, i, sum);
    }
  }

  /** Domain-wide cap (global quota / Xen cap) and the domain's weight split over its busy vCPUs. */
  private weigh(l: Layout, i: number, sum: number): void {
    const { eff, wt } = this;
    const nV = l.domVcpus[i];
    const off = l.domVcpuOff[i];
    const em = l.domEmuEnt[i];
    const cap = l.domCap[i];
    if (sum > cap) {
      const k = cap / sum;
      for (let v = 0; v < nV; v++) eff[l.vcpuEnt[off + v]] *= k;
      if (em >= 0) eff[em] *= k;
    }
    let active = 0;
    for (let v = 0; v < nV; v++) if (eff[l.vcpuEnt[off + v]] > ACTIVE) active++;
    const w = l.domWeight[i] / (active > 0 ? active : 1);
    for (let v = 0; v < nV; v++) wt[l.vcpuEnt[off + v]] = w;
    if (em >= 0) wt[em] = w;
  }

  /** Shares every host's pCPUs among its entities and accumulates the counters over spanNs. */
  private share(l: Layout, spanNs: number): void {
    const { eff, wt, alloc, idx, rem, chunks, entCpu } = this;
    const H = l.hostPcpus.length;
    const util = this.pcpuUtil;
    for (let h = 0; h < H; h++) {
      const P = l.hostPcpus[h];
      for (let p = 0; p < P; p++) rem[p] = 1;
      chunks.n = 0;
      for (let g = l.hostGroupStart[h]; g < l.hostGroupStart[h + 1]; g++) {
        const first = l.groupEntStart[g];
        const last = l.groupEntStart[g + 1];
        const c0 = l.groupCpuStart[g];
        const c1 = l.groupCpuStart[g + 1];
        let cap = 0;
        for (let j = c0; j < c1; j++) cap += rem[l.groupCpus[j]];
        waterfill(first, last, cap, eff, wt, alloc, idx);
        place(first, last, alloc, l.groupCpus, c0, c1, rem, entCpu, chunks, this.scratch);
      }
      const base = l.pcpuBase[h];
      for (let p = 0; p < P; p++) util[base + p] = 1 - rem[p];
      if (spanNs <= 0) continue;
      const hc = this.hostCounters[h];
      for (let i = 0; i < chunks.n; i++) {
        const e = chunks.ent[i];
        const p = chunks.cpu[i];
        // Whole nanoseconds everywhere: a saved and reloaded world continues exactly.
        const x = Math.round(chunks.amt[i] * spanNs);
        const d = l.entDom[e];
        const c = l.counters[d];
        c.pAll[p] += x;
        if (l.entThread[e] >= 0 && l.domKind[d] !== KIND_DOM0) {
          c.pVcpu[p] += x;
          hc.user[p] += x;
        } else {
          if (l.entThread[e] >= 0) c.pVcpu[p] += x;
          hc.system[p] += x;
        }
      }
      // Idle time spent waiting on the guests' disks shows as iowait.
      const ioShare = Math.min(0.3, this.hostIo[h] * 0.01);
      for (let p = 0; p < P; p++) hc.iowait[p] += Math.round(rem[p] * ioShare * spanNs);
    }
    const E = l.entDom.length;
    const domAlloc = this.domAlloc;
    const domSteal = this.domSteal;
    domAlloc.fill(0);
    domSteal.fill(0);
    for (let e = 0; e < E; e++) {
      const d = l.entDom[e];
      const a = alloc[e];
      domAlloc[d] += a;
      const th = l.entThread[e];
      if (th >= 0) domSteal[d] += this.eff[e] - a;
      if (spanNs <= 0) continue;
      const c = l.counters[d];
      if (th >= 0) {
        c.vtime[th] += Math.round(a * spanNs);
        c.vwait[th] += Math.round((this.dem[e] - a) * spanNs);
        c.vdelay[th] += Math.round((this.eff[e] - a) * spanNs);
      } else c.emuTime += Math.round(a * spanNs);
    }
    if (spanNs > 0) {
      for (let i = 0; i < l.doms.length; i++) {
        const d = l.doms[i];
        d.cpuTimeNs = Math.round(d.cpuTimeNs + domAlloc[i] * spanNs);
      }
    }
  }

  private record(l: Layout, t: number): void {
    const hist = this.history!;
    const S = hist.S;
    const slot = hist.begin(t);
    const util = this.pcpuUtil;
    for (let p = 0; p < util.length; p++) hist.pcpu[p * S + slot] = History.pct8(util[p]);
    const { alloc, eff, dem } = this;
    for (let i = 0; i < l.doms.length; i++) {
      const r = this.rows.get(l.doms[i])!.r;
      const c = l.counters[i];
      const nV = l.domVcpus[i];
      const off = l.domVcpuOff[i];
      if (l.domEmuEnt[i] >= 0) c.lEmu = alloc[l.domEmuEnt[i]];
      for (let v = 0; v < r.n; v++) {
        const at = (r.row + v) * S + slot;
        if (v < nV) {
          const e = l.vcpuEnt[off + v];
          c.lDem[v] = dem[e];
          c.lBusy[v] = alloc[e];
          c.lSteal[v] = eff[e] - alloc[e];
          hist.busy[at] = History.pct8(alloc[e]);
          hist.steal[at] = History.pct8(eff[e] - alloc[e]);
        } else {
          hist.busy[at] = 255;
          hist.steal[at] = 255;
        }
      }
      hist.dom[r.drow * S + slot] = History.pct16(this.domAlloc[i] * 100);
    }
  }

  private publish(l: Layout, t: number): void {
    const w = this.w;
    const hosts = w.s.hosts;
    const resident = new Float64Array(hosts.length);
    for (let i = 0; i < l.doms.length; i++) {
      const d = l.doms[i];
      d.cpuPercent = Math.round(this.domAlloc[i] * 1000) / 10;
      d.memoryUsedKiB = guestMemoryUsed(d, t, l.domSeed[i]);
      resident[l.domHost[i]] += d.memoryUsedKiB;
      const c = l.counters[i];
      const nV = l.domVcpus[i];
      const off = l.domVcpuOff[i];
      for (let v = 0; v < nV; v++) c.vcpu[v] = this.entCpu[l.vcpuEnt[off + v]];
      if (l.domEmuEnt[i] >= 0) c.emuCpu = this.entCpu[l.domEmuEnt[i]];
    }
    for (let h = 0; h < hosts.length; h++) {
      const host = hosts[h];
      const P = l.hostPcpus[h];
      let busy = 0;
      for (let p = 0; p < P; p++) busy += this.pcpuUtil[l.pcpuBase[h] + p];
      const pct = Math.round((busy / P) * 1000) / 10;
      const res = Math.round(resident[h] + hostOwnKiB(host));
      if (pct !== host.cpuPercent || res !== host.memoryResidentKiB) {
        host.cpuPercent = pct;
        host.memoryResidentKiB = res;
        host.rev++;
      }
    }
    this.sampleVersion++;
    if (l.doms.length) w.version++;
  }

  /** Copies the live counters into the records (before toState): plain JSON, whole nanoseconds. */
  flush(): void {
    const l = this.layout;
    if (!l || l.state !== this.w.s) return;
    const round = (a: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => Math.round(a[i]));
    const sparse = (a: Float64Array) => {
      const o: Record<string, number> = {};
      for (let p = 0; p < a.length; p++) if (a[p] > 0) o[p] = Math.round(a[p]);
      return o;
    };
    for (let i = 0; i < l.doms.length; i++) {
      const d = l.doms[i];
      if (d.live === null || d.id !== l.counters[i].id) continue;
      const c = l.counters[i];
      const n = Math.max(d.live.vcpus, d.live.maxVcpus);
      d.compute = {
        id: c.id,
        vcpuTimeNs: round(c.vtime, n),
        vcpuWaitNs: round(c.vwait, n),
        vcpuDelayNs: round(c.vdelay, n),
        vcpuCpu: Array.from({ length: n }, (_, v) => c.vcpu[v]),
        emulatorTimeNs: Math.round(c.emuTime),
        emulatorCpu: c.emuCpu,
        pcpuTimeNs: sparse(c.pAll),
        pcpuVcpuTimeNs: sparse(c.pVcpu),
      };
    }
    for (const d of this.w.s.domains) if (d.live === null && d.compute) delete d.compute;
    this.w.s.hosts.forEach((h, i) => {
      const c = this.hostCounters[i];
      if (!c) return;
      h.compute = { userNs: round(c.user, c.user.length), systemNs: round(c.system, c.system.length), iowaitNs: round(c.iowait, c.iowait.length) };
    });
  }

  /** The live counters of a running domain (null when inactive). */
  countersOf(d: DomainRecord): { layout: Layout; slot: number; c: DomainCounters } | null {
    if (d.live === null) return null;
    const l = this.current();
    const slot = l.doms.indexOf(d);
    if (slot < 0) return null;
    return { layout: l, slot, c: l.counters[slot] };
  }

  hostCountersOf(hostIndex: number): HostCounters {
    this.current();
    return this.hostCounters[hostIndex];
  }

  /** History rows of a running domain. */
  rowsOf(d: DomainRecord): ReturnType<History['alloc']> | null {
    this.current();
    return this.rows.get(d)?.r ?? null;
  }

  /** Re-runs the last step's placement of one host, returning its chunks (for hostCpuMap). */
  placementOf(h: number): Chunks {
    const l = this.current();
    const rem = this.rem;
    const out = newChunks(this.chunks.ent.length);
    const P = l.hostPcpus[h];
    for (let p = 0; p < P; p++) rem[p] = 1;
    const primary = Int16Array.from(this.entCpu);
    // The last sample's allocations, from the counters (they survive a layout rebuild).
    const a = new Float64Array(l.entDom.length);
    for (let e = l.hostEntStart[h]; e < l.hostEntStart[h + 1]; e++) {
      const c = l.counters[l.entDom[e]];
      const th = l.entThread[e];
      a[e] = th >= 0 ? c.lBusy[th] : c.lEmu;
    }
    for (let g = l.hostGroupStart[h]; g < l.hostGroupStart[h + 1]; g++) {
      place(l.groupEntStart[g], l.groupEntStart[g + 1], a, l.groupCpus, l.groupCpuStart[g], l.groupCpuStart[g + 1], rem, primary, out, this.scratch);
    }
    return out;
  }

  /** KVM emulator-thread kind check for readers. */
  static isKvm(l: Layout, slot: number): boolean {
    return l.domKind[slot] === KIND_KVM;
  }
}
