// The scheduler's struct-of-arrays state (Hot) and its exchanges with the domain records: what the
// step needs of them (run state, boot and stress times, memory size) cached per slot by
// readDomains() and re-read only when the world changed; what it published, written back by
// writeRecord() when something reads the records; and the pending cpu-stats runs of a thread.

import type { World } from '../world/world';
import { newPlaceScratch, type PlaceScratch } from './kernel';
import type { Layout, StepLayout } from './layout';
import * as shared from './shared';
import { TickLoad } from './tickload';

/** Run modes of a domain, from its record (state, rebooting). */
export const MODE_RUN = 0;
/** Going down (shutdown, or the shutdown half of a reboot). */
export const MODE_DOWN = 1;
export const MODE_PAUSED = 2;
/** Active but not running (crashed, pmsuspended): no demand, no emulator. */
export const MODE_STOPPED = 3;

const F64 = shared.f64(0);

/** Hot's arrays a step reads or writes (shared with the compute workers); the rest is per-thread scratch. */
export const STEP_HOT = [
  'pcpuUtil',
  'hostUser',
  'hostSystem',
  'hostIowait',
  'hostIo',
  'resident',
  'hostPct',
  'dem',
  'eff',
  'alloc',
  'entCpu',
  'accTime',
  'accWait',
  'accDelay',
  'accMark',
  'accCpu',
  'accP2',
  'accCpu2',
  'domAlloc',
  'domSteal',
  'domIo',
  'domLvl',
  'domWt',
  'vJitter',
  'domSum',
  'domCpuTime',
  'domPct',
  'domBaseMem',
  'domMode',
  'domBootedAt',
  'domStartedAt',
  'domStressUntil',
  'domStressVcpus',
  'domMemKiB',
  'domFrozen',
  'domMemUsed',
  'domRow',
  'domRowN',
  'domDrow',
  'pAll',
  'pVcpu',
] as const;

/** The scheduler's arrays. Per-host/pCPU arrays live as long as the world; the rest as long as a layout. */
export class Hot {
  // ── per global pCPU and per host (initHosts) ──
  pcpuUtil = F64;
  hostUser = F64;
  hostSystem = F64;
  hostIowait = F64;
  hostIo = F64;
  /** Resident memory of each host's guests, and its CPU%, at the last published sample. */
  resident = F64;
  hostPct = F64;
  // ── per entity (thread) ──
  dem = F64;
  eff = F64;
  alloc = F64;
  /** Primary pCPU (host-local) in the last step. */
  entCpu = shared.i16(0);
  /** Cumulative times: the truth while the layout lives (synced into DomainCounters on demand). */
  accTime = F64;
  accWait = F64;
  accDelay = F64;
  /**
   * cpu-stats time not yet added to pAll: the run on the thread's current pCPU (accCpu; its time is
   * accTime − accMark, so a step that does not move the thread writes nothing here) and on the one
   * before (accCpu2, accP2, or -1). Two thirds of the moves go back to the pCPU before (a thread
   * straddling two pCPUs): those swap the pair instead of adding into the large, cold per-domain
   * rows. Whole nanoseconds, so the rows get the same totals in another grouping.
   */
  accMark = F64;
  accCpu = shared.i16(0);
  accP2 = F64;
  accCpu2 = shared.i16(0);
  // ── per domain slot ──
  domAlloc = F64;
  domSteal = F64;
  domIo = F64;
  /** The workload's domain-wide level in this step. */
  domLvl = F64;
  /** The weight of each of the domain's threads in this step: its weight split over its busy vCPUs. */
  domWt = F64;
  /** This step's 1-second jitter of each vCPU (at layout.domVcpuOff[slot] + v). */
  vJitter = F64;
  /** Σ capped demand of a Domain-0's threads in this step (before its domain-wide cap). */
  domSum = F64;
  /** cpuTimeNs: the truth while the layout lives, written to the records when published. */
  domCpuTime = F64;
  /** cpuPercent and memory in use at the last published sample (the records get them when read). */
  domPct = F64;
  domBaseMem = F64;
  // Cached from the records by readDomains():
  domMode = shared.u8(0);
  /** bootedAt, or -Infinity; startedAt, or NaN. */
  domBootedAt = F64;
  domStartedAt = F64;
  /** The guest's stress override: until (or -Infinity) and how many vCPUs. */
  domStressUntil = F64;
  domStressVcpus = shared.i32(0);
  domMemKiB = F64;
  /** Paused or crashed: the memory in use stays what it was. */
  domFrozen = shared.u8(0);
  domMemUsed = F64;
  /** History rows of each domain slot (first vCPU row, rows held, domain row). */
  domRow = shared.i32(0);
  domRowN = shared.i32(0);
  domDrow = shared.i32(0);
  /** cpu-stats per domain and host pCPU (all threads, vCPU threads), at layout.domPOff[slot]. */
  pAll = F64;
  pVcpu = F64;
  // ── scratch ──
  /** The current step's length (ns), for the per-host passes. */
  spanNs = 0;
  idx = shared.i32(0);
  wts = F64;
  rem = F64;
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
  const r = x.accTime[e] - x.accMark[e];
  if (r > 0 && p >= 0 && p < P) {
    x.pAll[row + p] += r;
    if (vcpu) x.pVcpu[row + p] += r;
  }
  x.accMark[e] = x.accTime[e];
  x.accCpu[e] = x.entCpu[e];
  x.accP2[e] = 0;
  x.accCpu2[e] = -1;
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

/** Scratch sized for the layout's largest host. */
export function sizeScratch(l: StepLayout, x: Hot): void {
  let maxEnts = 0;
  let maxP = 0;
  for (let h = 0; h < l.hostPcpus.length; h++) {
    maxEnts = Math.max(maxEnts, l.hostEntStart[h + 1] - l.hostEntStart[h]);
    maxP = Math.max(maxP, l.hostPcpus[h]);
  }
  x.idx = new Int32Array(maxEnts);
  x.wts = new Float64Array(maxEnts);
  x.rem = new Float64Array(maxP);
  x.scratch = newPlaceScratch(maxP, maxEnts);
}
