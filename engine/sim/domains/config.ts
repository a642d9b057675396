// Turning a DomainDef (define / wizard) or a FixtureDomain into a complete DomainConfig:
// defaults from the hypervisor's driver table, then full validation with libvirt-style errors.
// Nothing here touches the world; MACs come from the caller's generator.

import { VirError } from '../../api/errors';
import type { DomainDef, GuestType, LifecycleAction, WorkloadProfile } from '../../api/types';
import { findOs } from '../guest/oscatalog';
import type { HypervisorDriver } from '../hypervisors';
import type { DiskConfig, DomainConfig, HostRecord, NicConfig } from '../world/state';

const GUEST_TYPES: readonly GuestType[] = ['hvm', 'pv', 'pvh'];
const ACTIONS: readonly LifecycleAction[] = ['destroy', 'restart', 'preserve', 'rename-restart', 'coredump-destroy', 'coredump-restart'];
export const WORKLOADS: readonly WorkloadProfile[] = ['idle', 'web', 'database', 'build', 'cpu-burn', 'bursty', 'diurnal'];
const FIRMWARES = ['bios', 'uefi', 'pygrub', 'direct'] as const;
const BUSES = ['virtio', 'xen', 'sata', 'ide', 'scsi'] as const;
const NIC_MODELS = ['virtio', 'e1000', 'rtl8139', 'netfront'] as const;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const DEFAULT_MEMORY_KIB = 1024 * 1024;

/** Prefix of disk target names by bus: vda, xvda, sda, hda. */
const TARGET_PREFIX: Record<DiskConfig['bus'], string> = { virtio: 'vd', xen: 'xvd', sata: 'sd', scsi: 'sd', ide: 'hd' };

export interface ConfigInput {
  name: string;
  guestType?: GuestType;
  os?: string;
  vcpus?: number;
  maxVcpus?: number;
  memoryKiB?: number;
  maxMemoryKiB?: number;
  firmware?: DomainConfig['firmware'];
  machine?: string;
  onPoweroff?: LifecycleAction;
  onReboot?: LifecycleAction;
  onCrash?: LifecycleAction;
  workload?: WorkloadProfile;
  disks?: Array<{ source: string; target?: string; bus?: DiskConfig['bus']; device?: DiskConfig['device'] }>;
  nics?: Array<{ network: string; mac?: string; model?: NicConfig['model']; type?: NicConfig['type']; ip?: string }>;
}

function xml(detail: string): VirError {
  return VirError.of('VIR_ERR_XML_ERROR', detail);
}

function oneOf<T extends string>(what: string, v: T | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!allowed.includes(v)) throw xml(`invalid ${what} '${v}' (expected ${allowed.join(', ')})`);
  return v;
}

function positiveInt(what: string, v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw xml(`${what} of domain '${name}' must be a positive whole number, got ${v}`);
  return v;
}

export function validateName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw xml('domain name must not be empty');
  if (name.includes('/')) throw xml(`name ${name} cannot contain '/'`);
  if (name === 'Domain-0') {
    throw VirError.of('VIR_ERR_OPERATION_INVALID', "domain name 'Domain-0' is reserved for the Xen control domain");
  }
}

/** Builds and validates a full config. `mac()` supplies a MAC for a NIC that has none. */
export function buildConfig(input: ConfigInput, host: HostRecord, driver: HypervisorDriver, mac: (nic: number) => string): DomainConfig {
  const name = input.name;
  const guestType = oneOf('guest type', input.guestType, GUEST_TYPES, 'hvm');
  const osId = input.os ?? 'debian12';
  if (!findOs(osId)) throw VirError.of('VIR_ERR_CONFIG_UNSUPPORTED', `unknown OS '${osId}' for domain '${name}'`);

  const vcpus = positiveInt('vCPU count', input.vcpus ?? 1, name);
  const maxVcpus = positiveInt('maximum vCPU count', input.maxVcpus ?? Math.max(vcpus, input.vcpus ?? 1), name);
  if (vcpus > maxVcpus) throw VirError.of('VIR_ERR_INVALID_ARG', `requested cpu amount exceeds maximum (${vcpus} > ${maxVcpus})`);
  const memoryKiB = positiveInt('memory', input.memoryKiB ?? Math.min(DEFAULT_MEMORY_KIB, input.maxMemoryKiB ?? DEFAULT_MEMORY_KIB), name);
  const maxMemoryKiB = positiveInt('maximum memory', input.maxMemoryKiB ?? memoryKiB, name);
  if (memoryKiB > maxMemoryKiB) throw VirError.of('VIR_ERR_INVALID_ARG', 'cannot set memory higher than max memory');

  const disks: DiskConfig[] = [];
  const used = new Set<string>();
  for (const d of input.disks ?? []) {
    if (!d || typeof d.source !== 'string' || d.source === '') throw xml(`disk of domain '${name}' has no source`);
    const device = oneOf('disk device', d.device, ['disk', 'cdrom'], 'disk');
    const bus = oneOf('disk bus', d.bus, BUSES, device === 'cdrom' && driver.name === 'kvm' ? 'sata' : driver.defaultDiskBus);
    let target = d.target;
    if (target === undefined) {
      const prefix = TARGET_PREFIX[bus];
      for (let i = 0; target === undefined || used.has(target); i++) target = prefix + String.fromCharCode(97 + i);
    }
    if (used.has(target)) throw xml(`target '${target}' duplicated for disk sources in domain '${name}'`);
    used.add(target);
    disks.push({ source: d.source, target, bus, device });
  }

  const nics: NicConfig[] = (input.nics ?? []).map((n, i) => {
    if (!n || typeof n.network !== 'string' || n.network === '') throw xml(`interface ${i} of domain '${name}' has no network`);
    if (n.mac !== undefined && !MAC_RE.test(n.mac)) throw xml(`unable to parse mac address '${n.mac}'`);
    const nic: NicConfig = {
      mac: (n.mac ?? mac(i)).toLowerCase(),
      network: n.network,
      type: oneOf('interface type', n.type, ['network', 'bridge'], 'network'),
      model: oneOf('interface model', n.model, NIC_MODELS, driver.defaultNicModel),
    };
    if (n.ip !== undefined) nic.ip = n.ip;
    return nic;
  });

  const config: DomainConfig = {
    guestType,
    os: osId,
    vcpus,
    maxVcpus,
    memoryKiB,
    maxMemoryKiB,
    firmware: oneOf('firmware', input.firmware, FIRMWARES, driver.defaultFirmware(guestType)),
    machine: input.machine ?? driver.defaultMachine(guestType),
    onPoweroff: oneOf('on_poweroff action', input.onPoweroff, ACTIONS, 'destroy'),
    onReboot: oneOf('on_reboot action', input.onReboot, ACTIONS, 'restart'),
    onCrash: oneOf('on_crash action', input.onCrash, ACTIONS, 'destroy'),
    workload: oneOf('workload', input.workload, WORKLOADS, 'idle'),
    disks,
    nics,
  };
  const refused = driver.checkDefine(host, name, config);
  if (refused) throw refused;
  return config;
}

export function configInputFromDef(def: DomainDef): ConfigInput {
  return { ...def, disks: def.disks?.map((d) => ({ source: d.source, target: d.target, bus: d.bus, device: d.device })) };
}

export function cloneConfig(c: DomainConfig): DomainConfig {
  return { ...c, disks: c.disks.map((d) => ({ ...d })), nics: c.nics.map((n) => ({ ...n })) };
}
