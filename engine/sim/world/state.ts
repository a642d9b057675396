// The whole simulated world as plain JSON (SimState). The Simulation mutates this object in place;
// toState() is a deep copy of it and fromState() starts from a copy of one (adopt() and
// loadState() from the object itself), so everything that must survive a restart lives here and
// nothing here is derived (caches and indexes are rebuilt on load).

import type { WorldEvent } from '../../api/events';
import type {
  DiskInfo,
  DomainProcess,
  DomainState,
  GuestType,
  HostCpu,
  Hypervisor,
  LifecycleAction,
  NicInfo,
  WorkloadProfile,
} from '../../api/types';
import type { FixtureNetwork, FixturePool } from '../fixture/types';
import type { RngState } from '../rng';
import type { GuestWorld } from '../guest/state';

export const SIM_STATE_VERSION = 1;

/** A disk as defined (sizes come from the volume at read time). */
export interface DiskConfig {
  source: string;
  target: string;
  bus: DiskInfo['bus'];
  device: DiskInfo['device'];
}

export interface NicConfig {
  mac: string;
  network: string;
  type: NicInfo['type'];
  model: NicInfo['model'];
  ip?: string;
}

/** One domain definition: libvirt's def (live) or newDef (persistent, applied at next start). */
export interface DomainConfig {
  guestType: GuestType;
  os: string;
  vcpus: number;
  maxVcpus: number;
  memoryKiB: number;
  maxMemoryKiB: number;
  firmware: 'bios' | 'uefi' | 'pygrub' | 'direct';
  machine: string;
  onPoweroff: LifecycleAction;
  onReboot: LifecycleAction;
  onCrash: LifecycleAction;
  workload: WorkloadProfile;
  disks: DiskConfig[];
  nics: NicConfig[];
  // Compute tuning (engine/sim/compute/tuning.ts). Absent means the hypervisor's default. These
  // values are immutable: a change replaces the object, so the shallow copy cloneConfig makes
  // between config and live never shares a value that is later edited in place.
  /** Scheduler parameters that differ from the defaults, e.g. { cpu_shares: 2048 } or { weight: 512, cap: 50 }. */
  sched?: Readonly<Record<string, number>>;
  /** vCPU affinity by vCPU number as a normalised cpulist ("0-3,8"); a missing entry means every pCPU. */
  vcpuPin?: Readonly<Record<string, string>>;
  /** Emulator threads' affinity (KVM), a normalised cpulist; absent means every pCPU. */
  emulatorPin?: string;
}

/** Cumulative CPU accounting of one run of a domain (reset when it gets a new id). Nanoseconds. */
export interface DomainComputeState {
  /** The domain id of the run these counters belong to. */
  id: number;
  vcpuTimeNs: number[];
  /** Runnable but not running, for any reason (contention and cap throttling). */
  vcpuWaitNs: number[];
  /** Runnable but another thread ran: the guest's steal time. */
  vcpuDelayNs: number[];
  /** The pCPU each vCPU ran on most in the last sample. */
  vcpuCpu: number[];
  /** KVM emulator thread (Xen: 0), and the pCPU it ran on most. */
  emulatorTimeNs: number;
  emulatorCpu?: number;
  /** cpu-stats: time by pCPU number (sparse), all threads and vCPU threads only. */
  pcpuTimeNs: Record<string, number>;
  pcpuVcpuTimeNs: Record<string, number>;
}

/** Cumulative per-pCPU time of a host since it booted (nodecpustats), nanoseconds. */
export interface HostComputeState {
  userNs: number[];
  systemNs: number[];
  iowaitNs: number[];
}

export interface DomainRecord {
  uuid: string;
  name: string;
  host: string;
  isDom0: boolean;
  persistent: boolean;
  autostart: boolean;
  managedSave: boolean;
  /** The managed save image was taken while paused: start restores it paused (QEMU's was_running). */
  managedSavePaused?: boolean;
  /** Persistent definition (what the next start boots). For a transient domain, equal to live. */
  config: DomainConfig;
  /** Running definition while active (libvirt's live def), else null. */
  live: DomainConfig | null;
  state: DomainState;
  reason: string;
  id: number | null;
  startedAt: number | null;
  /** Virtual ms at which the guest OS reaches its login prompt (future while booting). */
  bootedAt: number | null;
  /** Guest is going down for a reboot (ACPI reboot accepted, reset pending). */
  rebooting: boolean;
  /** An ACPI reboot request arrived while paused; the guest sees it when resumed. */
  pendingReboot: boolean;
  /** Virtual ms when the domain was paused (the guest's own timeline stops meanwhile). */
  pausedAt: number | null;
  process: DomainProcess | null;
  /** Tap device per NIC while active. */
  taps: string[];
  /**
   * The last sample's figures. While the domain runs the scheduler holds them and writes them here
   * only when something reads (Scheduler.syncRecords, called by listDomains/lookupDomain/toState…
   * and each sample for guests with a console): engine code reading them must sync first.
   */
  cpuTimeNs: number;
  cpuPercent: number;
  memoryUsedKiB: number;
  /** Changes whenever pending timers of this domain must be forgotten (stop, reset, restart). */
  token: number;
  /** Per-vCPU and per-pCPU counters while active (written by the scheduler; absent when never sampled). */
  compute?: DomainComputeState;
  /** Bumped on every change; the read caches compare it. */
  rev: number;
  /** Load forced by the guest (stress): `vcpus` vCPUs fully busy until virtual ms `until`. */
  loadOverride?: { until: number; vcpus: number } | null;
}

export interface HostRecord {
  name: string;
  hypervisor: Hypervisor;
  cpu: HostCpu;
  memoryKiB: number;
  overcommit: number;
  interfaces: string[];
  dom0?: { vcpus: number; memoryKiB: number };
  /** Virtual ms when the host booted (before world start). */
  bootedAt: number;
  /** Next process id for qemu processes and their threads. */
  nextPid: number;
  /** Next vnetN index (libvirt ≥ 6.7 never reuses tap numbers). */
  nextTap: number;
  cpuPercent: number;
  /** Guest memory resident (what the guests touch) plus the host's own share, KiB, at the last sample. */
  memoryResidentKiB?: number;
  /** Per-pCPU counters (absent until the scheduler first samples the host). */
  compute?: HostComputeState;
  rev: number;
}

/** 'guest': something a guest does on time (engine/sim/guest: power-off, panic, end of a stress run). */
export type TimerKind = 'shutdown-complete' | 'reboot-reset' | 'guest';

export interface Timer {
  at: number;
  /** Tie-breaker: timers due at the same ms fire in creation order. */
  seq: number;
  kind: TimerKind;
  uuid: string;
  /** The domain's run token when armed; a timer whose token no longer matches is stale. */
  token: number;
}

export interface ClockState {
  now: number;
  speed: number;
  paused: boolean;
  /** Sub-millisecond remainder of elapse(), so many small elapses add up exactly. */
  carry: number;
}

export interface SimState {
  version: number;
  seed: number;
  /** Virtual ms of world creation. */
  start: number;
  clock: ClockState;
  /** The world stream: UUIDs and MACs of domains defined after load. */
  rng: RngState;
  nextDomainId: number;
  /** Incremented for every run of any domain; timers carry it to detect staleness. */
  nextToken: number;
  /** Last virtual ms (a multiple of 1000) at which statistics were sampled. */
  lastSampleAt: number;
  /** The instant that sample's demand was evaluated at (a step's start; older saves lack it). */
  lastDemandAt?: number;
  hosts: HostRecord[];
  /** In definition order; Domain-0 records first. */
  domains: DomainRecord[];
  networks: Array<FixtureNetwork & { uuid: string }>;
  pools: Array<FixturePool & { uuid: string }>;
  timers: Timer[];
  timerSeq: number;
  eventSeq: number;
  /** Bounded ring of recent events (clock 'advanced' excluded), oldest first. */
  events: WorldEvent[];
  /** Guest consoles, shells and DHCP leases (engine/sim/guest/state.ts); absent until first used. */
  guest?: GuestWorld;
}
