// DomainInfo snapshots with identity reuse: a domain whose record did not change (same rev) hands
// back the very same object, and listDomains() keeps its array until something changed — the
// UI's memoisation depends on that in a 20,000-domain world. Every sample moves every running
// domain's figures, and a copy of 20,000 snapshots costs ~45 ms: the unsampled list keeps them
// and the figures come from a table of three numbers per domain instead (SampleTable). Snapshots
// are built from the records, so `sync` (the scheduler's syncRecords) runs first whenever one is.

import type { DiskInfo, DomainInfo, DomainSamples, NicInfo } from '../../api/types';
import { leasedAddress } from '../guest/net';
import { findOs } from '../guest/oscatalog';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { poolVolume } from './admission';
import { SampleTable } from './samples';

interface Entry {
  rev: number;
  /** Everything but the sampled statistics, frozen, shared by successive snapshots. */
  base: DomainInfo;
  info: DomainInfo;
}

export class DomainViews {
  private cache = new Map<DomainRecord, Entry>();
  private list: DomainInfo[] | null = null;
  private listVersion = -1;
  private shapes: DomainInfo[] | null = null;
  private shapesVersion = -1;
  private table: SampleTable | null = null;
  private tableVersion = -1;
  private slots: { order: DomainRecord[]; slot: Map<string, number> } | null = null;
  private order: DomainRecord[] = [];
  private orderVersion = -1;

  constructor(
    private w: World,
    private readonly sync: () => void,
  ) {}

  /** Forget everything (after the world was replaced). */
  reset(): void {
    this.cache.clear();
    this.list = null;
    this.listVersion = -1;
    this.shapes = null;
    this.shapesVersion = -1;
    this.table = null;
    this.tableVersion = -1;
    this.orderVersion = -1;
  }

  /** sampled false: a record that did not change keeps its snapshot, whatever figures it holds. */
  info(d: DomainRecord, sampled = true): DomainInfo {
    const hit = this.cache.get(d);
    if (!sampled && hit && hit.rev === d.rev) return hit.info;
    this.sync();
    if (hit && hit.rev === d.rev) {
      const i = hit.info;
      if (i.cpuPercent === d.cpuPercent && i.cpuTimeNs === d.cpuTimeNs && i.memoryUsedKiB === d.memoryUsedKiB) return i;
      // Only the statistics moved (every sampled second): a cheap copy of the cached base.
      hit.info = Object.freeze({ ...hit.base, cpuPercent: d.cpuPercent, cpuTimeNs: d.cpuTimeNs, memoryUsedKiB: d.memoryUsedKiB });
      return hit.info;
    }
    const base = freezeInfo(build(this.w, d));
    this.cache.set(d, { rev: d.rev, base, info: base });
    return base;
  }

  all(sampled = true): DomainInfo[] {
    const w = this.w;
    if (sampled ? this.list && this.listVersion === w.version : this.shapes && this.shapesVersion === w.shapeVersion) {
      return sampled ? this.list! : this.shapes!;
    }
    const order = this.ordered();
    const list = Object.freeze(order.map((d) => this.info(d, sampled))) as DomainInfo[];
    if (sampled) {
      this.list = list;
      this.listVersion = w.version;
    } else {
      this.shapes = list;
      this.shapesVersion = w.shapeVersion;
    }
    return list;
  }

  /** The figures of every listed domain as of now, from the records. */
  samples(): DomainSamples {
    const w = this.w;
    if (this.table && this.tableVersion === w.version) return this.table;
    this.sync();
    const order = this.ordered();
    if (this.slots?.order !== order) this.slots = { order, slot: new Map(order.map((d, i) => [d.uuid, i])) };
    const n = order.length;
    const cpu = new Float64Array(n);
    const time = new Float64Array(n);
    const mem = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = order[i];
      cpu[i] = d.cpuPercent;
      time[i] = d.cpuTimeNs;
      mem[i] = d.memoryUsedKiB;
    }
    this.table = new SampleTable(this.slots.slot, cpu, time, mem);
    this.tableVersion = w.version;
    return this.table;
  }

  /** The records in list order, re-sorted when the order can have changed. */
  private ordered(): DomainRecord[] {
    const w = this.w;
    if (this.orderVersion !== w.orderVersion) {
      // virsh list order: active by id, then inactive by name.
      const active = w.s.domains.filter((d) => d.id !== null).sort((a, b) => a.id! - b.id! || cmp(a.host, b.host));
      const inactive = w.s.domains.filter((d) => d.id === null).sort((a, b) => cmp(a.name, b.name));
      this.order = active.concat(inactive);
      this.orderVersion = w.orderVersion;
      for (const rec of this.cache.keys()) if (!w.byUuid.has(rec.uuid) || w.byUuid.get(rec.uuid) !== rec) this.cache.delete(rec);
    }
    return this.order;
  }
}

/** Freezes a snapshot and the nested objects it shares with later stats-only copies. */
function freezeInfo(i: DomainInfo): DomainInfo {
  Object.freeze(i.vcpus);
  Object.freeze(i.memory);
  for (const d of i.disks) Object.freeze(d);
  Object.freeze(i.disks);
  for (const n of i.nics) Object.freeze(n);
  Object.freeze(i.nics);
  if (i.process) {
    Object.freeze(i.process.vcpuTids);
    Object.freeze(i.process);
  }
  return Object.freeze(i);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function build(w: World, d: DomainRecord): DomainInfo {
  const host = w.host(d.host);
  const cur = d.live ?? d.config;
  const os = findOs(cur.os);
  const disks: DiskInfo[] = cur.disks.map((disk) => {
    const pv = poolVolume(disk.source);
    const vol = pv ? w.volume(pv.pool, pv.volume) : undefined;
    const info: DiskInfo = {
      target: disk.target,
      bus: disk.bus,
      device: disk.device,
      source: disk.source,
      format: vol?.format ?? (disk.source.endsWith('.qcow2') ? 'qcow2' : 'raw'),
      capacityBytes: vol?.capacityBytes ?? 0,
      allocationBytes: vol?.allocationBytes ?? 0,
    };
    if (pv) {
      info.pool = pv.pool;
      info.volume = pv.volume;
    }
    if (vol?.backing) info.backing = vol.backing;
    return info;
  });
  const nics: NicInfo[] = cur.nics.map((n, i) => {
    const net = n.type === 'network' ? w.network(n.network) : undefined;
    const info: NicInfo = { mac: n.mac, network: n.network, type: n.type, model: n.model };
    if (d.taps[i]) info.target = d.taps[i];
    // A running guest's address: static, or the DHCP lease it obtained while booting.
    const ip = n.ip ?? (d.live && w.s.guest ? leasedAddress(w, w.s.guest, d.host, n) : null);
    if (ip) info.ip = ip;
    if (net?.vlan !== undefined) info.vlan = net.vlan;
    return info;
  });
  const info: DomainInfo = {
    uuid: d.uuid,
    name: d.name,
    id: d.id,
    host: d.host,
    hypervisor: host.hypervisor,
    guestType: cur.guestType,
    state: d.state,
    reason: d.reason,
    persistent: d.persistent,
    autostart: d.autostart,
    managedSave: d.managedSave,
    isDom0: d.isDom0,
    os: cur.os,
    osName: os?.name ?? cur.os,
    arch: 'x86_64',
    machine: cur.machine,
    firmware: cur.firmware,
    vcpus: { current: cur.vcpus, max: cur.maxVcpus, configCurrent: d.config.vcpus, configMax: d.config.maxVcpus },
    memory: {
      currentKiB: cur.memoryKiB,
      maxKiB: cur.maxMemoryKiB,
      configCurrentKiB: d.config.memoryKiB,
      configMaxKiB: d.config.maxMemoryKiB,
    },
    onPoweroff: cur.onPoweroff,
    onReboot: cur.onReboot,
    onCrash: cur.onCrash,
    disks,
    nics,
    workload: cur.workload,
    startedAt: d.startedAt,
    cpuTimeNs: d.cpuTimeNs,
    cpuPercent: d.cpuPercent,
    memoryUsedKiB: d.memoryUsedKiB,
    bootedAt: d.bootedAt,
    rebooting: d.rebooting || d.pendingReboot,
  };
  if (d.process) info.process = { pid: d.process.pid, vcpuTids: [...d.process.vcpuTids], emulator: d.process.emulator };
  return info;
}
