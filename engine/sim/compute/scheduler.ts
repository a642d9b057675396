// The host CPU scheduler over virtual time. Every running domain's threads (vCPUs, a KVM guest's
// emulator thread, Domain-0's vCPUs on Xen) share their host's pCPUs by demand: weighted max-min
// per pinning group (kernel.ts), KVM weights from cpu_shares and caps from the CFS quotas, Xen
// weights and caps from the credit scheduler. What a thread wanted but did not get is steal.
//
// Time: the scheduling quantum is 100 ms, but workloads change their demand once per virtual
// second and the sharing rule has no memory, so the ten ticks of a second share identically —
// one evaluation per second stands for them exactly. An advance of more seconds than the step
// budget (MAX_STEPS, fewer in a world of more than STEP_BUDGET / MAX_STEPS threads) is integrated
// in that many equal chunks, each evaluated at its midpoint: deterministic (the chunking depends
// only on the span and the world's size), and 30 days at 20,000 domains stays cheap. Chunks of up
// to HISTORY_CHUNK_MS are history samples too (a fast clock gets a coarser history); a longer jump
// restarts the history window.
//
// Hot-loop data lives in flat per-thread typed arrays (demand, allocation, cumulative times, time
// since the thread last changed pCPU); per-domain counters are synced from them only when read,
// saved, or before the layout is rebuilt.

import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { History } from './history';
import { type Chunks, newChunks, newPlaceScratch, place, type PlaceScratch, waterfill } from './kernel';
import { buildLayout, DomainCounters, HostCounters, KIND_DOM0, KIND_KVM, type Layout, layoutValid } from './layout';
import { guestMemoryUsed, hostOwnKiB } from './memory';
import { demandLevel, ioIntensity, vcpuDemand } from './workload';
import { findOs } from '../guest/oscatalog';

const SAMPLE_MS = 1000;
const MAX_STEPS = 32;
/** Thread-steps one advance may cost before it is integrated in fewer, longer chunks. */
const STEP_BUDGET = 600_000;
const HISTORY_CHUNK_MS = 10_000;
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
  /** History rows per domain slot of the current layout (row, vCPU rows, domain row). */
  private domRow = new Int32Array(0);
  private domRowN = new Int32Array(0);
  private domDrow = new Int32Array(0);
  /** Cumulative per-thread times (the truth while the layout lives; synced into DomainCounters). */
  private accTime = new Float64Array(0);
  private accWait = new Float64Array(0);
  private accDelay = new Float64Array(0);
  /** Time run since the thread last changed pCPU, and that pCPU (spilled into cpu-stats on change). */
  private accP = new Float64Array(0);
  private accCpu = new Int16Array(0);
  /** Guest OS memory baseline per domain slot (KiB). */
  private domBaseMem = new Float64Array(0);
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
    if (this.layout && this.layout.state === w.s) this.syncAll();
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
    this.dem = new Float64Array(E);
    this.eff = new Float64Array(E);
    this.alloc = new Float64Array(E);
    this.wt = new Float64Array(E);
    this.entCpu = new Int16Array(E);
    this.accTime = new Float64Array(E);
    this.accWait = new Float64Array(E);
    this.accDelay = new Float64Array(E);
    this.accP = new Float64Array(E);
    this.accCpu = new Int16Array(E);
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
      this.accCpu[e] = this.entCpu[e];
      if (th >= 0) {
        this.accTime[e] = c.vtime[th];
        this.accWait[e] = c.vwait[th];
        this.accDelay[e] = c.vdelay[th];
        this.dem[e] = c.lDem[th];
        this.alloc[e] = c.lBusy[th];
        this.eff[e] = c.lBusy[th] + c.lSteal[th];
      } else {
        this.accTime[e] = c.emuTime;
        this.alloc[e] = this.eff[e] = this.dem[e] = c.lEmu;
      }
    }
    this.domRow = new Int32Array(D);
    this.domRowN = new Int32Array(D);
    this.domDrow = new Int32Array(D);
    this.domBaseMem = new Float64Array(D);
    for (let i = 0; i < D; i++) {
      const r = this.rows.get(l.doms[i])!.r;
      this.domRow[i] = r.row;
      this.domRowN[i] = r.n;
      this.domDrow[i] = r.drow;
      this.domBaseMem[i] = findOs(l.doms[i].live!.os)?.baseMemoryKiB ?? 128 * 1024;
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
    const guestTime = new Map<string, number>();
    for (const d of s.domains) if (d.live) guestTime.set(d.host, (guestTime.get(d.host) ?? 0) + d.cpuTimeNs);
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
        const guests = guestTime.get(h.name) ?? 0;
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
    const l = this.current();
    const maxSteps = Math.max(2, Math.min(MAX_STEPS, Math.floor(STEP_BUDGET / Math.max(1, l.entDom.length))));
    if (seconds <= maxSteps) {
      for (let t = s.lastSampleAt + SAMPLE_MS; t <= lastBoundary; t += SAMPLE_MS) this.step(t, t - SAMPLE_MS, SAMPLE_MS, true, t === lastBoundary);
    } else {
      const chunk = Math.ceil(seconds / maxSteps) * SAMPLE_MS;
      const sampled = chunk <= HISTORY_CHUNK_MS;
      for (let t = s.lastSampleAt; t < lastBoundary; t += chunk) {
        const end = Math.min(lastBoundary, t + chunk);
        this.step(end, Math.floor((t + end) / 2 / SAMPLE_MS) * SAMPLE_MS, end - t, sampled, sampled && end === lastBoundary);
      }
      if (!sampled) {
        // The window of recent samples ends here: the jump was not sampled at that resolution.
        this.history!.clear();
        this.step(lastBoundary, lastBoundary, 0, true, true);
      }
    }
    s.lastSampleAt = lastBoundary;
  }

  /** Sets the displayed statistics at time t without accumulating time (world creation). */
  sampleNow(t: number): void {
    this.current();
    this.step(t, t, 0, true, true);
    this.w.s.lastSampleAt = Math.floor(t / SAMPLE_MS) * SAMPLE_MS;
  }

  /** One evaluation at `at` standing for spanMs, sampled (history, figures) as time `t`. */
  private step(t: number, at: number, spanMs: number, record: boolean, publish: boolean): void {
    const l = this.layout!;
    this.demands(l, at);
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
        if (l.entThread[e] >= 0 && l.domKind[l.entDom[e]] !== KIND_DOM0) hc.user[p] += x;
        else hc.system[p] += x;
      }
      // Idle time spent waiting on the guests' disks shows as iowait.
      const ioShare = Math.min(0.3, this.hostIo[h] * 0.01);
      for (let p = 0; p < P; p++) hc.iowait[p] += Math.round(rem[p] * ioShare * spanNs);
    }
    const E = l.entDom.length;
    const domAlloc = this.domAlloc;
    const domSteal = this.domSteal;
    const { accTime, accWait, accDelay, accP, accCpu, dem } = this;
    domAlloc.fill(0);
    domSteal.fill(0);
    for (let e = 0; e < E; e++) {
      const d = l.entDom[e];
      const a = alloc[e];
      domAlloc[d] += a;
      if (l.entThread[e] >= 0) domSteal[d] += eff[e] - a;
      if (spanNs <= 0) continue;
      const x = Math.round(a * spanNs);
      accTime[e] += x;
      accWait[e] += Math.round((dem[e] - a) * spanNs);
      accDelay[e] += Math.round((eff[e] - a) * spanNs);
      if (entCpu[e] !== accCpu[e]) this.spill(l, e);
      accP[e] += x;
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
    const slot = hist.begin(t);
    const util = this.pcpuUtil;
    const pbase = slot * hist.pcpus;
    for (let p = 0; p < util.length; p++) hist.pcpu[pbase + p] = History.pct8(util[p]);
    const { alloc, eff } = this;
    const busy = hist.busy;
    const steal = hist.steal;
    const base = slot * hist.R;
    const dbase = slot * hist.RD;
    for (let i = 0; i < l.doms.length; i++) {
      const row = base + this.domRow[i];
      const n = this.domRowN[i];
      const nV = l.domVcpus[i];
      const off = l.domVcpuOff[i];
      for (let v = 0; v < n; v++) {
        if (v < nV) {
          const e = l.vcpuEnt[off + v];
          busy[row + v] = History.pct8(alloc[e]);
          steal[row + v] = History.pct8(eff[e] - alloc[e]);
        } else {
          busy[row + v] = 255;
          steal[row + v] = 255;
        }
      }
      hist.dom[dbase + this.domDrow[i]] = History.pct16(this.domAlloc[i] * 100);
    }
  }

  private publish(l: Layout, t: number): void {
    const w = this.w;
    const hosts = w.s.hosts;
    const resident = new Float64Array(hosts.length);
    for (let i = 0; i < l.doms.length; i++) {
      const d = l.doms[i];
      d.cpuPercent = Math.round(this.domAlloc[i] * 1000) / 10;
      d.memoryUsedKiB = guestMemoryUsed(d, t, l.domSeed[i], this.domBaseMem[i]);
      resident[l.domHost[i]] += d.memoryUsedKiB;
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
    this.syncAll();
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
    this.syncDomain(l, slot);
    return { layout: l, slot, c: l.counters[slot] };
  }

  /** Moves a thread's time on its previous pCPU into its domain's cpu-stats counters. */
  private spill(l: Layout, e: number): void {
    const x = this.accP[e];
    const c = l.counters[l.entDom[e]];
    const p = this.accCpu[e];
    if (x > 0 && p >= 0 && p < c.pAll.length) {
      c.pAll[p] += x;
      if (l.entThread[e] >= 0) c.pVcpu[p] += x;
    }
    this.accP[e] = 0;
    this.accCpu[e] = this.entCpu[e];
  }

  private syncEntity(l: Layout, e: number): void {
    const c = l.counters[l.entDom[e]];
    const th = l.entThread[e];
    this.spill(l, e);
    if (th >= 0) {
      c.vtime[th] = this.accTime[e];
      c.vwait[th] = this.accWait[e];
      c.vdelay[th] = this.accDelay[e];
      c.vcpu[th] = this.entCpu[e];
      c.lDem[th] = this.dem[e];
      c.lBusy[th] = this.alloc[e];
      c.lSteal[th] = this.eff[e] - this.alloc[e];
    } else {
      c.emuTime = this.accTime[e];
      c.emuCpu = this.entCpu[e];
      c.lEmu = this.alloc[e];
    }
  }

  /** Brings one domain's counters up to date with the per-thread arrays. */
  syncDomain(l: Layout, slot: number): void {
    const nV = l.domVcpus[slot];
    const off = l.domVcpuOff[slot];
    for (let v = 0; v < nV; v++) this.syncEntity(l, l.vcpuEnt[off + v]);
    if (l.domEmuEnt[slot] >= 0) this.syncEntity(l, l.domEmuEnt[slot]);
  }

  syncAll(): void {
    const l = this.layout;
    if (!l) return;
    for (let e = 0; e < l.entDom.length; e++) this.syncEntity(l, e);
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
    // The last sample's allocations (kept across a layout rebuild through the counters).
    const a = Float64Array.from(this.alloc);
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
