// The facts a guest's boot log states, read from the world at power-on: the virtual hardware
// (vCPUs, memory, disks with their sizes, NICs with their MACs), the host CPU the vCPUs show,
// the hypervisor and guest type, and the DHCP lease each NIC obtains. Transcripts are pure
// functions of these facts, so what the log says is what the world holds.

import type { GuestType, Hypervisor } from '../../api/types';
import { findOs, type OsEntry } from './oscatalog';
import type { World } from '../world/world';
import type { DomainConfig, DomainRecord } from '../world/state';
import { addressOf, leaseFor, segmentOf, type Segment } from './net';
import type { GuestWorld } from './state';
import { formatIPv4 } from '../fixture/ipv4';

export interface DiskFact {
  target: string;
  bus: string;
  device: 'disk' | 'cdrom';
  bytes: number;
}

export interface NicFact {
  mac: string;
  model: string;
  /** Interface name inside the guest (enp1s0, eth0, vtnet0, xn0 …). */
  ifname: string;
  ip: string | null;
  prefix: number;
  gateway: string | null;
  /** The answering DHCP server, null for a static address or no DHCP. */
  server: string | null;
}

export interface BootFacts {
  name: string;
  os: OsEntry;
  hypervisor: Hypervisor;
  hypervisorVersion: string;
  guestType: GuestType;
  firmware: DomainConfig['firmware'];
  machine: string;
  vcpus: number;
  maxVcpus: number;
  memoryKiB: number;
  cpuModel: string;
  cpuVendor: 'intel' | 'amd';
  mhz: number;
  disks: DiskFact[];
  nics: NicFact[];
  /** ttyS0 (serial) or hvc0 (Xen PV console). */
  console: string;
}

export function consoleDevice(hypervisor: Hypervisor, type: GuestType, os: OsEntry): string {
  if (os.style === 'freebsd') return 'ttyu0';
  return hypervisor === 'xen' && type !== 'hvm' ? 'hvc0' : 'ttyS0';
}

export function ifName(os: OsEntry, hypervisor: Hypervisor, type: GuestType, model: string, i: number): string {
  if (os.style === 'freebsd') return model === 'netfront' ? `xn${i}` : model === 'virtio' ? `vtnet${i}` : `em${i}`;
  if (hypervisor === 'xen' || os.style === 'alpine' || os.style === 'cirros') return `eth${i}`;
  return `enp${i + 1}s0`;
}

function diskBytes(w: World, source: string): number {
  const slash = source.indexOf('/');
  if (slash > 0 && !source.startsWith('/')) return w.volume(source.slice(0, slash), source.slice(slash + 1))?.capacityBytes ?? 0;
  return 0;
}

/**
 * Gathers the facts. At boot (`allocate`) the NICs take their DHCP leases; later readers (ip addr,
 * ping) only look at the leases already held.
 */
export function gatherFacts(w: World, g: GuestWorld, d: DomainRecord, allocate = true): BootFacts {
  const cfg = d.live ?? d.config;
  const host = w.host(d.host);
  const driver = w.driver(host);
  const os = findOs(cfg.os)!;
  const hvType = cfg.guestType;
  const nics = cfg.nics.map((n, i): NicFact => {
    const seg: Segment | null = segmentOf(w, d.host, n);
    const ip = seg ? (allocate ? leaseFor(w, g, seg, n) : addressOf(g, seg, n)) : n.ip ?? null;
    return {
      mac: n.mac,
      model: n.model,
      ifname: ifName(os, host.hypervisor, hvType, n.model, i),
      ip,
      prefix: seg?.prefix ?? 24,
      gateway: seg ? formatIPv4(seg.gateway) : null,
      server: ip && !n.ip && seg?.dhcp ? formatIPv4(seg.gateway) : null,
    };
  });
  return {
    name: d.name,
    os,
    hypervisor: host.hypervisor,
    hypervisorVersion: driver.hypervisorVersion,
    guestType: hvType,
    firmware: cfg.firmware,
    machine: cfg.machine,
    vcpus: cfg.vcpus,
    maxVcpus: cfg.maxVcpus,
    memoryKiB: cfg.memoryKiB,
    cpuModel: host.cpu.model,
    cpuVendor: host.cpu.vendor,
    mhz: host.cpu.mhz,
    disks: cfg.disks.map((k) => ({ target: k.target, bus: k.bus, device: k.device, bytes: diskBytes(w, k.source) })),
    nics,
    console: consoleDevice(host.hypervisor, hvType, os),
  };
}
