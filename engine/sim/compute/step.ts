// A step over the struct-of-arrays state (hot.ts): demand (demand.ts), sharing and placement, the
// cumulative counters, the history slot and the published figures. This is the hot loop of the
// simulation (100,000 vCPUs every simulated second): typed arrays only, no allocation, no Map
// lookups, no closures, and no reads or writes of the domain records (hot.ts caches what is needed
// of them; what is published waits in the slot arrays until something reads the records).
// It works on a span of hosts (their domain slots, threads, pCPUs and history rows are contiguous,
// layout.ts): hosts are independent within a step, so the spans of one step may run on different
// threads (parallel.ts) with the same result, bit for bit, as one thread's.

import type { HistoryGrid } from './history';
import { place, round, roundClamp, startHost, waterfill } from './kernel';
import { KIND_DOM0, type Span, type StepLayout as Layout } from './layout';
import type { Hot } from './hot';
import { demands } from './demand';

/** One step of a span of hosts: what the scheduler's step() hands each thread. */
export interface StepParams {
  /** The sample's time, the instant the demand is evaluated at, the span of time it stands for. */
  t: number;
  at: number;
  spanNs: number;
  /** The history slot to write (−1: not sampled), and whether the figures are published. */
  slot: number;
  published: boolean;
}

export function stepSpan(l: Layout, x: Hot, hist: HistoryGrid, p: StepParams, s: Span): void {
  demands(l, x, p.at, s);
  share(l, x, p.spanNs, s);
  perDomain(l, x, hist, p.slot, p.spanNs, s);
  if (p.published) figures(l, x, p.t, s);
}

/**
 * Shares every host's pCPUs among its threads and accumulates the per-thread and per-pCPU counters
 * over spanNs. A host's threads are contiguous, so its sharing, placement and accounting run while
 * its data is in cache; each host is a call of its own (optimised on entry, no on-stack
 * replacement of one giant loop).
 */
function share(l: Layout, x: Hot, spanNs: number, s: Span): void {
  x.spanNs = spanNs;
  for (let h = s.h0; h < s.h1; h++) {
    shareHost(l, x, h);
    if (spanNs > 0) accountHost(l, x, h);
  }
}

/** Weighted max-min sharing and placement of one host's pinning groups; sets its pCPUs' utilisation. */
function shareHost(l: Layout, x: Hot, h: number): void {
  const { eff, domWt, alloc, idx, wts, rem, entCpu, scratch, pcpuUtil } = x;
  const { hostPcpus, hostGroupStart, groupEntStart, groupCpuStart, groupCpus } = l;
  const P = hostPcpus[h];
  startHost(rem, scratch, P);
  for (let g = hostGroupStart[h]; g < hostGroupStart[h + 1]; g++) {
    const first = groupEntStart[g];
    const last = groupEntStart[g + 1];
    const c0 = groupCpuStart[g];
    const c1 = groupCpuStart[g + 1];
    // A host's first group finds every pCPU free: its capacity is its pCPU count, exactly.
    let cap = c1 - c0;
    if (!scratch.fresh) {
      cap = 0;
      for (let j = c0; j < c1; j++) cap += rem[groupCpus[j]];
    }
    waterfill(first, last, cap, eff, l.entDom, domWt, alloc, idx, wts, scratch.sums);
    place(first, last, alloc, groupCpus, c0, c1, rem, entCpu, l.entUser, null, scratch);
  }
  const base = l.pcpuBase[h];
  for (let p = 0; p < P; p++) pcpuUtil[base + p] = 1 - rem[p];
}

/** One host's counters over the step: pCPU user/system/iowait, per-thread time, wait, steal, cpu-stats. */
function accountHost(l: Layout, x: Hot, h: number): void {
  const { alloc, eff, dem, rem, entCpu, hostUser, hostSystem, hostIowait, hostIo, spanNs, scratch } = x;
  const { accTime, accWait, accDelay, accMark, accCpu, accP2, accCpu2, pAll, pVcpu } = x;
  const { entDom, entThread, domPOff } = l;
  const base = l.pcpuBase[h];
  const { user, system } = scratch;
  // Idle time spent waiting on the guests' disks shows as iowait.
  const ioShare = Math.min(0.3, hostIo[h] * 0.01);
  const P = l.hostPcpus[h];
  // Whole nanoseconds everywhere: a saved and reloaded world continues exactly.
  for (let p = 0; p < P; p++) {
    hostUser[base + p] += round(user[p] * spanNs);
    // Most pCPUs ran no emulator or Domain-0 thread: round(0) would add nothing.
    if (system[p] > 0) hostSystem[base + p] += round(system[p] * spanNs);
    hostIowait[base + p] += round(rem[p] * ioShare * spanNs);
  }
  for (let e = l.hostEntStart[h]; e < l.hostEntStart[h + 1]; e++) {
    const a = alloc[e];
    const was = accTime[e];
    accTime[e] = was + round(a * spanNs);
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
        const d = entDom[e];
        const row = domPOff[d];
        if (run > 0 && p >= 0 && p < domPOff[d + 1] - row) {
          pAll[row + p] += run;
          if (entThread[e] >= 0) pVcpu[row + p] += run;
        }
      }
      // The run so far becomes the one before; the new current run starts empty, or (back on the
      // pCPU before) with that run's time: its start is marked as long before as that run was.
      const keep = back ? accP2[e] : 0;
      accP2[e] = was - accMark[e];
      accCpu2[e] = accCpu[e];
      accMark[e] = was - keep;
      accCpu[e] = cpu;
    }
  }
}

/**
 * Every domain's share of the step (domAlloc: the time its threads got; domSteal: what its vCPUs
 * could have used and did not get) and its cumulative CPU time; with a history slot to write
 * (slot ≥ 0), the per-vCPU busy/steal, per-domain CPU% and per-pCPU utilisation of the sample.
 */
function perDomain(l: Layout, x: Hot, hist: HistoryGrid, slot: number, spanNs: number, s: Span): void {
  const { pcpuUtil, alloc, eff, domRow, domRowN, domDrow, domAlloc, domSteal, domCpuTime } = x;
  const { domVcpuOff, vcpuEnt, domVcpus, domEmuEnt, pcpuBase } = l;
  const rec = slot >= 0;
  const hp = hist.pcpu;
  const pbase = slot * hist.pcpus;
  if (rec) for (let p = pcpuBase[s.h0]; p < pcpuBase[s.h1]; p++) hp[pbase + p] = roundClamp(pcpuUtil[p] * 200, 200);
  const busy = hist.busy;
  const steal = hist.steal;
  const dom = hist.dom;
  const base = slot * hist.R;
  const dbase = slot * hist.RD;
  for (let i = s.d0; i < s.d1; i++) {
    const row = base + domRow[i];
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    let dAlloc = 0;
    let dSteal = 0;
    for (let v = 0; v < nV; v++) {
      const e = vcpuEnt[off + v];
      const a = alloc[e];
      const f = eff[e];
      dAlloc += a;
      dSteal += f - a;
      if (rec) {
        busy[row + v] = roundClamp(a * 200, 200);
        // Most vCPUs got all they could use: no steal, and no rounding to find that out.
        steal[row + v] = f === a ? 0 : roundClamp((f - a) * 200, 200);
      }
    }
    const em = domEmuEnt[i];
    if (em >= 0) dAlloc += alloc[em];
    domAlloc[i] = dAlloc;
    domSteal[i] = dSteal;
    if (spanNs > 0) domCpuTime[i] = round(domCpuTime[i] + dAlloc * spanNs);
    if (!rec) continue;
    // Rows kept for hot-pluggable vCPUs that are offline hold no sample.
    for (let v = nV, n = domRowN[i]; v < n; v++) busy[row + v] = steal[row + v] = 255;
    dom[dbase + domDrow[i]] = roundClamp(dAlloc * 100 * 10, 65534);
  }
}

/**
 * The figures of sample t: every running domain's cpuPercent and memory in use into the slot arrays
 * (Scheduler.syncRecords copies them into the records when something reads them), every host's CPU%
 * and the resident memory of its guests (the scheduler writes them into the host records).
 */
function figures(l: Layout, x: Hot, t: number, s: Span): void {
  const { resident, domAlloc, domPct, domMemUsed, domMemKiB, domFrozen, domBootedAt, domStartedAt, domBaseMem, pcpuUtil, hostPct } = x;
  const { domHost, domKind, domSeed, domProfileCode } = l;
  const tl = x.tl.at(t);
  resident.fill(0, s.h0, s.h1);
  // Slot order is world order within each host: every host's sum adds up in the same order as ever.
  for (let i = s.d0; i < s.d1; i++) {
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
    domPct[i] = round(domAlloc[i] * 1000) / 10;
    resident[domHost[i]] += used;
  }
  const { hostPcpus, pcpuBase } = l;
  for (let h = s.h0; h < s.h1; h++) {
    const P = hostPcpus[h];
    const base = pcpuBase[h];
    let busy = 0;
    for (let p = 0; p < P; p++) busy += pcpuUtil[base + p];
    hostPct[h] = round((busy / P) * 1000) / 10;
  }
}
