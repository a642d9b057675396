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
// Data: the step (demand.ts, step.ts) runs over struct-of-arrays state (hot.ts), rebuilt with the layout when
// the set of running domains, their vCPUs, workloads, pinning or parameters change. What it needs
// of the domain records is cached per slot and re-read only when the world's version moved by
// someone else's hand; per-domain counters are synced from the arrays only when read or saved.

import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { findOs } from '../guest/oscatalog';
import { History } from './history';
import { allocSums, type Chunks, newChunks, place, startHost } from './kernel';
import { buildLayout, DomainCounters, HostCounters, KIND_KVM, type Layout } from './layout';
import { Hot, readDomains, sizeScratch, spill, writeRecord } from './hot';
import { hostOwnKiB } from './memory';
import { saveCounters } from './saved';
import { StepPool, type StepPoolStats } from './parallel';
import { stepSpan } from './step';
import * as shared from './shared';
import { SampleTable } from '../domains/samples';

const SAMPLE_MS = 1000;
const MAX_STEPS = 32;
/** Thread-steps one advance may cost before it is integrated in fewer, longer chunks. */
const STEP_BUDGET = 600_000;
const HISTORY_CHUNK_MS = 10_000;

export class Scheduler {
  private layout: Layout | null = null;
  private tuningVersion = 0;
  /** w.version when the cached record fields were last read (or last bumped by our own publish). */
  private seenVersion = -1;
  /** A sample was published that the domain records do not show yet (syncRecords). */
  private recordsStale = false;
  private counters = new Map<DomainRecord, DomainCounters>();
  private hostCounters: HostCounters[] = [];
  private hostState: unknown = null;
  history: History | null = null;
  private rows = new Map<DomainRecord, { id: number; r: ReturnType<History['alloc']> }>();
  private x = new Hot();
  private readonly pool: StepPool;
  /** placementOf's copies of one host's allocations and primaries (sized to the layout). */
  private pa = new Float64Array(0);
  private pp = new Int16Array(0);
  /** Virtual time of the last step that set the current figures. */
  lastStepAt = 0;
  /** The world came from saved state: its last sample is replayed when the layout is built. */
  private replayPending = false;
  /** Bumped after every published sample (fleetLoad caches on it). */
  sampleVersion = 0;
  /** w.shapeVersion at the last publish, the table of its figures, and uuid → layout slot. */
  private publishedShape = -1;
  private published: { sample: number; table: SampleTable } | null = null;
  private slotIndex: { layout: Layout; slot: Map<string, number> } | null = null;

  /** workers: compute worker threads (parallel.ts; default: as many as fit, for large worlds only). */
  constructor(
    private w: World,
    workers?: number,
  ) {
    this.pool = new StepPool(workers);
  }

  /** How the steps are shared out between threads. */
  parallelism(): StepPoolStats {
    return this.pool.stats();
  }

  // The last step's per-thread and per-slot figures (read by fleetLoad and the read models).
  get dem(): Float64Array {
    return this.x.dem;
  }
  get eff(): Float64Array {
    return this.x.eff;
  }
  get alloc(): Float64Array {
    return this.x.alloc;
  }
  get entCpu(): Int16Array {
    return this.x.entCpu;
  }
  get domAlloc(): Float64Array {
    return this.x.domAlloc;
  }
  get domSteal(): Float64Array {
    return this.x.domSteal;
  }
  get pcpuUtil(): Float64Array {
    return this.x.pcpuUtil;
  }

  /** Pinning or scheduler parameters changed: the layout must be rebuilt before the next step. */
  invalidate(): void {
    this.tuningVersion++;
  }

  /**
   * The world was read from saved state (adopt, loadState): forget everything derived from an
   * earlier one, and replay the saved world's last sample when its layout is built (replaySample).
   */
  restored(): void {
    this.replayPending = true;
    this.layout = null;
    this.recordsStale = false;
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
    const l = this.layout;
    if (l && l.state === w.s && l.orderVersion === w.orderVersion && l.tuningVersion === this.tuningVersion) {
      // Nobody but our own publish changed the world: the cached record fields still hold.
      if (w.version === this.seenVersion) return l;
      if (readDomains(l, this.x, w)) {
        this.seenVersion = w.version;
        return l;
      }
    }
    return this.rebuild();
  }

  private rebuild(): Layout {
    const w = this.w;
    const x = this.x;
    if (this.layout && this.layout.state === w.s) {
      this.syncAll();
      this.syncRecords();
    }
    const l = buildLayout(w, this.tuningVersion, (d, n, P) => this.countersFor(d, n, P));
    const keep = new Set(l.doms);
    for (const d of this.counters.keys()) if (!keep.has(d)) this.counters.delete(d);
    for (const [d, r] of this.rows) {
      if (!keep.has(d) || r.id !== d.id) {
        this.history!.release(r.r);
        this.rows.delete(d);
      }
    }
    for (const d of l.doms) {
      if (!this.rows.has(d)) this.rows.set(d, { id: d.id!, r: this.history!.alloc(Math.max(d.live!.vcpus, d.live!.maxVcpus)) });
    }
    const E = l.entDom.length;
    const D = l.doms.length;
    x.dem = shared.f64(E);
    x.eff = shared.f64(E);
    x.alloc = shared.f64(E);
    x.entCpu = shared.i16(E);
    x.accTime = shared.f64(E);
    x.accWait = shared.f64(E);
    x.accDelay = shared.f64(E);
    x.accMark = shared.f64(E);
    x.accCpu = shared.i16(E);
    x.accP2 = shared.f64(E);
    x.accCpu2 = shared.i16(E).fill(-1);
    this.pa = new Float64Array(E);
    this.pp = new Int16Array(E);
    // Sticky placement: a thread keeps the pCPU it had; a new one starts spread over its group.
    for (let e = 0; e < E; e++) {
      const d = l.entDom[e];
      const th = l.entThread[e];
      const c = l.counters[d];
      const prev = th >= 0 ? c.vcpu[th] : c.emuCpu;
      x.entCpu[e] = prev >= 0 ? prev : e % l.hostPcpus[l.domHost[d]];
      x.accCpu[e] = x.entCpu[e];
      if (th >= 0) {
        x.accTime[e] = c.vtime[th];
        x.accWait[e] = c.vwait[th];
        x.accDelay[e] = c.vdelay[th];
        x.dem[e] = c.lDem[th];
        x.alloc[e] = c.lBusy[th];
        x.eff[e] = c.lBusy[th] + c.lSteal[th];
      } else {
        x.accTime[e] = c.emuTime;
        x.alloc[e] = x.eff[e] = x.dem[e] = c.lEmu;
      }
      x.accMark[e] = x.accTime[e];
    }
    // cpu-stats rows move into flat arrays; each domain's counters keep views of its row.
    const PT = l.domPOff[D];
    x.pAll = shared.f64(PT);
    x.pVcpu = shared.f64(PT);
    for (let i = 0; i < D; i++) {
      const c = l.counters[i];
      const a = l.domPOff[i];
      const b = l.domPOff[i + 1];
      x.pAll.set(c.pAll.subarray(0, b - a), a);
      x.pVcpu.set(c.pVcpu.subarray(0, b - a), a);
      c.pAll = x.pAll.subarray(a, b);
      c.pVcpu = x.pVcpu.subarray(a, b);
    }
    x.domRow = shared.i32(D);
    x.domRowN = shared.i32(D);
    x.domDrow = shared.i32(D);
    x.domBaseMem = shared.f64(D);
    for (let i = 0; i < D; i++) {
      const r = this.rows.get(l.doms[i])!.r;
      x.domRow[i] = r.row;
      x.domRowN[i] = r.n;
      x.domDrow[i] = r.drow;
      x.domBaseMem[i] = findOs(l.doms[i].live!.os)?.baseMemoryKiB ?? 128 * 1024;
    }
    x.domAlloc = shared.f64(D);
    x.domSteal = shared.f64(D);
    x.domIo = shared.f64(D);
    x.domLvl = shared.f64(D);
    x.domWt = shared.f64(D);
    x.vJitter = shared.f64(l.vcpuEnt.length);
    x.domSum = shared.f64(D);
    x.domCpuTime = shared.f64(D);
    x.domPct = shared.f64(D);
    x.domMode = shared.u8(D);
    x.domBootedAt = shared.f64(D);
    x.domStartedAt = shared.f64(D);
    x.domStressUntil = shared.f64(D);
    x.domStressVcpus = shared.i32(D);
    x.domMemKiB = shared.f64(D);
    x.domFrozen = shared.u8(D);
    x.domMemUsed = shared.f64(D);
    for (let i = 0; i < D; i++) {
      const d = l.doms[i];
      x.domCpuTime[i] = d.cpuTimeNs;
      x.domPct[i] = d.cpuPercent;
      x.domMemUsed[i] = d.memoryUsedKiB;
    }
    sizeScratch(l, x);
    readDomains(l, x, w);
    this.seenVersion = w.version;
    this.layout = l;
    if (this.replayPending) {
      this.replayPending = false;
      this.replaySample(l);
    }
    return l;
  }

  /**
   * Saved state holds every thread's counters but not the last sample's figures (each thread's
   * demand, allocation and steal, each pCPU's use): a world read back would show idle vCPUs and
   * pCPUs until its clock moved, and a paused one for good. They are worked out again at the last
   * sample's instant, in a step of no length (nothing accumulates, nothing is published) that
   * places the threads on a copy of their pCPUs, so the world goes on exactly as the saved one.
   */
  private replaySample(l: Layout): void {
    const x = this.x;
    const s = this.w.s;
    const t = s.lastSampleAt;
    const at = s.lastDemandAt ?? t - SAMPLE_MS;
    const primaries = x.entCpu;
    x.entCpu = primaries.slice();
    const H = l.hostPcpus.length;
    const slot = this.history!.begin(t);
    stepSpan(l, x, this.history!, { t, at, spanNs: 0, slot, published: false }, { h0: 0, h1: H, d0: 0, d1: l.hostDomStart[H] });
    x.entCpu = primaries;
    this.lastStepAt = t;
  }

  private initHosts(): void {
    const s = this.w.s;
    const x = this.x;
    this.hostState = s;
    this.layout = null;
    this.counters.clear();
    this.rows.clear();
    let total = 0;
    for (const h of s.hosts) total += h.cpu.sockets * h.cpu.cores * h.cpu.threads;
    x.pcpuUtil = shared.f64(total);
    x.hostUser = shared.f64(total);
    x.hostSystem = shared.f64(total);
    x.hostIowait = shared.f64(total);
    x.hostIo = shared.f64(s.hosts.length);
    x.resident = shared.f64(s.hosts.length);
    x.hostPct = shared.f64(s.hosts.length);
    const guestTime = new Map<string, number>();
    for (const d of s.domains) if (d.live) guestTime.set(d.host, (guestTime.get(d.host) ?? 0) + d.cpuTimeNs);
    let base = 0;
    this.hostCounters = s.hosts.map((h) => {
      const P = h.cpu.sockets * h.cpu.cores * h.cpu.threads;
      const c = new HostCounters(x.hostUser.subarray(base, base + P), x.hostSystem.subarray(base, base + P), x.hostIowait.subarray(base, base + P));
      base += P;
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
  private step(t: number, at: number, spanMs: number, sampled: boolean, published: boolean): void {
    const l = this.layout!;
    const slot = sampled ? this.history!.begin(t) : -1;
    this.pool.run(l, this.x, this.history!, { t, at, spanNs: spanMs * 1e6, slot, published });
    this.lastStepAt = t;
    if (published) {
      const w = this.w;
      w.s.lastDemandAt = at;
      this.publishHosts();
      this.sampleVersion++;
      this.recordsStale = true;
      this.publishedShape = this.w.shapeVersion;
      this.syncConsoles(l);
      if (l.doms.length) {
        // Our own change of the records: the cached fields stay valid if they were before.
        const fresh = w.version === this.seenVersion;
        w.version++;
        if (fresh) this.seenVersion = w.version;
      }
    }
  }

  /** Every host's CPU% and resident memory into its record (its rev bumped only when they moved). */
  private publishHosts(): void {
    const { hostPct, resident } = this.x;
    const hosts = this.w.s.hosts;
    for (let h = 0; h < hosts.length; h++) {
      const host = hosts[h];
      const pct = hostPct[h];
      const res = Math.round(resident[h] + hostOwnKiB(host));
      if (pct !== host.cpuPercent || res !== host.memoryResidentKiB) {
        host.cpuPercent = pct;
        host.memoryResidentKiB = res;
        host.rev++;
      }
    }
  }

  /**
   * The last published figures (cpuTimeNs, cpuPercent, memoryUsedKiB) into the domain records. The
   * step does not touch 20,000 records a second: whatever reads them (listDomains, lookupDomain,
   * fleetLoad, the read models, toState) calls this first; it costs one pass after each sample.
   */
  syncRecords(): void {
    if (!this.recordsStale) return;
    this.recordsStale = false;
    const l = this.layout;
    if (!l || l.state !== this.w.s) return;
    const order = l.worldOrder;
    for (let k = 0; k < order.length; k++) writeRecord(l, this.x, order[k]);
  }

  /** One domain's record (layout slot i) made current, the others left for syncRecords. */
  syncRecord(i: number): void {
    if (this.recordsStale && this.layout && this.layout.state === this.w.s) writeRecord(this.layout, this.x, i);
  }

  /**
   * The last sample's figures as a table, straight from the step's arrays — while nothing but
   * samples changed the world since it was published (then every slot's domain still runs as it
   * did). Otherwise null: the records are the ones to read then.
   */
  publishedSamples(): SampleTable | null {
    const l = this.layout;
    if (!this.recordsStale || !l || l.state !== this.w.s || this.publishedShape !== this.w.shapeVersion) return null;
    if (this.published?.sample !== this.sampleVersion) {
      if (this.slotIndex?.layout !== l) this.slotIndex = { layout: l, slot: new Map(l.doms.map((d, i) => [d.uuid, i])) };
      const n = l.doms.length;
      const { domPct, domCpuTime, domMemUsed, domMemKiB } = this.x;
      // As writeRecord: a balloon shrink since the sample caps the memory in use.
      const mem = new Float64Array(n);
      for (let i = 0; i < n; i++) mem[i] = Math.min(domMemUsed[i], domMemKiB[i]);
      const table = new SampleTable(this.slotIndex.slot, domPct.slice(0, n), domCpuTime.slice(0, n), mem);
      this.published = { sample: this.sampleVersion, table };
    }
    return this.published.table;
  }

  /** Guests with a live console run shell commands that read their record (uptime, top): kept current. */
  private syncConsoles(l: Layout): void {
    const consoles = this.w.s.guest?.consoles;
    if (!consoles) return;
    for (const uuid in consoles) {
      const d = this.w.byUuid.get(uuid);
      const slot = d ? l.slotOf.get(d) : undefined;
      if (slot !== undefined) writeRecord(l, this.x, slot);
    }
  }

  /** Copies the live counters into the records (before toState): plain JSON, whole nanoseconds. */
  flush(): void {
    const l = this.layout;
    if (!l || l.state !== this.w.s) return;
    this.syncAll();
    this.syncRecords();
    saveCounters(l, this.w.s.hosts, this.hostCounters);
    for (const d of this.w.s.domains) if (d.live === null && d.compute) delete d.compute;
  }

  /** The live counters of a running domain (null when inactive). */
  countersOf(d: DomainRecord): { layout: Layout; slot: number; c: DomainCounters } | null {
    if (d.live === null) return null;
    const l = this.current();
    const slot = l.slotOf.get(d);
    if (slot === undefined) return null;
    this.syncRecords();
    this.syncDomain(l, slot);
    return { layout: l, slot, c: l.counters[slot] };
  }

  private syncEntity(l: Layout, e: number): void {
    const x = this.x;
    const c = l.counters[l.entDom[e]];
    const th = l.entThread[e];
    spill(l, x, e);
    if (th >= 0) {
      c.vtime[th] = x.accTime[e];
      c.vwait[th] = x.accWait[e];
      c.vdelay[th] = x.accDelay[e];
      c.vcpu[th] = x.entCpu[e];
      c.lDem[th] = x.dem[e];
      c.lBusy[th] = x.alloc[e];
      c.lSteal[th] = x.eff[e] - x.alloc[e];
    } else {
      c.emuTime = x.accTime[e];
      c.emuCpu = x.entCpu[e];
      c.lEmu = x.alloc[e];
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

  /**
   * Re-runs the last step's placement of one host: its chunks, and each host-local pCPU's user and
   * system time (for hostCpuMap and nodeCpuStats).
   */
  placementOf(h: number): { chunks: Chunks; user: Float64Array; system: Float64Array } {
    const l = this.current();
    const x = this.x;
    const rem = x.rem;
    const P = l.hostPcpus[h];
    const g0 = l.hostGroupStart[h];
    const g1 = l.hostGroupStart[h + 1];
    // A group makes at most one chunk per thread plus one per pCPU it wraps onto.
    const out = newChunks(l.hostEntStart[h + 1] - l.hostEntStart[h] + l.groupCpuStart[g1] - l.groupCpuStart[g0] + 8);
    startHost(rem, x.scratch, P);
    // Copies of this host's threads only: the last sample's allocations and primaries.
    const e0 = l.hostEntStart[h];
    const e1 = l.hostEntStart[h + 1];
    this.pa.set(x.alloc.subarray(e0, e1), e0);
    this.pp.set(x.entCpu.subarray(e0, e1), e0);
    for (let g = g0; g < g1; g++) {
      allocSums(l.groupEntStart[g], l.groupEntStart[g + 1], this.pa, x.scratch.sums);
      place(l.groupEntStart[g], l.groupEntStart[g + 1], this.pa, l.groupCpus, l.groupCpuStart[g], l.groupCpuStart[g + 1], rem, this.pp, l.entUser, out, x.scratch);
    }
    return { chunks: out, user: x.scratch.user.slice(0, P), system: x.scratch.system.slice(0, P) };
  }

  /** KVM emulator-thread kind check for readers. */
  static isKvm(l: Layout, slot: number): boolean {
    return l.domKind[slot] === KIND_KVM;
  }
}
