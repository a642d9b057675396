// The first pass of a step: every thread's demand at an instant (its workload, boot, shutdown,
// pause or stress; a KVM guest's emulator thread; Domain-0's backends), capped by its vCPU quota,
// then its domain's cap and weight split over its busy vCPUs. Typed arrays only; the workload
// math is tickload.ts's per-tick form of workload.ts.

import { type Hot, MODE_DOWN, MODE_PAUSED, MODE_RUN } from './hot';
import { KIND_DOM0, type Span, type StepLayout as Layout } from './layout';
import { ioOf, type TickLoad, vcpuLoad } from './tickload';

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

/**
 * Demand (dem) and capped demand (eff) of every entity of the span's hosts at t, and each domain's
 * thread weight (domWt). Split in passes that each loop over the span's domains, so every helper
 * they call is inlined (a double passed to or returned from a call that is not inlined is boxed:
 * 100,000 allocations a tick).
 */
export function demands(l: Layout, x: Hot, t: number, s: Span): void {
  const tl = x.tl.at(t);
  x.hostIo.fill(0, s.h0, s.h1);
  tl.jitters(l.vcpuSeed, l.domVcpuOff[s.d0], l.domVcpuOff[s.d1], x.vJitter);
  levels(l, x, tl, s);
  guestDemands(l, x, tl, t, s);
  dom0Demands(l, x, tl, s);
}

/** The domain-wide level of every running guest's workload (its own pass: TickLoad.level is inlined here). */
function levels(l: Layout, x: Hot, tl: TickLoad, s: Span): void {
  const { domLvl, domMode } = x;
  const { domKind, domSeed, domProfileCode } = l;
  for (let i = s.d0; i < s.d1; i++) {
    domLvl[i] = domKind[i] !== KIND_DOM0 && domMode[i] === MODE_RUN ? tl.level(domProfileCode[i], domSeed[i]) : 0;
  }
}

function guestDemands(l: Layout, x: Hot, tl: TickLoad, t: number, s: Span): void {
  const { dem, eff, domWt, hostIo, domMode, domBootedAt, domStressUntil, domStressVcpus, domIo, domLvl, vJitter } = x;
  const { domKind, domVcpus, domVcpuOff, domProfileCode, vcpuEnt, domEmuEnt, entCap, domHost, domCap, domWeight } = l;
  for (let i = s.d0; i < s.d1; i++) {
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
      const lvl = domLvl[i];
      io = ioOf(code, lvl);
      // The guest shell's `stress --cpu N` keeps N vCPUs fully busy until it ends.
      const stress = domStressUntil[i] > t ? domStressVcpus[i] : 0;
      for (let v = 0; v < nV; v++) {
        const e = vcpuEnt[off + v];
        const d = v < stress ? 1 : vcpuLoad(code, lvl, vJitter[off + v], v);
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
    domWt[i] = domWeight[i] / (active > 0 ? active : 1);
  }
}

/** Domain-0's vCPUs: housekeeping plus the backends of its guests' I/O (so after every guest). */
function dom0Demands(l: Layout, x: Hot, tl: TickLoad, s: Span): void {
  const { dem, eff, hostIo, domSum, vJitter } = x;
  const { domKind, domVcpus, domVcpuOff, vcpuEnt, entCap, domHost } = l;
  for (let i = s.d0; i < s.d1; i++) {
    if (domKind[i] !== KIND_DOM0) continue;
    const nV = domVcpus[i];
    const off = domVcpuOff[i];
    const backends = (hostIo[domHost[i]] * DOM0_IO) / nV;
    let sum = 0;
    for (let v = 0; v < nV; v++) {
      const e = vcpuEnt[off + v];
      const d = Math.min(1, DOM0_BASE + (0.005 + 0.03 * vJitter[off + v]) + backends);
      const c = entCap[e];
      dem[e] = d;
      sum += eff[e] = d < c ? d : c;
    }
    domSum[i] = sum;
    weights(l, x, i);
  }
}

/** A Domain-0's domain-wide cap and weight (its demand needs every guest's first). */
function weights(l: Layout, x: Hot, i: number): void {
  const { eff, domWt, domSum } = x;
  const { vcpuEnt, domVcpus, domVcpuOff, domEmuEnt, domCap, domWeight } = l;
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
  domWt[i] = domWeight[i] / (active > 0 ? active : 1);
}
