// The scheduler's live counters written into the state records before a save: plain JSON, whole
// nanoseconds. A 1,000-host world has 20,000 domains' worth of them, so a record's arrays and
// objects are refilled in place rather than replaced: 160,000 new objects a save were most of
// its garbage (and Array.from({ length }, fn) ~10× slower than a loop). The text is the same.

import type { DomainComputeState, HostRecord } from '../world/state';
import type { HostCounters, Layout } from './layout';

/** Every running domain's and every host's counters into its record. */
export function saveCounters(l: Layout, hosts: HostRecord[], hostCounters: HostCounters[]): void {
  for (let i = 0; i < l.doms.length; i++) {
    const d = l.doms[i];
    const c = l.counters[i];
    if (d.live === null || d.id !== c.id) continue;
    const n = Math.max(d.live.vcpus, d.live.maxVcpus);
    const was = d.compute?.id === c.id ? d.compute : undefined;
    const s: DomainComputeState = was ?? ({} as DomainComputeState);
    // Written in one order, so a refilled record and a new one give the same text.
    s.id = c.id;
    s.vcpuTimeNs = rounded(was?.vcpuTimeNs, c.vtime, n);
    s.vcpuWaitNs = rounded(was?.vcpuWaitNs, c.vwait, n);
    s.vcpuDelayNs = rounded(was?.vcpuDelayNs, c.vdelay, n);
    s.vcpuCpu = rounded(was?.vcpuCpu, c.vcpu, n);
    s.emulatorTimeNs = Math.round(c.emuTime);
    s.emulatorCpu = c.emuCpu;
    s.pcpuTimeNs = sparse(was?.pcpuTimeNs, c.pAll);
    s.pcpuVcpuTimeNs = sparse(was?.pcpuVcpuTimeNs, c.pVcpu);
    d.compute = s;
  }
  hosts.forEach((h, i) => {
    const c = hostCounters[i];
    if (!c) return;
    const was = h.compute;
    h.compute = {
      userNs: rounded(was?.userNs, c.user, c.user.length),
      systemNs: rounded(was?.systemNs, c.system, c.system.length),
      iowaitNs: rounded(was?.iowaitNs, c.iowait, c.iowait.length),
    };
  });
}

/** The first n values of a, rounded, in `into` when it has that length. */
function rounded(into: number[] | undefined, a: ArrayLike<number>, n: number): number[] {
  const out = into && into.length === n ? into : new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(a[i]);
  return out;
}

/**
 * The length of the row each sparse record was last filled from. Within a run the counters only
 * grow, so a record filled from a row of the same length has no entry the row lacks and need not
 * be checked key by key again (that for-in over 40,000 records was half of saveCounters).
 */
const filledFrom = new WeakMap<object, number>();

/**
 * The positive entries of a by index, in `into` when it holds no entry a no longer has (the
 * counters only grow within a run). Index keys are listed in ascending order however added.
 */
function sparse(into: Record<string, number> | undefined, a: Float64Array): Record<string, number> {
  let o = into;
  if (o && filledFrom.get(o) !== a.length) {
    for (const k in o) {
      const p = Number(k);
      if (!(p < a.length && a[p] > 0)) {
        o = undefined;
        break;
      }
    }
  }
  o ??= {};
  for (let p = 0; p < a.length; p++) if (a[p] > 0) o[p] = Math.round(a[p]);
  filledFrom.set(o, a.length);
  return o;
}
