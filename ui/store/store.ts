// The UI's one view of the world: ONE subscription to the connection's events, coalesced into a
// version bump (~50 ms) so a burst of events (a clock tick touching thousands of domains) costs one
// re-render. Each version has one immutable snapshot; panes select their slice of it through
// useSyncExternalStore. The domain list is the unsampled one: it keeps its identity across samples
// (a sample changes only `samples`), so memoized sorting/filtering downstream is skipped and a
// 20,000-domain world does not rebuild 20,000 snapshots a second.
import type { ClockInfo, Connection, DomainInfo, DomainSamples, HostInfo, WorldEvent } from '../../engine/index';

export interface Snapshot {
  version: number;
  uri: string;
  /** Their sampled figures (CPU%, CPU time, memory used) may be old: read those from `samples`. */
  domains: DomainInfo[];
  samples: DomainSamples;
  hosts: HostInfo[];
  clock: ClockInfo;
  /** Recent events, oldest first (the engine's ring excludes clock 'advanced' ticks). */
  events: WorldEvent[];
}

export interface StoreOptions {
  coalesceMs?: number;
  /** How many recent events the event line may show. */
  eventLimit?: number;
}

export class UiStore {
  private snapshot: Snapshot;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private readonly coalesceMs: number;
  private readonly eventLimit: number;

  constructor(readonly conn: Connection, opts: StoreOptions = {}) {
    this.coalesceMs = opts.coalesceMs ?? 50;
    this.eventLimit = opts.eventLimit ?? 20;
    this.snapshot = this.read(0);
    this.unsubscribe = conn.subscribe(() => this.schedule());
  }

  private hostIndex: { hosts: HostInfo[] | null; byName: Map<string, HostInfo> } = { hosts: null, byName: new Map() };

  /** The current snapshot's host of that name (an index per hosts array: 1,000 hosts, many asks a frame). */
  hostNamed(name: string): HostInfo | null {
    const { hosts } = this.snapshot;
    if (this.hostIndex.hosts !== hosts) this.hostIndex = { hosts, byName: new Map(hosts.map((h) => [h.name, h])) };
    return this.hostIndex.byName.get(name) ?? null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** True while events arrived that the snapshot does not show yet. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Publishes pending changes now (after a command the user is waiting for, and in tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.snapshot = this.read(this.snapshot.version + 1);
    for (const l of [...this.listeners]) l();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.coalesceMs);
  }

  private read(version: number): Snapshot {
    const c = this.conn;
    return {
      version,
      uri: c.uri(),
      domains: c.listDomains({ sampled: false }),
      samples: c.domainSamples(),
      hosts: c.listHosts(),
      clock: c.clock(),
      events: c.recentEvents(this.eventLimit),
    };
  }
}
