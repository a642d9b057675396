// The compute panes' reads of the Connection, cached per store version: the world only changes
// when the store publishes, so a cursor move re-reads just the newly selected domain and never
// the fleet (fleetLoad over 100,000 vCPUs is read once per published sample, then indexed, by
// the fleet screens only: the vCPU pane reads its one domain's row).
import type { Connection, DomainInfo, DomainLoad, FleetLoad, HostCpuMap, NodeMemoryStats, VcpuHistory } from '../../../engine/index';

export interface FleetIndex {
  load: FleetLoad;
  /** Rows by "host/domain" (Domain-0 repeats across Xen hosts). */
  byKey: Map<string, DomainLoad>;
  /** Rows per host, in world order. */
  byHost: Map<string, DomainLoad[]>;
}

export interface VcpuReads {
  /** Pinning per vCPU (normalised cpulists), config or live. */
  pins: string[];
  /** Per-vCPU history; null while the domain is not running. */
  history: VcpuHistory | null;
  /** The last sample's per-vCPU load; null while not scheduled (shut off, paused). */
  load: DomainLoad | null;
}

const EMPTY_FLEET: FleetLoad = { time: 0, rows: [] };

export const fleetKey = (host: string, domain: string) => `${host}/${domain}`;

export function indexFleet(load: FleetLoad): FleetIndex {
  const byKey = new Map<string, DomainLoad>();
  const byHost = new Map<string, DomainLoad[]>();
  for (const r of load.rows) {
    byKey.set(fleetKey(r.host, r.domain), r);
    let list = byHost.get(r.host);
    if (!list) byHost.set(r.host, (list = []));
    list.push(r);
  }
  return { load, byKey, byHost };
}

/** Never throws: a domain that vanished between publish and read simply has no data. */
function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

export class ComputeReads {
  private version = -1;
  private fleetIndex: FleetIndex | null = null;
  private lastIndex: FleetIndex | null = null;
  private vcpus = new Map<string, VcpuReads>();
  private maps = new Map<string, HostCpuMap | null>();
  private mems = new Map<string, NodeMemoryStats | null>();

  constructor(private readonly conn: Connection) {}

  private at(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.fleetIndex = null;
    this.vcpus.clear();
    this.maps.clear();
    this.mems.clear();
  }

  fleet(version: number): FleetIndex {
    this.at(version);
    if (!this.fleetIndex) {
      const load = attempt(() => this.conn.fleetLoad()) ?? EMPTY_FLEET;
      // fleetLoad() is the same object until the next sample: keep its index too.
      this.fleetIndex = this.lastIndex?.load === load ? this.lastIndex : indexFleet(load);
      this.lastIndex = this.fleetIndex;
    }
    return this.fleetIndex;
  }

  vcpu(version: number, d: DomainInfo): VcpuReads {
    this.at(version);
    let r = this.vcpus.get(d.uuid);
    if (!r) {
      const active = d.id !== null;
      r = {
        pins: attempt(() => this.conn.vcpuPinInfo(d.uuid, active ? {} : { config: true })) ?? [],
        history: active ? attempt(() => this.conn.vcpuHistory(d.uuid)) : null,
        load: active ? attempt(() => this.conn.domainLoad(d.uuid)) : null,
      };
      this.vcpus.set(d.uuid, r);
    }
    return r;
  }

  hostMap(version: number, host: string): HostCpuMap | null {
    this.at(version);
    if (!this.maps.has(host)) this.maps.set(host, attempt(() => this.conn.hostCpuMap(host)));
    return this.maps.get(host)!;
  }

  nodeMemory(version: number, host: string): NodeMemoryStats | null {
    this.at(version);
    if (!this.mems.has(host)) this.mems.set(host, attempt(() => this.conn.nodeMemoryStats(host)));
    return this.mems.get(host)!;
  }
}

const readsByStore = new WeakMap<object, ComputeReads>();

/** The one ComputeReads of a store (versions are the store's; all compute panes share the cache). */
export function computeReads(store: { readonly conn: Connection }): ComputeReads {
  let r = readsByStore.get(store);
  if (!r) readsByStore.set(store, (r = new ComputeReads(store.conn)));
  return r;
}
