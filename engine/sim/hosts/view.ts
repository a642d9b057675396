// Host, node, network, pool and volume snapshots from the world. Cached until something changes
// (counts and memory depend on domains, so any world change invalidates the host list).

import { VirError } from '../../api/errors';
import type { HostInfo, NetworkInfo, NodeInfo, PoolInfo, VolumeInfo } from '../../api/types';
import { poolVolume } from '../domains/admission';
import { driverFor } from '../hypervisors';
import { memoryPressure } from '../compute/memory';
import type { World } from '../world/world';

interface DomainCounts {
  all: number;
  running: number;
  runnable: number;
}

export class HostViews {
  private byName: { hosts: HostInfo[]; map: Map<string, HostInfo> } | null = null;
  private hosts: HostInfo[] | null = null;
  private hostsVersion = -1;
  private counts: Map<string, DomainCounts> | null = null;
  private countsVersion = -1;

  constructor(private w: World) {}

  reset(): void {
    this.hosts = null;
    this.counts = null;
  }

  all(): HostInfo[] {
    const w = this.w;
    if (this.hosts && this.hostsVersion === w.version) return this.hosts;
    const counts = this.domainCounts();
    const prev = new Map((this.hosts ?? []).map((h) => [h.name, h]));
    this.hosts = w.s.hosts.map((h) => {
      const c = counts.get(h.name)!;
      const committed = w.memUsed.get(h.name) ?? 0;
      const limit = w.memLimitKiB(h);
      const resident = h.memoryResidentKiB ?? committed;
      const info: HostInfo = {
        name: h.name,
        hypervisor: h.hypervisor,
        hypervisorVersion: driverFor(h.hypervisor).versionString,
        cpu: { ...h.cpu },
        pcpus: h.cpu.sockets * h.cpu.cores * h.cpu.threads,
        memoryKiB: h.memoryKiB,
        memoryUsedKiB: committed,
        memoryLimitKiB: limit,
        overcommitRatio: h.overcommit,
        cpuPercent: h.cpuPercent,
        memoryResidentKiB: resident,
        memoryCommitRatio: Math.round((committed / h.memoryKiB) * 1000) / 1000,
        memoryPressure: memoryPressure(resident, h.memoryKiB, committed, limit),
        interfaces: [...h.interfaces],
        domains: c.all,
        runningDomains: c.running,
        runnableVcpus: c.runnable,
      };
      const old = prev.get(h.name);
      return old && sameHost(old, info) ? old : info;
    });
    this.hostsVersion = w.version;
    return this.hosts;
  }

  /** Domains, running ones and runnable vCPUs per host: a walk of every domain, so kept across samples. */
  private domainCounts(): Map<string, DomainCounts> {
    const w = this.w;
    if (this.counts && this.countsVersion === w.shapeVersion) return this.counts;
    const counts = new Map<string, DomainCounts>();
    for (const h of w.s.hosts) counts.set(h.name, { all: 0, running: 0, runnable: 0 });
    for (const d of w.s.domains) {
      const c = counts.get(d.host);
      if (!c) continue;
      c.all++;
      if (d.id !== null) c.running++;
      if (d.state === 'running' || d.state === 'blocked') c.runnable += (d.live ?? d.config).vcpus;
    }
    this.counts = counts;
    this.countsVersion = w.shapeVersion;
    return counts;
  }

  get(name: string): HostInfo {
    const hosts = this.all();
    // An index per hosts array (a scan of 1,000 hosts took ~3 µs a lookup).
    if (this.byName?.hosts !== hosts) this.byName = { hosts, map: new Map(hosts.map((x) => [x.name, x])) };
    const h = this.byName.map.get(name);
    if (!h) throw VirError.of('VIR_ERR_NO_NODE', `no host with matching name '${name}'`);
    return h;
  }
}

function sameHost(a: HostInfo, b: HostInfo): boolean {
  return (
    a.memoryUsedKiB === b.memoryUsedKiB &&
    a.cpuPercent === b.cpuPercent &&
    a.memoryResidentKiB === b.memoryResidentKiB &&
    a.domains === b.domains &&
    a.runningDomains === b.runningDomains &&
    a.runnableVcpus === b.runnableVcpus &&
    a.memoryLimitKiB === b.memoryLimitKiB
  );
}

export function nodeInfo(w: World, name?: string): NodeInfo {
  const h = name === undefined ? w.s.hosts[0] : w.host(name);
  if (!h) throw VirError.of('VIR_ERR_NO_NODE', 'the world has no hosts');
  return {
    cpuModel: 'x86_64',
    cpus: h.cpu.sockets * h.cpu.cores * h.cpu.threads,
    mhz: h.cpu.mhz,
    numaCells: h.cpu.sockets,
    sockets: 1,
    cores: h.cpu.cores,
    threads: h.cpu.threads,
    memoryKiB: h.memoryKiB,
  };
}

export function listNetworks(w: World): NetworkInfo[] {
  const allHosts = w.s.hosts.map((h) => h.name);
  return [...w.s.networks]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((n) => {
      const info: NetworkInfo = {
        name: n.name,
        uuid: n.uuid,
        forward: n.forward,
        bridge: n.bridge,
        hosts: n.hosts.length ? [...n.hosts] : allHosts,
        active: n.active,
        autostart: n.autostart,
        persistent: true,
      };
      if (n.ip !== undefined) info.ip = n.ip;
      if (n.dhcp) info.dhcp = { ...n.dhcp };
      if (n.uplink !== undefined) info.uplink = n.uplink;
      if (n.vlan !== undefined) info.vlan = n.vlan;
      return info;
    });
}

export function listPools(w: World): PoolInfo[] {
  return [...w.s.pools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => {
      const allocation = p.volumes.reduce((sum, v) => sum + v.allocationBytes, 0);
      return {
        name: p.name,
        uuid: p.uuid,
        type: p.type,
        host: p.host,
        target: p.target,
        capacityBytes: p.capacityBytes,
        allocationBytes: allocation,
        availableBytes: Math.max(0, p.capacityBytes - allocation),
        active: p.active,
        autostart: p.autostart,
        persistent: true,
      };
    });
}

export function listVolumes(w: World, poolName: string): VolumeInfo[] {
  const pool = w.s.pools.find((p) => p.name === poolName);
  if (!pool) throw VirError.of('VIR_ERR_NO_STORAGE_POOL', `no storage pool with matching name '${poolName}'`);
  if (!pool.active) throw VirError.of('VIR_ERR_OPERATION_INVALID', `storage pool '${poolName}' is not active`);
  const users = new Map<string, Set<string>>();
  for (const d of w.s.domains) {
    for (const cfg of d.live ? [d.live, d.config] : [d.config]) {
      for (const disk of cfg.disks) {
        const pv = poolVolume(disk.source);
        if (!pv || pv.pool !== poolName) continue;
        if (!users.has(pv.volume)) users.set(pv.volume, new Set());
        users.get(pv.volume)!.add(d.name);
      }
    }
  }
  return [...pool.volumes]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => {
      const info: VolumeInfo = {
        name: v.name,
        pool: pool.name,
        path: `${pool.target.replace(/\/$/, '')}/${v.name}`,
        format: v.format,
        capacityBytes: v.capacityBytes,
        allocationBytes: v.allocationBytes,
        usedBy: [...(users.get(v.name) ?? [])].sort(),
      };
      if (v.backing !== undefined) info.backing = v.backing;
      return info;
    });
}
