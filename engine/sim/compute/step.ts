// One scheduling step over the struct-of-arrays state (Hot): demands, weights, sharing and
// placement, the cumulative counters, the history slot and the published figures. This is the
// hot loop of the simulation (100,000 vCPUs every simulated second): typed arrays only, no
// allocation, no Map lookups, no closures, and no reads or writes of the domain records: what it
// needs of them (run state, boot and stress times, memory) is cached per domain by readDomains()
// and only re-read when the world changed; what it publishes stays in the slot arrays until
// something reads the records (Scheduler.syncRecords).

import type { World } from '../world/world';
import { History } from './history';
import { type Chunks, newChunks, newPlaceScratch, place, type PlaceScratch, round, waterfill } from './kernel';
import { KIND_DOM0, type Layout } from './layout';
import { hostOwnKiB } from './memory';
import { ioOf, TickLoad, vcpuLoad } from './tickload';

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

/** Run modes of a domain, from its record (state, rebooting). */
export const MODE_RUN = 0;
/** Going down (shutdown, or the shutdown half of a reboot). */
export const MODE_DOWN = 1;
export const MODE_PAUSED = 2;
/** Active but not running (crashed, pmsuspended): no demand, no emulator. */
export const MODE_STOPPED = 3;

const F64 = new Float64Array(0);

/** The scheduler's arrays. Per-host/pCPU arrays live as long as the world; the rest as long as a layout. */
export class Hot {
  // ── per global pCPU and per host (initHosts) ──
  pcpuUtil = F64;
  hostUser = F64;
  hostSystem = F64;
  hostIowait = F64;
  hostIo = F64;
  resident = F64;
  // ── per entity (thread) ──
  dem = F64;
  eff = F64;
  alloc = F64;
  wt = F64;
  /** Primary pCPU (host-local) in the last step. */
  entCpu = new Int16Array(0);
  /** Cumulative times: the truth while the layout lives (synced into DomainCounters on demand). */
  accTime = F64;
  accWait = F64;
  accDelay = F64;
  /**
   * cpu-stats time not yet added to pAll: the run on the thread's current pCPU (accCpu, accP) and on
   * the one before (accCpu2, accP2, or -1). Two thirds of the moves go back to the pCPU before
   * (a thread straddling two pCPUs): those swap the pair instead of adding into the large, cold
   * per-domain rows. Whole nanoseconds, so the rows get the same totals in another grouping.
   */
  accP = F64;
  accCpu = new Int16Array(0);
  accP2 = F64;
  accCpu2 = new Int16Array(0);
  // ── per domain slot ──
  domAlloc = F64;
  domSteal = F64;
  domIo = F64;
  /** The workload's domain-wide level in this step. */
  domLvl = F64;
  /** Σ capped demand of a Domain-0's threads in this step (before its domain-wide cap). */
  domSum = F64;
  /** cpuTimeNs: the truth while the layout lives, written to the records when published. */
  domCpuTime = F64;
  /** cpuPercent and memory in use at the last published sample (the records get them when read). */
  domPct = F64;
  domBaseMem = F64;
  // Cached from the records by readDomains():
  domMode = new Uint8Array(0);
  /** bootedAt, or -Infinity; startedAt, or NaN. */
  domBootedAt = F64;
  domStartedAt = F64;
  /** The guest's stress override: until (or -Infinity) and how many vCPUs. */
  domStressUntil = F64;
  domStressVcpus = new Int32Array(0);
  domMemKiB = F64;
  /** Paused or crashed: the memory in use stays what it was. */
  domFrozen = new Uint8Array(0);
  domMemUsed = F64;
  /** History rows of each domain slot (first vCPU row, rows held, domain row). */
  domRow = new Int32Array(0);
  domRowN = new Int32Array(0);
  domDrow = new Int32Array(0);
  /** cpu-stats per domain and host pCPU (all threads, vCPU threads), at layout.domPOff[slot]. */
  pAll = F64;
  pVcpu = F64;
  // ── scratch ──
  /** The current step's length (ns), for the per-host passes. */
  spanNs = 0;
  idx = new Int32Array(0);
  rem = F64;
  chunks: Chunks = newChunks(0);
  scratch: PlaceScratch = newPlaceScratch(0, 0);
  readonly tl = new TickLoad();
}

/** Reads what the hot loop needs of every domain record. False when the layout no longer fits the world. */
export function readDomains(l: Layout, x: Hot, w: World): boolean {
  const hosts = w.s.hosts;
  const doms = l.doms;
  for (let i = 0; i < doms.length; i++) {
    const d = doms[i];
    const live = d.live;
    if (live === null || live.vcpus !== l.domVcpus[i] || live.workload !== l.domProfile[i] || d.host !== hosts[l.domHost[i]].name) return false;
    const st = d.state;
    x.domMode[i] =
      st === 'in shutdown' || (st === 'running' && d.rebooting) ? MODE_DOWN : st === 'running' ? MODE_RUN : st === 'paused' ? MODE_PAUSED : MODE_STOPPED;
    x.domBootedAt[i] = d.bootedAt ?? -Infinity;
    x.domStartedAt[i] = d.startedAt ?? NaN;
    const lo = d.loadOverride;
    x.domStressUntil[i] = lo ? lo.until : -Infinity;
    x.domStressVcpus[i] = lo ? lo.vcpus : 0;
    x.domMemKiB[i] = live.memoryKiB;
    x.domFrozen[i] = st === 'paused' || st === 'crashed' ? 1 : 0;
  }
  return true;
}

/**
 * Demand (dem), capped demand (eff) and weight (wt) of every entity at t. Split in passes that each
 * loop over all domains, so every helper they call is inlined (a double passed to or returned from a
 * call that is not inlined is boxed: 100,000 allocations a tick).
 */
export function demands(l: Layout, x: Hot, t: number): void {
  const tl = x.tl.at(t);
  x.hostIo.fill(0);
  levels(l, x, tl);
  guestDemands(l, x, tl, t);
  dom0Demands(l, x, tl);
  weights(l, x, l.dom0Slots);
}

/** The domain-wide level of every running guest's workload (its own pass: TickLoad.level is inlined here). */
function levels(l: Layout, x: Hot, tl: TickLoad): void {
  const { domLvl, domMode } = x;
  const { domKind, domSeed, domProfileCode } = l;
  for (let i = 0; i < domKind.length; i++) {
    domLvl[i] = domKind[i] !== KIND_DOM0 && domMode[i] === MODE_RUN ? tl.level(domProfileCode[i], domSeed[i]) : 0;
  }
}

function guestDemands(l: Layout, x: Hot, tl: TickLoad, t: number): void {
  const { dem, eff, wt, hostIo, domMode, domBootedAt, domStressUntil, domStressVcpus, domIo, domLvl } = x;
  const { domKind, domVcpus, domVcpuOff, domSeed, domProfileCode, vcpuEnt, domEmuEnt, entCap, domHost, domCap, domWeight } = l;
  const D = domKind.length;
  for (let i = 0; i < D; i++) {
    if (domKind[i] === KIND_DOM0) continue;
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    const mode = domMode[i];
    let flat = -1; // a flat per-vCPU demand, or -1 for the workload's own
    let io = 0;
    let emu = EMU_BASE;
    if (mode === MODE_DOWN) {
      flat = SHUTDOWN_DEMAND;
      io = 0.3;
    } else if (mode !== MODE_RUN) {
      flat = 0;
      emu = mode === MODE_PAUSED ? EMU_PAUSED : 0;
    } else if (t < domBootedAt[i]) {
      flat = BOOT_DEMAND;
      io = 0.5;
    }
    let sum = 0;
    let active = 0;
    if (flat >= 0) {
      for (let v = 0; v < nV; v++) {
        const e = vcpuEnt[off + v];
        const c = entCap[e];
        const f = flat < c ? flat : c;
        dem[e] = flat;
        eff[e] = f;
        sum += f;
        if (f > ACTIVE) active++;
      }
    } else {
      const code = domProfileCode[i];
      const seed = domSeed[i];
      const lvl = domLvl[i];
      io = ioOf(code, lvl);
      // The guest shell's `stress --cpu N` keeps N vCPUs fully busy until it ends.
      const stress = domStressUntil[i] > t ? domStressVcpus[i] : 0;
      for (let v = 0; v < nV; v++) {
        const e = vcpuEnt[off + v];
        const d = v < stress ? 1 : vcpuLoad(code, lvl, tl.jitter(seed, v), v);
        const c = entCap[e];
        const f = d < c ? d : c;
        dem[e] = d;
        eff[e] = f;
        sum += f;
        if (f > ACTIVE) active++;
      }
    }
    const em = domEmuEnt[i];
    if (em >= 0) {
      const d = Math.min(1, emu + EMU_IO * io);
      const c = entCap[em];
      dem[em] = d;
      sum += eff[em] = d < c ? d : c;
    }
    domIo[i] = io;
    hostIo[domHost[i]] += io;
    // The domain-wide cap (global quota / Xen cap), then the weight split over its busy vCPUs.
    const cap = domCap[i];
    if (sum > cap) {
      const k = cap / sum;
      active = 0;
      for (let v = 0; v < nV; v++) {
        const e = vcpuEnt[off + v];
        const f = (eff[e] *= k);
        if (f > ACTIVE) active++;
      }
      if (em >= 0) eff[em] *= k;
    }
    const w = domWeight[i] / (active > 0 ? active : 1);
    for (let v = 0; v < nV; v++) wt[vcpuEnt[off + v]] = w;
    if (em >= 0) wt[em] = w;
  }
}

/** Domain-0's vCPUs: housekeeping plus the backends of its guests' I/O (so after every guest). */
function dom0Demands(l: Layout, x: Hot, tl: TickLoad): void {
  const { dem, eff, hostIo, domSum } = x;
  const { domVcpus, domVcpuOff, domSeed, vcpuEnt, entCap, domHost } = l;
  const dom0 = l.dom0Slots;
  for (let k = 0; k < dom0.length; k++) {
    const i = dom0[k];
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    const seed = domSeed[i];
    const backends = (hostIo[domHost[i]] * DOM0_IO) / nV;
    let sum = 0;
    for (let v = 0; v < nV; v++) {
      const e = vcpuEnt[off + v];
      const d = Math.min(1, DOM0_BASE + (0.005 + 0.03 * tl.jitter(seed, v)) + backends);
      const c = entCap[e];
      dem[e] = d;
      sum += eff[e] = d < c ? d : c;
    }
    domSum[i] = sum;
  }
}

/** Domain-wide caps and weights of the given slots (Domain-0s: their demand needs every guest's first). */
function weights(l: Layout, x: Hot, slots: number[]): void {
  const { eff, wt, domSum } = x;
  const { vcpuEnt, domVcpus, domVcpuOff, domEmuEnt, domCap, domWeight } = l;
  for (let k = 0; k < slots.length; k++) {
    const i = slots[k];
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    const em = domEmuEnt[i];
    const cap = domCap[i];
    const sum = domSum[i];
    if (sum > cap) {
      const f = cap / sum;
      for (let v = 0; v < nV; v++) eff[vcpuEnt[off + v]] *= f;
      if (em >= 0) eff[em] *= f;
    }
    let active = 0;
    for (let v = 0; v < nV; v++) if (eff[vcpuEnt[off + v]] > ACTIVE) active++;
    const w = domWeight[i] / (active > 0 ? active : 1);
    for (let v = 0; v < nV; v++) wt[vcpuEnt[off + v]] = w;
    if (em >= 0) wt[em] = w;
  }
}

/**
 * Shares every host's pCPUs among its threads and accumulates the counters over spanNs. A host's
 * threads are contiguous, so its sharing, placement and accounting run while its data is in cache;
 * each host is a call of its own (optimised on entry, no on-stack replacement of one giant loop).
 */
export function share(l: Layout, x: Hot, spanNs: number): void {
  x.domAlloc.fill(0);
  x.domSteal.fill(0);
  x.spanNs = spanNs;
  const H = l.hostPcpus.length;
  for (let h = 0; h < H; h++) {
    shareHost(l, x, h);
    if (spanNs > 0) accountHost(l, x, h);
    else sumHost(l, x, h);
  }
  if (spanNs > 0) {
    const { domCpuTime, domAlloc } = x;
    for (let i = 0; i < domCpuTime.length; i++) domCpuTime[i] = round(domCpuTime[i] + domAlloc[i] * spanNs);
  }
}

/** Weighted max-min sharing and placement of one host's pinning groups; sets its pCPUs' utilisation. */
function shareHost(l: Layout, x: Hot, h: number): void {
  const { eff, wt, alloc, idx, rem, chunks, entCpu, scratch, pcpuUtil } = x;
  const { hostPcpus, hostGroupStart, groupEntStart, groupCpuStart, groupCpus } = l;
  const P = hostPcpus[h];
  for (let p = 0; p < P; p++) rem[p] = 1;
  chunks.n = 0;
  for (let g = hostGroupStart[h]; g < hostGroupStart[h + 1]; g++) {
    const first = groupEntStart[g];
    const last = groupEntStart[g + 1];
    const c0 = groupCpuStart[g];
    const c1 = groupCpuStart[g + 1];
    let cap = 0;
    for (let j = c0; j < c1; j++) cap += rem[groupCpus[j]];
    waterfill(first, last, cap, eff, wt, alloc, idx);
    place(first, last, alloc, groupCpus, c0, c1, rem, entCpu, chunks, scratch);
  }
  const base = l.pcpuBase[h];
  for (let p = 0; p < P; p++) pcpuUtil[base + p] = 1 - rem[p];
}

/** A zero-length step (a sample without time passing): only the per-domain figures. */
function sumHost(l: Layout, x: Hot, h: number): void {
  const { alloc, eff, domAlloc, domSteal } = x;
  const { entDom, entThread } = l;
  for (let e = l.hostEntStart[h]; e < l.hostEntStart[h + 1]; e++) {
    const d = entDom[e];
    const a = alloc[e];
    domAlloc[d] += a;
    if (entThread[e] >= 0) domSteal[d] += eff[e] - a;
  }
}

/** One host's counters over the step: pCPU user/system/iowait, per-thread time, wait, steal, cpu-stats. */
function accountHost(l: Layout, x: Hot, h: number): void {
  const { alloc, eff, dem, rem, chunks, entCpu, hostUser, hostSystem, hostIowait, hostIo, spanNs } = x;
  const { accTime, accWait, accDelay, accP, accCpu, accP2, accCpu2, domAlloc, domSteal, pAll, pVcpu } = x;
  const { entDom, entThread, entUser, domPOff } = l;
  const base = l.pcpuBase[h];
  const n = chunks.n;
  const cEnt = chunks.ent;
  const cCpu = chunks.cpu;
  const cAmt = chunks.amt;
  // Consecutive chunks mostly share a pCPU: its sums are carried in registers meanwhile (the
  // same additions in the same order, without a store-to-load round trip each).
  let cp = -1;
  let user = 0;
  let system = 0;
  for (let i = 0; i < n; i++) {
    const p = base + cCpu[i];
    if (p !== cp) {
      if (cp >= 0) {
        hostUser[cp] = user;
        hostSystem[cp] = system;
      }
      cp = p;
      user = hostUser[p];
      system = hostSystem[p];
    }
    // Whole nanoseconds everywhere: a saved and reloaded world continues exactly.
    const v = round(cAmt[i] * spanNs);
    if (entUser[cEnt[i]]) user += v;
    else system += v;
  }
  if (cp >= 0) {
    hostUser[cp] = user;
    hostSystem[cp] = system;
  }
  // Idle time spent waiting on the guests' disks shows as iowait.
  const ioShare = Math.min(0.3, hostIo[h] * 0.01);
  const P = l.hostPcpus[h];
  for (let p = 0; p < P; p++) hostIowait[base + p] += round(rem[p] * ioShare * spanNs);
  let cd = -1;
  let dAlloc = 0;
  let dSteal = 0;
  for (let e = l.hostEntStart[h]; e < l.hostEntStart[h + 1]; e++) {
    const d = entDom[e];
    if (d !== cd) {
      if (cd >= 0) {
        domAlloc[cd] = dAlloc;
        domSteal[cd] = dSteal;
      }
      cd = d;
      dAlloc = domAlloc[d];
      dSteal = domSteal[d];
    }
    const a = alloc[e];
    dAlloc += a;
    const th = entThread[e];
    if (th >= 0) dSteal += eff[e] - a;
    const v = round(a * spanNs);
    accTime[e] += v;
    // A thread that got all it wanted (most of them) waited 0 ns: adding round(0) changes nothing.
    const dm = dem[e];
    if (dm !== a) accWait[e] += round((dm - a) * spanNs);
    const f = eff[e];
    if (f !== a) accDelay[e] += round((f - a) * spanNs);
    const cpu = entCpu[e];
    if (cpu !== accCpu[e]) {
      const back = accCpu2[e] === cpu;
      if (!back) {
        // A third pCPU: the run on the pCPU before last goes to its domain's cpu-stats.
        const run = accP2[e];
        const p = accCpu2[e];
        const row = domPOff[d];
        if (run > 0 && p >= 0 && p < domPOff[d + 1] - row) {
          pAll[row + p] += run;
          if (th >= 0) pVcpu[row + p] += run;
        }
      }
      const keep = back ? accP2[e] : 0;
      accP2[e] = accP[e];
      accCpu2[e] = accCpu[e];
      accP[e] = keep;
      accCpu[e] = cpu;
    }
    accP[e] += v;
  }
  if (cd >= 0) {
    domAlloc[cd] = dAlloc;
    domSteal[cd] = dSteal;
  }
}

/** Moves one thread's pending runs (current and previous pCPU) into its domain's cpu-stats (before a read). */
export function spill(l: Layout, x: Hot, e: number): void {
  const d = l.entDom[e];
  const row = l.domPOff[d];
  const P = l.domPOff[d + 1] - row;
  const vcpu = l.entThread[e] >= 0;
  const p2 = x.accCpu2[e];
  const r2 = x.accP2[e];
  if (r2 > 0 && p2 >= 0 && p2 < P) {
    x.pAll[row + p2] += r2;
    if (vcpu) x.pVcpu[row + p2] += r2;
  }
  const p = x.accCpu[e];
  const r = x.accP[e];
  if (r > 0 && p >= 0 && p < P) {
    x.pAll[row + p] += r;
    if (vcpu) x.pVcpu[row + p] += r;
  }
  x.accP[e] = 0;
  x.accCpu[e] = x.entCpu[e];
  x.accP2[e] = 0;
  x.accCpu2[e] = -1;
}

/** Writes the step's per-vCPU busy/steal, per-domain CPU% and per-pCPU utilisation as sample t. */
export function record(l: Layout, x: Hot, hist: History, t: number): void {
  const slot = hist.begin(t);
  const { pcpuUtil, alloc, eff, domRow, domRowN, domDrow, domAlloc } = x;
  const { domVcpus, domVcpuOff, vcpuEnt } = l;
  const hp = hist.pcpu;
  const pbase = slot * hist.pcpus;
  for (let p = 0; p < pcpuUtil.length; p++) hp[pbase + p] = pct8(pcpuUtil[p]);
  const busy = hist.busy;
  const steal = hist.steal;
  const dom = hist.dom;
  const base = slot * hist.R;
  const dbase = slot * hist.RD;
  const D = domVcpus.length;
  for (let i = 0; i < D; i++) {
    const row = base + domRow[i];
    const n = domRowN[i];
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    for (let v = 0; v < nV; v++) {
      const e = vcpuEnt[off + v];
      const a = alloc[e];
      const f = eff[e];
      busy[row + v] = pct8(a);
      // Most vCPUs got all they could use: no steal, and no rounding to find that out.
      steal[row + v] = f === a ? 0 : pct8(f - a);
    }
    // Rows kept for hot-pluggable vCPUs that are offline hold no sample.
    for (let v = nV; v < n; v++) busy[row + v] = steal[row + v] = 255;
    const pct = round(domAlloc[i] * 100 * 10);
    dom[dbase + domDrow[i]] = pct < 0 ? 0 : pct > 65534 ? 65534 : pct;
  }
}

/** History.pct8, inlined by hand (a fraction in 0.5 % steps, clamped to 0..200). */
function pct8(fraction: number): number {
  const v = round(fraction * 200);
  return v < 0 ? 0 : v > 200 ? 200 : v;
}

/**
 * The figures of sample t: every running domain's cpuPercent and memory in use into the slot arrays
 * (Scheduler.syncRecords copies them into the records when something reads them), every host's CPU%
 * and resident memory into its record (its rev bumped only when they moved).
 */
export function publish(l: Layout, x: Hot, w: World, t: number): void {
  const { resident, domAlloc, domPct, domMemUsed, domMemKiB, domFrozen, domBootedAt, domStartedAt, domBaseMem, pcpuUtil } = x;
  const { domHost, domKind, domSeed, domProfileCode } = l;
  const tl = x.tl.at(t);
  resident.fill(0);
  // Slot order is world order within each host: every host's sum adds up in the same order as ever.
  for (let i = 0; i < domHost.length; i++) {
    const mem = domMemKiB[i];
    let used: number;
    // The same rules as memory.ts guestMemoryUsed, over the cached fields.
    if (domKind[i] === KIND_DOM0) used = Math.round(mem * 0.55);
    else if (domFrozen[i] && domMemUsed[i] > 0) used = Math.min(domMemUsed[i], mem);
    else if (t < domBootedAt[i] && domStartedAt[i] === domStartedAt[i]) {
      const progress = (t - domStartedAt[i]) / Math.max(1, domBootedAt[i] - domStartedAt[i]);
      used = Math.min(mem, Math.round(domBaseMem[i] * Math.max(0.1, progress)));
    } else used = tl.memoryUsed(domProfileCode[i], domSeed[i], mem, domBaseMem[i]);
    domMemUsed[i] = used;
    domPct[i] = Math.round(domAlloc[i] * 1000) / 10;
    resident[domHost[i]] += used;
  }
  const hosts = w.s.hosts;
  const { hostPcpus, pcpuBase } = l;
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h];
    const P = hostPcpus[h];
    const base = pcpuBase[h];
    let busy = 0;
    for (let p = 0; p < P; p++) busy += pcpuUtil[base + p];
    const pct = Math.round((busy / P) * 1000) / 10;
    const res = Math.round(resident[h] + hostOwnKiB(host));
    if (pct !== host.cpuPercent || res !== host.memoryResidentKiB) {
      host.cpuPercent = pct;
      host.memoryResidentKiB = res;
      host.rev++;
    }
  }
}

/** The last published figures of slot i into its record, if the record still holds that run. */
export function writeRecord(l: Layout, x: Hot, i: number): void {
  const d = l.doms[i];
  const live = d.live;
  // A domain stopped or restarted since has figures of its own (runstate zeroed them).
  if (live === null || d.id !== l.counters[i].id) return;
  d.cpuTimeNs = x.domCpuTime[i];
  d.cpuPercent = x.domPct[i];
  // setMemory may have shrunk the guest since (it clamps the record's figure likewise).
  d.memoryUsedKiB = Math.min(x.domMemUsed[i], live.memoryKiB);
}

/** Scratch sized for the layout's largest host and group. */
export function sizeScratch(l: Layout, x: Hot): void {
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
  x.idx = new Int32Array(maxEnts);
  x.rem = new Float64Array(maxP);
  x.chunks = newChunks(maxEnts + maxGroupCpus + 8);
  x.scratch = newPlaceScratch(maxP, maxEnts);
}
