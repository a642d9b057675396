// Plain-data types returned by a Connection. Everything here is JSON-serialisable and immutable
// from the caller's point of view: a Connection hands out snapshots, never live engine objects.

export type Hypervisor = 'kvm' | 'xen';
/** Guest virtualization type: full (hvm), paravirtualized (pv), or PVH (Xen only). */
export type GuestType = 'hvm' | 'pv' | 'pvh';

/** libvirt's virDomainState names, as virsh prints them. */
export type DomainState =
  | 'running'
  | 'blocked'
  | 'paused'
  | 'in shutdown'
  | 'shut off'
  | 'crashed'
  | 'pmsuspended';

/** libvirt's reason strings as `virsh domstate --reason` prints them, e.g. "booted", "user", "destroyed". */
export type StateReason = string;

export type LifecycleAction =
  | 'destroy'
  | 'restart'
  | 'preserve'
  | 'rename-restart'
  | 'coredump-destroy'
  | 'coredump-restart';

export type WorkloadProfile = 'idle' | 'web' | 'database' | 'build' | 'cpu-burn' | 'bursty' | 'diurnal';

export interface HostCpu {
  model: string;
  vendor: 'intel' | 'amd';
  sockets: number;
  cores: number; // per socket
  threads: number; // per core
  mhz: number;
  /** Hardware virtualization extension present (vmx on Intel, svm on AMD). */
  hvm: boolean;
}

export interface HostInfo {
  name: string;
  hypervisor: Hypervisor;
  /** e.g. "QEMU 7.2.0" / "Xen 4.17" */
  hypervisorVersion: string;
  cpu: HostCpu;
  /** sockets × cores × threads */
  pcpus: number;
  memoryKiB: number;
  /** KiB in use by running guests (and Domain-0 on Xen) */
  memoryUsedKiB: number;
  /** Memory admission limit = memoryKiB × overcommit ratio (minus host reserve). */
  memoryLimitKiB: number;
  overcommitRatio: number;
  /** Host-wide CPU utilisation 0..100 over the last sample. */
  cpuPercent: number;
  /** Guest memory actually resident plus the host's own, KiB (≤ memoryKiB unless swapping). */
  memoryResidentKiB?: number;
  /** memoryUsedKiB / memoryKiB: how far the host's RAM is committed (above 1 = overcommitted). */
  memoryCommitRatio?: number;
  /** none / moderate / high / critical (critical: nothing more can start). */
  memoryPressure?: MemoryPressure;
  /** Physical NICs, e.g. ["eth0"] */
  interfaces: string[];
  domains: number; // count, including Domain-0
  runningDomains: number;
  /** vCPUs of the running domains, Domain-0 included: the numerator of the vCPU overcommit ratio. */
  runnableVcpus: number;
}

export interface DiskInfo {
  target: string; // vda, xvda, sda
  bus: 'virtio' | 'xen' | 'sata' | 'ide' | 'scsi';
  device: 'disk' | 'cdrom';
  /** "pool/volume" when backed by a storage volume, else a path */
  source: string;
  pool?: string;
  volume?: string;
  format: 'qcow2' | 'raw';
  capacityBytes: number;
  allocationBytes: number;
  backing?: string;
}

export interface NicInfo {
  mac: string;
  /** libvirt network name, or bridge name for type=bridge */
  network: string;
  type: 'network' | 'bridge';
  model: 'virtio' | 'e1000' | 'rtl8139' | 'netfront';
  /** tap device while running: vnetN (KVM) or vifID.N (Xen) */
  target?: string;
  ip?: string;
  vlan?: number;
}

export interface DomainProcess {
  /** KVM: the qemu-system-x86_64 pid; its vCPU threads follow. */
  pid: number;
  vcpuTids: number[];
  emulator: string;
}

/**
 * Every domain's sampled figures as of the last sample, read by the domain's snapshot: what a
 * listDomains({ sampled: false }) snapshot may hold older. A domain the samples do not know yet
 * (defined since) reads its snapshot's own figures. Same object until the next sample or change.
 */
export interface DomainSamples {
  cpuPercent(d: DomainInfo): number;
  cpuTimeNs(d: DomainInfo): number;
  memoryUsedKiB(d: DomainInfo): number;
}

export interface DomainInfo {
  uuid: string;
  name: string;
  /** null when inactive; Domain-0 is 0 */
  id: number | null;
  host: string;
  hypervisor: Hypervisor;
  guestType: GuestType;
  state: DomainState;
  reason: StateReason;
  persistent: boolean;
  autostart: boolean;
  managedSave: boolean;
  isDom0: boolean;
  /** OS catalogue id, e.g. "debian12" */
  os: string;
  osName: string;
  arch: 'x86_64';
  machine: string;
  firmware: 'bios' | 'uefi' | 'pygrub' | 'direct';
  vcpus: { current: number; max: number; configCurrent: number; configMax: number };
  memory: { currentKiB: number; maxKiB: number; configCurrentKiB: number; configMaxKiB: number };
  onPoweroff: LifecycleAction;
  onReboot: LifecycleAction;
  onCrash: LifecycleAction;
  disks: DiskInfo[];
  nics: NicInfo[];
  workload: WorkloadProfile;
  /** Virtual-clock ms when the current run started; null when inactive. */
  startedAt: number | null;
  /** Cumulative guest CPU time in nanoseconds (virtual). The three sampled figures (this, cpuPercent,
   *  memoryUsedKiB) are current in listDomains(); listDomains({ sampled: false }) may leave them
   *  older — read them from domainSamples() then. */
  cpuTimeNs: number;
  /** 0..100 × vCPUs (virt-top style: 200 = two vCPUs fully busy) — see cpuPercentOfHost for a 0..100 share. */
  cpuPercent: number;
  memoryUsedKiB: number;
  process?: DomainProcess;
  /** Virtual-clock ms when the guest OS reaches its login prompt (in the future while booting); null when inactive. */
  bootedAt?: number | null;
  /** An ACPI reboot is in progress (or queued while paused): the guest is going down to reset. */
  rebooting?: boolean;
}

export interface NetworkInfo {
  name: string;
  uuid: string;
  forward: 'nat' | 'route' | 'bridge' | 'isolated';
  bridge: string;
  /** e.g. "192.168.122.1/24" for nat/route/isolated */
  ip?: string;
  dhcp?: { start: string; end: string };
  /** Physical uplink for bridged networks, e.g. "eth0" or "eth0.10" */
  uplink?: string;
  vlan?: number;
  hosts: string[];
  active: boolean;
  autostart: boolean;
  persistent: boolean;
}

export interface PoolInfo {
  name: string;
  uuid: string;
  type: 'dir' | 'logical' | 'netfs' | 'iscsi' | 'rbd';
  host: string;
  target: string;
  capacityBytes: number;
  allocationBytes: number;
  availableBytes: number;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
}

export interface VolumeInfo {
  name: string;
  pool: string;
  path: string;
  format: 'qcow2' | 'raw';
  capacityBytes: number;
  allocationBytes: number;
  backing?: string;
  /** domain names using it */
  usedBy: string[];
}

/** virsh nodeinfo */
export interface NodeInfo {
  cpuModel: string;
  cpus: number;
  mhz: number;
  numaCells: number;
  sockets: number;
  cores: number;
  threads: number;
  memoryKiB: number;
}

export interface ClockInfo {
  /** Virtual epoch ms (UTC). */
  now: number;
  speed: number;
  paused: boolean;
  seed: number;
}

export interface VersionInfo {
  /** virtyard version, printed as "Compiled against library" / "Using library" */
  library: string;
  api: string;
  hypervisorName: string;
  hypervisorVersion: string;
}

/** Options for setvcpus / setmem and friends, as virsh's --live/--config/--current/--maximum. */
export interface ModifyFlags {
  live?: boolean;
  config?: boolean;
  maximum?: boolean;
}

/** A new domain definition (virsh define / the create wizard). Omitted fields take defaults. */
export interface DomainDef {
  name: string;
  uuid?: string;
  host: string;
  guestType?: GuestType;
  os?: string;
  vcpus?: number;
  maxVcpus?: number;
  memoryKiB?: number;
  maxMemoryKiB?: number;
  firmware?: DomainInfo['firmware'];
  machine?: string;
  onPoweroff?: LifecycleAction;
  onReboot?: LifecycleAction;
  onCrash?: LifecycleAction;
  workload?: WorkloadProfile;
  disks?: Array<Partial<DiskInfo> & { source: string }>;
  nics?: Array<{ network: string; mac?: string; model?: NicInfo['model']; type?: NicInfo['type'] }>;
}

// ── serial consoles ─────────────────────────────────────────────────────────

/** A terminal colour: the default, one of the 256 palette entries, or a 24-bit RGB value. */
export type TermColor = { kind: 'default' } | { kind: 'palette'; index: number } | { kind: 'rgb'; rgb: number };

/** A run of cells sharing one style. `text` is plain: never escape sequences or control bytes. */
export interface StyledRun {
  text: string;
  fg?: TermColor;
  bg?: TermColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** One visible row of a console, as runs (trailing default-styled blanks trimmed). */
export interface StyledLine {
  runs: StyledRun[];
}

/** What a console shows about its guest, without opening it. */
export interface ConsoleState {
  domain: string;
  /** The guest has a serial console at all (Windows Server without EMS has none). */
  available: boolean;
  /** The domain is running (its console takes input). */
  running: boolean;
  /** Console device the guest writes to: ttyS0 (serial) or hvc0 (Xen PV console). */
  device: string;
  /** Output recorded in the ring now, bytes; and the ring's bound. */
  recordedBytes: number;
  capacityBytes: number;
  /** Consoles currently open on this domain. */
  attached: number;
}

// ── compute: scheduling, per-vCPU load, memory, statistics ─────────────────────────────────────

/** How full a host's memory is: resident use against RAM and committed memory against the admission limit. */
export type MemoryPressure = 'none' | 'moderate' | 'high' | 'critical';

/** virVcpuState names as virsh prints them. */
export type VcpuState = 'offline' | 'running' | 'blocked';

/** One vCPU of a domain (virsh vcpuinfo plus the current load). */
export interface VcpuInfo {
  vcpu: number;
  /** pCPU it ran on most during the last sample; null when the domain is inactive. */
  cpu: number | null;
  /** null when the domain is inactive (virsh prints N/A). */
  state: VcpuState | null;
  cpuTimeNs: number;
  /** Runnable but not running (contention and cap throttling), ns. */
  waitNs: number;
  /** Runnable while another thread held the pCPU: steal time as the guest sees it, ns. */
  delayNs: number;
  /** pCPUs it may run on (its pinning), ascending. */
  affinity: number[];
  /** Host pCPU count (the width of virsh's y/- affinity map). */
  hostCpus: number;
  /** Last sample, fractions of one pCPU (0..1): what the guest wanted, what it got, what was stolen. */
  demand: number;
  busy: number;
  steal: number;
}

export type SchedulerParamType = 'int' | 'uint' | 'llong' | 'ullong';

export interface SchedulerParam {
  field: string;
  value: number;
  type: SchedulerParamType;
}

/** virsh schedinfo: KVM shares pCPUs like CFS ("posix"), Xen like its credit scheduler ("credit"). */
export interface SchedulerInfo {
  scheduler: 'posix' | 'credit';
  params: SchedulerParam[];
}

/** The stats groups of virsh domstats. */
export type DomainStatsGroup = 'state' | 'cpu-total' | 'balloon' | 'vcpu' | 'dirtyrate';

/** One domain's virsh domstats record: typed parameters in virsh's order. */
export interface DomainStatsRecord {
  name: string;
  uuid: string;
  params: Array<[string, number | string]>;
}

export interface MemoryStat {
  /** virsh dommemstat tag: actual, swap_in, …, rss */
  tag: string;
  value: number;
}

export interface NodeCpuTimes {
  userNs: number;
  systemNs: number;
  idleNs: number;
  iowaitNs: number;
}

/** virsh nodecpustats: cumulative times, and the split of the last sampled second (percent). */
export interface NodeCpuStats {
  host: string;
  /** null for the whole host */
  cpu: number | null;
  times: NodeCpuTimes;
  percent: { usage: number; user: number; system: number; idle: number; iowait: number };
}

/** virsh nodememstats, KiB. */
export interface NodeMemoryStats {
  host: string;
  totalKiB: number;
  freeKiB: number;
  buffersKiB: number;
  cachedKiB: number;
}

/** virsh cpu-stats: a domain's CPU time by host pCPU, and its total. */
export interface DomainCpuStats {
  perCpu: Array<{ cpu: number; cpuTimeNs: number; vcpuTimeNs: number }>;
  total: { cpuTimeNs: number; userTimeNs: number; systemTimeNs: number };
}

/** Recent history at a fixed interval, oldest first. A value is null where there was no sample. */
export interface HistoryWindow {
  intervalMs: number;
  /** Virtual time of each sample (same length as every series). */
  times: number[];
}

/** Per-vCPU history of a running domain: percent of one pCPU busy and stolen, and the domain's CPU%. */
export interface VcpuHistory extends HistoryWindow {
  domain: string;
  vcpus: Array<{ busy: Array<number | null>; steal: Array<number | null> }>;
  /** 0..100 × vCPUs, like DomainInfo.cpuPercent */
  cpuPercent: Array<number | null>;
}

/** One schedulable thread placed on a pCPU during the last sample. */
export interface PcpuOccupant {
  domain: string;
  /** vCPU number, or 'emulator' for a KVM guest's emulator thread */
  thread: number | 'emulator';
  /** Fraction of the pCPU (0..1). */
  share: number;
}

/** A host's pCPUs: the last sample's utilisation and occupants, and each pCPU's recent history (percent). */
export interface HostCpuMap extends HistoryWindow {
  host: string;
  pcpus: Array<{ cpu: number; utilisation: number; occupants: PcpuOccupant[]; history: Array<number | null> }>;
  /** Σ runnable vCPUs / pCPUs */
  vcpuOvercommit: number;
}

/** A running domain's current load: CPU% (100 per busy vCPU), Σ steal, and each vCPU's busy and steal (0..1 of a pCPU). */
export interface DomainLoad {
  domain: string;
  host: string;
  cpuPercent: number;
  stealPercent: number;
  busy: number[];
  steal: number[];
}

/** Fleet-wide current load for heatmaps and virt-top: one row per running domain, by host, in world order. */
export interface FleetLoad {
  time: number;
  rows: DomainLoad[];
}
