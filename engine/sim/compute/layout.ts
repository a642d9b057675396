// The scheduler's flat view of the world: every schedulable thread (a running domain's vCPUs, a
// KVM guest's emulator thread, Domain-0's vCPUs) as an index into typed arrays, grouped by host
// and, within a host, by pinning group (threads allowed on the same pCPU set are contiguous,
// narrowest sets first). Rebuilt only when the structure changes (start, stop, hot-plug, pinning,
// tuning), never per tick.

import type { WorkloadProfile } from '../../api/types';
import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord, SimState } from '../world/state';
import { cpusOf, everyCpu } from './cpulist';
import * as shared from './shared';
import { jitterSeed, profileCode } from './tickload';
import { effectiveTuning } from './tuning';

/** Live counters of one domain's run (the truth while it runs; copied into DomainRecord.compute on flush). */
export class DomainCounters {
  vtime: Float64Array;
  vwait: Float64Array;
  vdelay: Float64Array;
  /** Primary pCPU of each vCPU in the last sample (sticky while idle). */
  vcpu: Int16Array;
  emuTime = 0;
  emuCpu = 0;
  /** Per host pCPU: all threads, vCPU threads only (cpu-stats). While the domain is in a layout these
   * are views into the scheduler's flat per-domain-pCPU arrays (rebound on every rebuild). */
  pAll: Float64Array;
  pVcpu: Float64Array;
  /** The last sample: each vCPU's demand, allocation and steal (fractions of a pCPU), the emulator's allocation. */
  lDem: Float64Array;
  lBusy: Float64Array;
  lSteal: Float64Array;
  lEmu = 0;

  constructor(readonly id: number, n: number, pcpus: number) {
    this.lDem = new Float64Array(n);
    this.lBusy = new Float64Array(n);
    this.lSteal = new Float64Array(n);
    this.vtime = new Float64Array(n);
    this.vwait = new Float64Array(n);
    this.vdelay = new Float64Array(n);
    this.vcpu = new Int16Array(n).fill(-1);
    this.pAll = new Float64Array(pcpus);
    this.pVcpu = new Float64Array(pcpus);
  }

  /** Room for n vCPUs (hot-plug up to the maximum keeps the figures of the others). */
  ensure(n: number): void {
    if (this.vtime.length >= n) return;
    const g = (a: Float64Array): Float64Array => {
      const next = new Float64Array(n);
      next.set(a);
      return next;
    };
    this.vtime = g(this.vtime);
    this.vwait = g(this.vwait);
    this.vdelay = g(this.vdelay);
    this.lDem = g(this.lDem);
    this.lBusy = g(this.lBusy);
    this.lSteal = g(this.lSteal);
    const cpu = new Int16Array(n).fill(-1);
    cpu.set(this.vcpu);
    this.vcpu = cpu;
  }
}

/** A host's per-pCPU times: views into the scheduler's flat per-pCPU arrays. */
export class HostCounters {
  constructor(
    readonly user: Float64Array,
    readonly system: Float64Array,
    readonly iowait: Float64Array,
  ) {}
}

export const KIND_KVM = 0;
export const KIND_XEN = 1;
export const KIND_DOM0 = 2;

/** A run of hosts [h0, h1) with their domain slots [d0, d1): what one thread steps (parallel.ts). */
export interface Span {
  h0: number;
  h1: number;
  d0: number;
  d1: number;
}

export interface Layout {
  state: SimState;
  orderVersion: number;
  tuningVersion: number;
  // hosts
  hostPcpus: Int32Array;
  /** Global pCPU index of each host's pCPU 0 (history rows). */
  pcpuBase: Int32Array;
  hostEntStart: Int32Array;
  hostGroupStart: Int32Array;
  // pinning groups
  groupEntStart: Int32Array;
  groupCpuStart: Int32Array;
  groupCpus: Int32Array;
  // domains: the active ones, grouped by host (world order within a host), so that a host's
  // threads, domain slots, history rows and cpu-stats rows are all contiguous
  doms: DomainRecord[];
  /** First domain slot of each host, H + 1 entries. */
  hostDomStart: Int32Array;
  /** Slots in world order (publishing walks the records in the order they sit in memory). */
  worldOrder: Int32Array;
  /** Slot of each active domain (reads; never the hot loop). */
  slotOf: Map<DomainRecord, number>;
  domHost: Int32Array;
  domSeed: Uint32Array;
  domProfile: WorkloadProfile[];
  /** The profile as a tickload.ts code (the hot loop switches on numbers, not strings). */
  domProfileCode: Uint8Array;
  domVcpus: Int32Array;
  domKind: Uint8Array;
  domWeight: Float64Array;
  domCap: Float64Array;
  domVcpuOff: Int32Array;
  /** Entity index of vCPU v of domain d at domVcpuOff[d] + v. */
  vcpuEnt: Int32Array;
  /** The noise stream of that vCPU's 1-second jitter (tickload.ts jitterSeed). */
  vcpuSeed: Uint32Array;
  domEmuEnt: Int32Array;
  /** Offset of each domain's row in the flat per-domain-pCPU arrays (cpu-stats), D + 1 entries. */
  domPOff: Int32Array;
  counters: DomainCounters[];
  // entities
  entDom: Int32Array;
  /** vCPU number, or -1 for an emulator thread */
  entThread: Int16Array;
  /** 1 for a guest's vCPU (host user time), 0 for an emulator thread or Domain-0 (system time). */
  entUser: Uint8Array;
  entCap: Float64Array;
}

/** The layout's arrays a step reads: all of it a compute worker receives (on SharedArrayBuffers). */
export const STEP_LAYOUT = [
  'hostPcpus',
  'pcpuBase',
  'hostEntStart',
  'hostGroupStart',
  'hostDomStart',
  'groupEntStart',
  'groupCpuStart',
  'groupCpus',
  'domHost',
  'domSeed',
  'domProfileCode',
  'domVcpus',
  'domKind',
  'domWeight',
  'domCap',
  'domVcpuOff',
  'vcpuEnt',
  'vcpuSeed',
  'domEmuEnt',
  'domPOff',
  'entDom',
  'entThread',
  'entUser',
  'entCap',
] as const;

export type StepLayout = Pick<Layout, (typeof STEP_LAYOUT)[number]>;

interface EntDesc {
  dom: number;
  thread: number;
  key: string;
  cpus: readonly number[];
}

/** Builds the layout; `counters` supplies (and keeps) each domain's counters across rebuilds. */
export function buildLayout(
  w: World,
  tuningVersion: number,
  counters: (d: DomainRecord, n: number, pcpus: number) => DomainCounters,
): Layout {
  const s = w.s;
  const H = s.hosts.length;
  const hostIndex = new Map<string, number>();
  const hostPcpus = shared.i32(H);
  const pcpuBase = shared.i32(H + 1);
  s.hosts.forEach((h, i) => {
    hostIndex.set(h.name, i);
    hostPcpus[i] = h.cpu.sockets * h.cpu.cores * h.cpu.threads;
    pcpuBase[i + 1] = pcpuBase[i] + hostPcpus[i];
  });

  const inWorld: DomainRecord[] = [];
  const hostOf: number[] = [];
  const perHostCount = new Int32Array(H + 1);
  for (const d of s.domains) {
    const h = d.live !== null ? hostIndex.get(d.host) : undefined;
    if (h === undefined) continue;
    inWorld.push(d);
    hostOf.push(h);
    perHostCount[h + 1]++;
  }
  const D = inWorld.length;
  // A stable counting sort by host.
  for (let h = 0; h < H; h++) perHostCount[h + 1] += perHostCount[h];
  const hostDomStart = shared.i32Of(perHostCount);
  const doms: DomainRecord[] = new Array(D);
  const worldOrder = new Int32Array(D);
  const slotOf = new Map<DomainRecord, number>();
  for (let k = 0; k < D; k++) {
    const slot = perHostCount[hostOf[k]]++;
    doms[slot] = inWorld[k];
    worldOrder[k] = slot;
    slotOf.set(inWorld[k], slot);
  }
  const domHost = shared.i32(D);
  const domSeed = shared.u32(D);
  const domProfile: WorkloadProfile[] = new Array(D);
  const domProfileCode = shared.u8(D);
  const domVcpus = shared.i32(D);
  const domKind = shared.u8(D);
  const domWeight = shared.f64(D);
  const domCap = shared.f64(D);
  const domVcpuOff = shared.i32(D + 1);
  const domEmuEnt = shared.i32(D).fill(-1);
  const domPOff = shared.i32(D + 1);
  const dcounters: DomainCounters[] = new Array(D);
  const perHost: EntDesc[][] = Array.from({ length: H }, () => []);

  for (let i = 0; i < D; i++) {
    const d = doms[i];
    const live = d.live!;
    const h = hostIndex.get(d.host)!;
    const hv = s.hosts[h].hypervisor;
    const P = hostPcpus[h];
    const tune = effectiveTuning(hv, live);
    domHost[i] = h;
    domSeed[i] = hash32(d.uuid, s.seed);
    domProfile[i] = live.workload;
    domProfileCode[i] = profileCode(live.workload);
    domPOff[i + 1] = domPOff[i] + P;
    domVcpus[i] = live.vcpus;
    domKind[i] = d.isDom0 ? KIND_DOM0 : hv === 'kvm' ? KIND_KVM : KIND_XEN;
    domWeight[i] = tune.weight;
    domCap[i] = tune.domainCap;
    domVcpuOff[i + 1] = domVcpuOff[i] + live.vcpus;
    dcounters[i] = counters(d, Math.max(live.vcpus, live.maxVcpus), P);
    for (let v = 0; v < live.vcpus; v++) {
      const pin = live.vcpuPin?.[v];
      perHost[h].push({ dom: i, thread: v, key: pin ?? '', cpus: pin === undefined ? everyCpu(P) : cpusOf(pin, P) });
    }
    if (domKind[i] === KIND_KVM) {
      const pin = live.emulatorPin;
      perHost[h].push({ dom: i, thread: -1, key: pin ?? '', cpus: pin === undefined ? everyCpu(P) : cpusOf(pin, P) });
    }
  }

  const E = perHost.reduce((n, l) => n + l.length, 0);
  const entDom = shared.i32(E);
  const entThread = shared.i16(E);
  const entCap = shared.f64(E);
  const entUser = shared.u8(E);
  const vcpuEnt = shared.i32(domVcpuOff[D]);
  const vcpuSeed = shared.u32(domVcpuOff[D]);
  for (let i = 0; i < D; i++) for (let v = 0; v < domVcpus[i]; v++) vcpuSeed[domVcpuOff[i] + v] = jitterSeed(domSeed[i], v);
  const hostEntStart = shared.i32(H + 1);
  const hostGroupStart = shared.i32(H + 1);
  const groupEntStart: number[] = [0];
  const groupCpuStart: number[] = [0];
  const groupCpus: number[] = [];
  let e = 0;
  for (let h = 0; h < H; h++) {
    hostEntStart[h] = e;
    hostGroupStart[h] = groupEntStart.length - 1;
    // Pinning groups: narrowest pCPU set first (pinned threads claim their pCPUs before the
    // threads that may run anywhere, as the load balancer moves those out of their way).
    const groups = new Map<string, EntDesc[]>();
    for (const x of perHost[h]) {
      const key = x.key === '' ? '' : x.cpus.join(',');
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(x);
    }
    const ordered = [...groups.values()].sort((a, b) => a[0].cpus.length - b[0].cpus.length || a[0].cpus[0] - b[0].cpus[0] || cmpKey(a[0].key, b[0].key));
    for (const members of ordered) {
      for (const x of members) {
        entDom[e] = x.dom;
        entThread[e] = x.thread;
        entUser[e] = x.thread >= 0 && domKind[x.dom] !== KIND_DOM0 ? 1 : 0;
        const live = doms[x.dom].live!;
        const tune = effectiveTuning(s.hosts[h].hypervisor, live);
        entCap[e] = x.thread < 0 ? tune.emulatorCap : tune.vcpuCap;
        if (x.thread >= 0) vcpuEnt[domVcpuOff[x.dom] + x.thread] = e;
        else domEmuEnt[x.dom] = e;
        e++;
      }
      groupEntStart.push(e);
      for (const c of members[0].cpus) groupCpus.push(c);
      groupCpuStart.push(groupCpus.length);
    }
  }
  hostEntStart[H] = e;
  hostGroupStart[H] = groupEntStart.length - 1;

  return {
    state: s,
    orderVersion: w.orderVersion,
    tuningVersion,
    hostPcpus,
    pcpuBase,
    hostEntStart,
    hostGroupStart,
    groupEntStart: shared.i32Of(groupEntStart),
    groupCpuStart: shared.i32Of(groupCpuStart),
    groupCpus: shared.i32Of(groupCpus),
    doms,
    hostDomStart,
    worldOrder,
    slotOf,
    domHost,
    domSeed,
    domProfile,
    domProfileCode,
    domVcpus,
    domKind,
    domWeight,
    domCap,
    domVcpuOff,
    vcpuEnt,
    vcpuSeed,
    domEmuEnt,
    domPOff,
    counters: dcounters,
    entDom,
    entThread,
    entUser,
    entCap,
  };
}

function cmpKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
