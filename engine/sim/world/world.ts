// The live world: SimState plus the derived indexes every operation needs (by uuid, name, id,
// host) and per-host memory in use, kept incrementally so a start in a 20,000-domain world does
// not scan the world. Everything derived is rebuilt by reindex() after a load.

import { VirError } from '../../api/errors';
import { EventBus } from '../events';
import { driverFor, type HypervisorDriver } from '../hypervisors';
import type { FixtureVolume } from '../fixture/types';
import type { DomainRecord, HostRecord, SimState } from './state';

type PoolRec = SimState['pools'][number];
type NetRec = SimState['networks'][number];

export class World {
  s: SimState;
  readonly bus: EventBus;
  readonly byUuid = new Map<string, DomainRecord>();
  /** domU names (unique in the world); Domain-0 records are found through dom0ByHost. */
  readonly byName = new Map<string, DomainRecord>();
  readonly byId = new Map<number, DomainRecord>();
  readonly dom0ByHost = new Map<string, DomainRecord>();
  readonly hostByName = new Map<string, HostRecord>();
  /** KiB of guest memory held by active domains (Domain-0 included), per host. */
  readonly memUsed = new Map<string, number>();
  /** Bumped on any change a read cache depends on. */
  version = 0;
  /** Bumped on any change but a sample's figures (those only bump version). */
  shapeVersion = 0;
  /** Bumped when list order can change (ids, states, names, membership). */
  orderVersion = 0;
  /** Called just before an active domain's run ends (the guest side records its last output). */
  beforeStop: ((d: DomainRecord) => void) | null = null;

  constructor(state: SimState) {
    this.s = state;
    this.bus = new EventBus(() => this.s);
    this.reindex();
  }

  /** Adopt another state in place (persistence reload); listeners stay subscribed. */
  replace(state: SimState): void {
    this.s = state;
    this.reindex();
  }

  reindex(): void {
    this.byUuid.clear();
    this.byName.clear();
    this.byId.clear();
    this.dom0ByHost.clear();
    this.hostByName.clear();
    this.memUsed.clear();
    for (const h of this.s.hosts) {
      this.hostByName.set(h.name, h);
      this.memUsed.set(h.name, 0);
    }
    for (const d of this.s.domains) this.index(d);
    this.changed(true);
  }

  private index(d: DomainRecord): void {
    this.byUuid.set(d.uuid, d);
    if (d.isDom0) this.dom0ByHost.set(d.host, d);
    else this.byName.set(d.name, d);
    if (d.id !== null && !d.isDom0) this.byId.set(d.id, d);
    if (d.live) this.memUsed.set(d.host, (this.memUsed.get(d.host) ?? 0) + d.live.memoryKiB);
  }

  private poolIndex: { pools: PoolRec[]; count: number; byName: Map<string, PoolRec> } | null = null;
  private volIndex = new WeakMap<FixtureVolume[], { count: number; byName: Map<string, FixtureVolume> }>();
  private netIndex: { nets: NetRec[]; count: number; byName: Map<string, NetRec> } | null = null;

  // Storage and network lookups are indexed lazily; an index is rebuilt when its list changes
  // identity or length, so code that adds pools or volumes needs no extra bookkeeping.

  pool(name: string): PoolRec | undefined {
    const pools = this.s.pools;
    if (!this.poolIndex || this.poolIndex.pools !== pools || this.poolIndex.count !== pools.length) {
      this.poolIndex = { pools, count: pools.length, byName: new Map(pools.map((p) => [p.name, p])) };
    }
    return this.poolIndex.byName.get(name);
  }

  volume(pool: string, name: string): FixtureVolume | undefined {
    const vols = this.pool(pool)?.volumes;
    if (!vols) return undefined;
    let ix = this.volIndex.get(vols);
    if (!ix || ix.count !== vols.length) {
      ix = { count: vols.length, byName: new Map(vols.map((v) => [v.name, v])) };
      this.volIndex.set(vols, ix);
    }
    return ix.byName.get(name);
  }

  network(name: string): NetRec | undefined {
    const nets = this.s.networks;
    if (!this.netIndex || this.netIndex.nets !== nets || this.netIndex.count !== nets.length) {
      this.netIndex = { nets, count: nets.length, byName: new Map(nets.map((n) => [n.name, n])) };
    }
    return this.netIndex.byName.get(name);
  }

  get now(): number {
    return this.s.clock.now;
  }

  host(name: string): HostRecord {
    const h = this.hostByName.get(name);
    if (!h) throw VirError.of('VIR_ERR_NO_NODE', `no host with matching name '${name}'`);
    return h;
  }

  driver(d: DomainRecord | HostRecord): HypervisorDriver {
    return driverFor('hypervisor' in d ? d.hypervisor : this.host(d.host).hypervisor);
  }

  /** Record that a domain changed (read caches rebuild it); `order` when its list position may move. */
  touch(d: DomainRecord, order = false): void {
    d.rev++;
    this.changed(order);
  }

  /** Any change but a sample's figures (the scheduler bumps `version` alone for those). */
  private changed(order: boolean): void {
    this.version++;
    this.shapeVersion++;
    if (order) this.orderVersion++;
  }

  addDomain(d: DomainRecord): void {
    this.s.domains.push(d);
    this.index(d);
    this.changed(true);
  }

  removeDomain(d: DomainRecord): void {
    const i = this.s.domains.indexOf(d);
    if (i >= 0) this.s.domains.splice(i, 1);
    this.byUuid.delete(d.uuid);
    if (this.byName.get(d.name) === d) this.byName.delete(d.name);
    if (d.id !== null) this.byId.delete(d.id);
    this.changed(true);
  }

  rename(d: DomainRecord, name: string): void {
    this.byName.delete(d.name);
    d.name = name;
    this.byName.set(name, d);
    this.touch(d, true);
  }

  setId(d: DomainRecord, id: number | null): void {
    if (d.id !== null) this.byId.delete(d.id);
    d.id = id;
    if (id !== null) this.byId.set(id, d);
  }

  /** Keep per-host memory accounting in step with a change of live memory. */
  adjustMem(host: string, deltaKiB: number): void {
    this.memUsed.set(host, (this.memUsed.get(host) ?? 0) + deltaKiB);
  }

  /** Admission limit of a host: memory × overcommit, minus what the host keeps for itself. */
  memLimitKiB(h: HostRecord): number {
    return Math.floor(h.memoryKiB * h.overcommit) - driverFor(h.hypervisor).hostReserveKiB(h);
  }

  memFreeKiB(h: HostRecord): number {
    return this.memLimitKiB(h) - (this.memUsed.get(h.name) ?? 0);
  }
}
