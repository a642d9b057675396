// The management API that the TUI and the CLI use, and nothing else. Modelled on libvirt's
// virConnect/virDomain calls. All calls are synchronous over the in-process world; every
// mutating call validates fully, then applies (on error nothing changed) and emits one event.
// Lookups accept libvirt's domain references: ID, then UUID, then name; a Xen host's
// Domain-0 can be addressed as "HOST/Domain-0" when several Xen hosts exist.

import type { EventListener, Unsubscribe, WorldEvent } from './events';
import type { ConsoleOpenOptions, ConsoleSession } from './console';
import type { ConsoleState } from './types';
import type {
  ClockInfo,
  DomainDef,
  DomainInfo,
  DomainLoad,
  DomainSamples,
  HostInfo,
  ModifyFlags,
  NetworkInfo,
  NodeInfo,
  PoolInfo,
  VersionInfo,
  VolumeInfo,
  WorkloadProfile,
  VcpuInfo,
  SchedulerInfo,
  DomainStatsGroup,
  DomainStatsRecord,
  MemoryStat,
  NodeCpuStats,
  NodeMemoryStats,
  DomainCpuStats,
  VcpuHistory,
  HostCpuMap,
  FleetLoad,
} from './types';

export interface Connection {
  // ── connection ────────────────────────────────────────────────────────────
  /** e.g. "sim:///default" */
  uri(): string;
  /** virsh hostname: the name of the datacenter's first host (the "local" node). */
  hostname(): string;
  version(): VersionInfo;

  // ── reads (cheap snapshots) ──────────────────────────────────────────────
  listHosts(): HostInfo[];
  getHost(name: string): HostInfo;
  /** virsh nodeinfo; without a name, the first host. */
  nodeInfo(host?: string): NodeInfo;
  /**
   * All domains including Domain-0 of each Xen host, in virsh list order (active by id, then
   * inactive by name). sampled: false keeps the snapshots (and the array) across samples, so their
   * sampled figures may be older: a 20,000-domain list is not rebuilt every second — pair it with
   * domainSamples().
   */
  listDomains(opts?: { sampled?: boolean }): DomainInfo[];
  /** Every domain's CPU%, CPU time and memory in use as of the last sample. */
  domainSamples(): DomainSamples;
  /** Throws VIR_ERR_NO_DOMAIN ("Domain not found: no domain with matching name 'x'"). */
  lookupDomain(ref: string): DomainInfo;
  listNetworks(): NetworkInfo[];
  listPools(): PoolInfo[];
  listVolumes(pool: string): VolumeInfo[];
  clock(): ClockInfo;
  /** The last `limit` events, oldest first. */
  recentEvents(limit?: number): WorldEvent[];

  // ── domain lifecycle ─────────────────────────────────────────────────────
  defineDomain(def: DomainDef): DomainInfo;
  /** A running domain becomes transient; an inactive one is removed. */
  undefineDomain(ref: string, opts?: { managedSave?: boolean }): void;
  startDomain(ref: string): void;
  /** ACPI shutdown: the guest enters "in shutdown" and stops after some virtual time. */
  shutdownDomain(ref: string): void;
  destroyDomain(ref: string): void;
  rebootDomain(ref: string): void;
  resetDomain(ref: string): void;
  suspendDomain(ref: string): void;
  resumeDomain(ref: string): void;
  managedSave(ref: string): void;
  managedSaveRemove(ref: string): void;
  setAutostart(ref: string, on: boolean): void;
  setVcpus(ref: string, count: number, flags?: ModifyFlags): void;
  setMemory(ref: string, kib: number, flags?: ModifyFlags): void;
  setMaxMemory(ref: string, kib: number, flags?: ModifyFlags): void;
  renameDomain(ref: string, newName: string): void;
  setWorkload(ref: string, profile: WorkloadProfile): void;

  // ── compute (scheduling, per-vCPU load, memory) ────────────────────────────
  /** virsh vcpuinfo: one entry per current vCPU (live while active, the config when off). */
  vcpuInfo(ref: string): VcpuInfo[];
  /** virsh vcpupin query: a normalised cpulist per vCPU up to the maximum count. */
  vcpuPinInfo(ref: string, flags?: ModifyFlags): string[];
  /** virsh vcpupin set: cpulist like "0-3,^2" or "r" (every pCPU). Emits one domain.changed ('vcpupin'). */
  pinVcpu(ref: string, vcpu: number, cpulist: string, flags?: ModifyFlags): void;
  /** virsh emulatorpin query (KVM only). */
  emulatorPinInfo(ref: string, flags?: ModifyFlags): string;
  pinEmulator(ref: string, cpulist: string, flags?: ModifyFlags): void;
  /** virsh schedinfo: every parameter with its current value (defaults included). */
  schedulerInfo(ref: string, flags?: ModifyFlags): SchedulerInfo;
  /** virsh schedinfo --set: validates all, then applies all; emits one domain.changed ('schedinfo'). */
  setSchedulerParams(ref: string, params: Record<string, number>, flags?: ModifyFlags): void;
  /** virsh domstats: for the given domains (all when omitted), the requested groups (all when omitted). */
  domainStats(refs?: string[], groups?: DomainStatsGroup[]): DomainStatsRecord[];
  /** virsh dommemstat (running domains only). */
  memoryStats(ref: string): MemoryStat[];
  /** virsh nodecpustats: a host (the first one when omitted), one pCPU or all. */
  nodeCpuStats(opts?: { host?: string; cpu?: number }): NodeCpuStats;
  nodeMemoryStats(host?: string): NodeMemoryStats;
  /** virsh cpu-stats (running domains only). */
  cpuStats(ref: string): DomainCpuStats;
  /** Per-vCPU busy/steal history (last minutes, 1 s samples) of a running domain. */
  vcpuHistory(ref: string): VcpuHistory;
  /** A host's pCPUs: last-sample placement and utilisation, and per-pCPU history. */
  hostCpuMap(host: string): HostCpuMap;
  /** Current per-vCPU load of every running domain, grouped by host in world order (heatmap, virt-top). Same object until the next sample. */
  fleetLoad(): FleetLoad;
  /** One running domain's row of fleetLoad() (null while it is not scheduled), without building the fleet's 20,000. */
  domainLoad(ref: string): DomainLoad | null;

  // ── time ─────────────────────────────────────────────────────────────────
  pauseClock(): void;
  resumeClock(): void;
  /** 1…1000 */
  setClockSpeed(speed: number): void;
  /** Advance virtual time by exactly `ms`, whether or not the clock is paused. */
  advance(ms: number): void;
  /** Let `wallMs` of real time pass: advances speed × wallMs unless paused. */
  elapse(wallMs: number): void;

  // ── events ───────────────────────────────────────────────────────────────
  subscribe(listener: EventListener): Unsubscribe;

  // ── serial consoles ──────────────────────────────────────────────────────
  /**
   * virsh console: a headless terminal on the domain's serial console, replaying what the guest
   * wrote so far. Works for shut-off domains too (their last output; state().running is false).
   * Close it when done: only open consoles cost a terminal. Bad sizes → VIR_ERR_INVALID_ARG.
   */
  openConsole(ref: string, opts: ConsoleOpenOptions): ConsoleSession;
  consoleState(ref: string): ConsoleState;
}
