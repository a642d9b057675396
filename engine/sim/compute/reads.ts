// Read models over the scheduler's counters: vcpuinfo, domstats, dommemstat, cpu-stats,
// nodecpustats, nodememstats, and the TUI's history, placement and fleet-wide load reads.

import { VirError } from '../../api/errors';
import type {
  DomainCpuStats,
  DomainStatsGroup,
  DomainStatsRecord,
  HostCpuMap,
  MemoryStat,
  NodeCpuStats,
  NodeMemoryStats,
  PcpuOccupant,
  VcpuHistory,
  VcpuInfo,
} from '../../api/types';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { cpusOf } from './cpulist';
import { History, HISTORY_INTERVAL_MS } from './history';
import { KIND_KVM } from './layout';
import { balloonStats, hostOwnKiB } from './memory';
import type { Scheduler } from './scheduler';
import { dirtyPagesPerSecond } from './workload';
import { hash32 } from '../rng';

const notRunning = () => VirError.of('VIR_ERR_OPERATION_INVALID', 'domain is not running');
/** cpuacct reports user/system time in clock ticks (10 ms). */
const tick10ms = (ns: number) => Math.round(ns / 1e7) * 1e7;

function pcpus(w: World, d: DomainRecord): number {
  const c = w.host(d.host).cpu;
  return c.sockets * c.cores * c.threads;
}

function vcpuState(w: World, d: DomainRecord, busy: number): 'running' | 'blocked' {
  // qemu reports every online vCPU as running; Xen tells running from blocked (idle in the guest).
  if (w.host(d.host).hypervisor === 'kvm' && !d.isDom0) return 'running';
  return busy >= 0.05 && d.state === 'running' ? 'running' : 'blocked';
}

export function vcpuInfo(w: World, sched: Scheduler, d: DomainRecord): VcpuInfo[] {
  const P = pcpus(w, d);
  const x = sched.countersOf(d);
  if (!x) {
    return Array.from({ length: d.config.vcpus }, (_, v) => ({
      vcpu: v, cpu: null, state: null, cpuTimeNs: 0, waitNs: 0, delayNs: 0,
      affinity: cpusOf(d.config.vcpuPin?.[v], P), hostCpus: P, demand: 0, busy: 0, steal: 0,
    }));
  }
  const { c } = x;
  const live = d.live!;
  return Array.from({ length: live.vcpus }, (_, v) => {
    const affinity = cpusOf(live.vcpuPin?.[v], P);
    return {
      vcpu: v,
      cpu: c.vcpu[v] >= 0 ? c.vcpu[v] : affinity[v % affinity.length],
      state: vcpuState(w, d, c.lBusy[v]),
      cpuTimeNs: Math.round(c.vtime[v]),
      waitNs: Math.round(c.vwait[v]),
      delayNs: Math.round(c.vdelay[v]),
      affinity,
      hostCpus: P,
      demand: c.lDem[v],
      busy: c.lBusy[v],
      steal: c.lSteal[v],
    };
  });
}

const STATE_CODE: Record<string, number> = { running: 1, blocked: 2, paused: 3, 'in shutdown': 4, 'shut off': 5, crashed: 6, pmsuspended: 7 };
const REASON_CODE: Record<string, Record<string, number>> = {
  running: { unknown: 0, booted: 1, migrated: 2, restored: 3, 'from snapshot': 4, unpaused: 5, 'migration canceled': 6, 'save canceled': 7, wakeup: 8, crashed: 9 },
  paused: { unknown: 0, user: 1, migrating: 2, saving: 3, dumping: 4, 'I/O error': 5, watchdog: 6, 'from snapshot': 7, 'shutting down': 8, snapshot: 9, crashed: 10, 'starting up': 11 },
  'in shutdown': { unknown: 0, user: 1 },
  'shut off': { unknown: 0, shutdown: 1, destroyed: 2, crashed: 3, migrated: 4, saved: 5, failed: 6, 'from snapshot': 7, daemon: 8 },
  crashed: { unknown: 0, panicked: 1 },
};

export const ALL_STATS_GROUPS: DomainStatsGroup[] = ['state', 'cpu-total', 'balloon', 'vcpu'];

export function domainStats(w: World, sched: Scheduler, d: DomainRecord, groups: DomainStatsGroup[]): DomainStatsRecord {
  const params: Array<[string, number | string]> = [];
  const x = sched.countersOf(d);
  const cur = d.live ?? d.config;
  const kvm = w.host(d.host).hypervisor === 'kvm' && !d.isDom0;
  for (const g of ['state', 'cpu-total', 'balloon', 'vcpu', 'dirtyrate'] as const) {
    if (!groups.includes(g)) continue;
    if (g === 'state') {
      params.push(['state.state', STATE_CODE[d.state] ?? 0], ['state.reason', REASON_CODE[d.state]?.[d.reason] ?? 0]);
    } else if (g === 'cpu-total' && x) {
      params.push(['cpu.time', d.cpuTimeNs]);
      if (kvm) {
        let user = 0;
        for (let v = 0; v < x.c.vtime.length; v++) user += x.c.vtime[v];
        params.push(['cpu.user', tick10ms(user)], ['cpu.system', tick10ms(x.c.emuTime)]);
      }
    } else if (g === 'balloon') {
      params.push(['balloon.current', cur.memoryKiB], ['balloon.maximum', cur.maxMemoryKiB]);
      if (x) {
        for (const [tag, v] of balloonStats(d, w.now - (d.startedAt ?? w.now), w.now)) {
          if (tag === 'actual') continue;
          params.push([`balloon.${tag === 'last_update' ? 'last-update' : tag}`, v]);
        }
      }
    } else if (g === 'vcpu') {
      params.push(['vcpu.current', cur.vcpus], ['vcpu.maximum', cur.maxVcpus]);
      if (x) {
        for (const v of vcpuInfo(w, sched, d)) {
          params.push(
            [`vcpu.${v.vcpu}.state`, v.state === 'running' ? 1 : 2],
            [`vcpu.${v.vcpu}.time`, v.cpuTimeNs],
            [`vcpu.${v.vcpu}.wait`, v.waitNs],
            [`vcpu.${v.vcpu}.delay`, v.delayNs],
          );
        }
      }
    } else if (g === 'dirtyrate' && x) {
      const rate = dirtyPagesPerSecond(cur.workload, w.now, hash32(d.uuid, w.s.seed), cur.memoryKiB);
      params.push(
        ['dirtyrate.calc_status', 2],
        ['dirtyrate.calc_start_time', Math.floor(w.now / 1000) - 1],
        ['dirtyrate.calc_period', 1],
        ['dirtyrate.megabytes_per_second', Math.round((rate * 4) / 1024)],
      );
    }
  }
  return { name: d.name, uuid: d.uuid, params };
}

export function memoryStats(w: World, sched: Scheduler, d: DomainRecord): MemoryStat[] {
  if (d.live === null) throw notRunning();
  sched.syncRecords();
  return balloonStats(d, w.now - (d.startedAt ?? w.now), w.now).map(([tag, value]) => ({ tag, value }));
}

export function cpuStats(w: World, sched: Scheduler, d: DomainRecord): DomainCpuStats {
  const x = sched.countersOf(d);
  if (!x) throw notRunning();
  const { c } = x;
  let user = 0;
  for (let v = 0; v < c.vtime.length; v++) user += c.vtime[v];
  return {
    perCpu: Array.from(c.pAll, (ns, cpu) => ({ cpu, cpuTimeNs: Math.round(ns), vcpuTimeNs: Math.round(c.pVcpu[cpu]) })),
    total: { cpuTimeNs: d.cpuTimeNs, userTimeNs: tick10ms(user), systemTimeNs: tick10ms(c.emuTime) },
  };
}

function hostIndex(w: World, name?: string): number {
  if (name === undefined) {
    if (!w.s.hosts.length) throw VirError.of('VIR_ERR_NO_NODE', 'the world has no hosts');
    return 0;
  }
  const i = w.s.hosts.indexOf(w.host(name));
  return i;
}

export function nodeCpuStats(w: World, sched: Scheduler, opts: { host?: string; cpu?: number } = {}): NodeCpuStats {
  const h = hostIndex(w, opts.host);
  const host = w.s.hosts[h];
  const P = host.cpu.sockets * host.cpu.cores * host.cpu.threads;
  const cpu = opts.cpu ?? null;
  if (cpu !== null && (!Number.isInteger(cpu) || cpu < 0 || cpu >= P)) {
    throw VirError.of('VIR_ERR_INVALID_ARG', 'Invalid cpuNum in virHostCPUGetStatsLinux');
  }
  const hc = sched.hostCountersOf(h);
  const upNs = Math.max(0, w.now - host.bootedAt) * 1e6;
  const cpus = cpu === null ? Array.from({ length: P }, (_, i) => i) : [cpu];
  let user = 0;
  let system = 0;
  let iowait = 0;
  for (const p of cpus) {
    user += hc.user[p];
    system += hc.system[p];
    iowait += hc.iowait[p];
  }
  const idle = Math.max(0, upNs * cpus.length - user - system - iowait);
  // The split of the last sampled second, from that second's placement.
  const { user: pu, system: ps } = sched.placementOf(h);
  let u = 0;
  let s = 0;
  for (const p of cpus) {
    u += pu[p];
    s += ps[p];
  }
  const n = cpus.length;
  const idleShare = Math.max(0, 1 - (u + s) / n);
  const ioFrac = iowait > 0 && idle + iowait > 0 ? iowait / (idle + iowait) : 0;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    host: host.name,
    cpu,
    times: { userNs: Math.round(user), systemNs: Math.round(system), idleNs: Math.round(idle), iowaitNs: Math.round(iowait) },
    percent: {
      usage: pct((u + s) / n),
      user: pct(u / n),
      system: pct(s / n),
      idle: pct(idleShare * (1 - ioFrac)),
      iowait: pct(idleShare * ioFrac),
    },
  };
}

export function nodeMemoryStats(w: World, name?: string): NodeMemoryStats {
  const host = w.s.hosts[hostIndex(w, name)];
  const resident = host.memoryResidentKiB ?? (w.memUsed.get(host.name) ?? 0) + hostOwnKiB(host);
  const spare = Math.max(0, host.memoryKiB - resident);
  // The Linux host (or Domain-0) keeps part of what guests leave free as page cache and buffers.
  const cached = Math.round(spare * 0.25);
  const buffers = Math.round(spare * 0.02);
  return { host: host.name, totalKiB: host.memoryKiB, freeKiB: spare - cached - buffers, buffersKiB: buffers, cachedKiB: cached };
}

function window(sched: Scheduler): { slots: number[]; times: number[] } {
  const hist = sched.history!;
  const slots = hist.slots();
  return { slots, times: slots.map((s) => hist.times[s]) };
}

export function vcpuHistory(w: World, sched: Scheduler, d: DomainRecord): VcpuHistory {
  const rows = sched.rowsOf(d);
  if (!rows || d.live === null) throw notRunning();
  const hist = sched.history!;
  const { slots, times } = window(sched);
  const vcpus = Array.from({ length: d.live.vcpus }, (_, v) => ({
    busy: slots.map((s) => History.read8(hist.busy[s * hist.R + rows.row + v])),
    steal: slots.map((s) => History.read8(hist.steal[s * hist.R + rows.row + v])),
  }));
  const cpuPercent = slots.map((s) => History.read16(hist.dom[s * hist.RD + rows.drow]));
  return { domain: d.name, intervalMs: HISTORY_INTERVAL_MS, times, vcpus, cpuPercent };
}

export function hostCpuMap(w: World, sched: Scheduler, name: string): HostCpuMap {
  const h = hostIndex(w, name);
  const host = w.s.hosts[h];
  const l = sched.current();
  const P = l.hostPcpus[h];
  const { chunks } = sched.placementOf(h);
  const occupants: PcpuOccupant[][] = Array.from({ length: P }, () => []);
  const util = new Float64Array(P);
  for (let i = 0; i < chunks.n; i++) {
    const e = chunks.ent[i];
    const d = l.doms[l.entDom[e]];
    const th = l.entThread[e];
    occupants[chunks.cpu[i]].push({ domain: d.name, thread: th >= 0 ? th : 'emulator', share: chunks.amt[i] });
    util[chunks.cpu[i]] += chunks.amt[i];
  }
  const hist = sched.history!;
  const { slots, times } = window(sched);
  let vcpus = 0;
  for (let i = 0; i < l.doms.length; i++) if (l.domHost[i] === h && l.doms[i].state === 'running') vcpus += l.domVcpus[i];
  const base = l.pcpuBase[h];
  return {
    host: host.name,
    intervalMs: HISTORY_INTERVAL_MS,
    times,
    vcpuOvercommit: Math.round((vcpus / P) * 100) / 100,
    pcpus: Array.from({ length: P }, (_, p) => ({
      cpu: p,
      utilisation: Math.min(1, util[p]),
      occupants: occupants[p],
      history: slots.map((s) => History.read8(hist.pcpu[s * hist.pcpus + base + p])),
    })),
  };
}

/** Is this slot's domain a KVM guest (it has an emulator thread)? */
export function hasEmulator(kind: number): boolean {
  return kind === KIND_KVM;
}
