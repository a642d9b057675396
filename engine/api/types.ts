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
  /** Physical NICs, e.g. ["eth0"] */
  interfaces: string[];
  domains: number; // count, including Domain-0
  runningDomains: number;
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
  /** Cumulative guest CPU time in nanoseconds (virtual). */
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
