// The guest's view of its networks: which L2 segment each NIC sits on, the subnet and gateway
// there, DHCP leases, and a reachability rule for ping.
//
// Segments. A libvirt NAT/routed/isolated network is one bridge per host (virbr0 on kvm-01 and
// virbr0 on kvm-02 share a subnet but not a wire): segment "NET@HOST". Bridged networks put the
// guest on the physical LAN behind the host's uplink; every host's uplink is on the same switch,
// so the segment is the VLAN: "lan" (untagged, 192.168.1.0/24) or "lan.N" (172.16.N.0/24 style).
// The LAN's router is .1 and its DHCP server hands out .100–.249.
//
// Reachability (ping): an address on one of the guest's own segments answers when it is the
// gateway or a running guest holding that lease on the SAME segment (a VLAN isolates at L2).
// Anything else goes through the default route of the first NIC whose segment leads outward
// (NAT, routed, LAN): public addresses answer; through NAT so do running guests bridged on the
// host's untagged LAN (nothing reaches into a NAT network from outside, and VLANs are not routed
// to each other). Isolated networks have no default route: "Network is unreachable".

import { formatIPv4, parseCidr, parseIPv4 } from '../fixture/ipv4';
import { hash32 } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord, NicConfig } from '../world/state';
import type { GuestWorld } from './state';

export interface Segment {
  key: string;
  /** network (prefix) address, prefix length, gateway */
  network: number;
  prefix: number;
  gateway: number;
  dhcp: { start: number; end: number } | null;
  outward: boolean;
  lan: boolean;
}

const lanKey = (vlan: number | undefined) => (vlan === undefined ? 'lan' : `lan.${vlan}`);

function lanSegment(vlan: number | undefined): Segment {
  const network = vlan === undefined ? parseIPv4('192.168.1.0')! : parseIPv4(`172.${16 + (vlan >> 8)}.${vlan & 255}.0`)!;
  return {
    key: lanKey(vlan), network, prefix: 24, gateway: network + 1,
    dhcp: { start: network + 100, end: network + 249 }, outward: true, lan: true,
  };
}

function networkOf(w: World, nic: NicConfig) {
  return nic.type === 'network' ? w.network(nic.network) : w.s.networks.find((n) => n.bridge === nic.network);
}

export function segmentOf(w: World, host: string, nic: NicConfig): Segment | null {
  const net = networkOf(w, nic);
  if (nic.type === 'bridge' && !net) return lanSegment(undefined);
  if (!net) return null;
  if (net.forward === 'bridge') return lanSegment(net.vlan);
  const cidr = net.ip ? parseCidr(net.ip) : undefined;
  if (!cidr) return null;
  const dhcp = net.dhcp ? { start: parseIPv4(net.dhcp.start)!, end: parseIPv4(net.dhcp.end)! } : null;
  return {
    key: `${net.name}@${host}`, network: cidr.network, prefix: cidr.prefix, gateway: cidr.address,
    dhcp, outward: net.forward !== 'isolated', lan: false,
  };
}

/** The lease a NIC holds, found by its segment's key alone (no parsing: domain views call it per NIC). */
export function leasedAddress(w: World, g: GuestWorld, host: string, nic: NicConfig): string | null {
  const net = networkOf(w, nic);
  const key = !net ? (nic.type === 'bridge' ? lanKey(undefined) : null) : net.forward === 'bridge' ? lanKey(net.vlan) : `${net.name}@${host}`;
  return key === null ? null : g.leases[key]?.[nic.mac] ?? null;
}

export function inSegment(seg: Segment, ip: number): boolean {
  const mask = seg.prefix === 0 ? 0 : (0xffffffff << (32 - seg.prefix)) >>> 0;
  return ((ip & mask) >>> 0) === seg.network;
}

/** The NIC's address: a static one from the definition, else a DHCP lease (allocated once, remembered). */
export function leaseFor(w: World, g: GuestWorld, seg: Segment, nic: NicConfig): string | null {
  if (nic.ip) return nic.ip;
  if (!seg.dhcp) return null;
  const table = (g.leases[seg.key] ??= {});
  const known = table[nic.mac];
  if (known) return known;
  const size = seg.dhcp.end - seg.dhcp.start + 1;
  if (size <= 0) return null;
  const taken = new Set(Object.values(table));
  const first = hash32(nic.mac, w.s.seed) % size;
  for (let i = 0; i < size; i++) {
    const ip = formatIPv4(seg.dhcp.start + ((first + i) % size));
    if (!taken.has(ip)) {
      table[nic.mac] = ip;
      return ip;
    }
  }
  return null; // the pool is exhausted: no DHCPOFFER
}

/** A NIC's address as the guest currently holds it (no allocation). */
export function addressOf(g: GuestWorld, seg: Segment | null, nic: NicConfig): string | null {
  if (nic.ip) return nic.ip;
  return seg ? g.leases[seg.key]?.[nic.mac] ?? null : null;
}

const PRIVATE: Array<[string, number]> = [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['127.0.0.0', 8], ['169.254.0.0', 16], ['0.0.0.0', 8], ['224.0.0.0', 3]];

export function isPublic(ip: number): boolean {
  return !PRIVATE.some(([n, p]) => ((ip & ((0xffffffff << (32 - p)) >>> 0)) >>> 0) === parseIPv4(n));
}

export type PingVerdict =
  | { ok: true; kind: 'self' | 'local' | 'remote'; rttBaseMs: number }
  | { ok: false; error: 'unreachable-net' }
  | { ok: false; error: 'host-unreachable'; from: string }
  | { ok: false; error: 'timeout' };

/** Is `ip` held by a running guest on segment `key`? */
function runningHolder(w: World, g: GuestWorld, key: string, ip: string, except: DomainRecord): boolean {
  const table = g.leases[key];
  if (!table) return false;
  for (const d of w.s.domains) {
    if (d === except || !d.live || d.state !== 'running') continue;
    for (const n of d.live.nics) {
      const seg = segmentOf(w, d.host, n);
      if (seg?.key === key && addressOf(g, seg, n) === ip && (d.bootedAt ?? 0) <= w.now) return true;
    }
  }
  return false;
}

export function ping(w: World, g: GuestWorld, d: DomainRecord, target: string): PingVerdict {
  const ip = parseIPv4(target)!;
  if ((ip >>> 24) === 127) return { ok: true, kind: 'self', rttBaseMs: 0.03 };
  const nics = (d.live?.nics ?? []).map((n) => ({ n, seg: segmentOf(w, d.host, n) }));
  const own = nics.map(({ n, seg }) => ({ seg, addr: addressOf(g, seg, n) })).filter((x) => x.seg && x.addr) as Array<{ seg: Segment; addr: string }>;
  if (own.some((x) => x.addr === target)) return { ok: true, kind: 'self', rttBaseMs: 0.03 };
  for (const { seg, addr } of own) {
    if (!inSegment(seg, ip)) continue;
    if (ip === seg.gateway) return { ok: true, kind: 'local', rttBaseMs: 0.15 };
    if (runningHolder(w, g, seg.key, target, d)) return { ok: true, kind: 'local', rttBaseMs: 0.35 };
    return { ok: false, error: 'host-unreachable', from: addr };
  }
  const route = own.find((x) => x.seg.outward);
  if (!route) return { ok: false, error: 'unreachable-net' };
  if (isPublic(ip)) return { ok: true, kind: 'remote', rttBaseMs: 11 };
  // NAT leaves through the host's own (untagged) LAN, so it reaches guests bridged there. VLANs
  // are not routed to each other or to the LAN: nothing here models an inter-VLAN router.
  if (!route.seg.lan && runningHolder(w, g, 'lan', target, d)) return { ok: true, kind: 'local', rttBaseMs: 0.6 };
  return { ok: false, error: 'timeout' };
}

/** Name resolution the guest's resolver (dnsmasq/the LAN's DNS) offers: guests by name, public names. */
export function resolve(w: World, g: GuestWorld, d: DomainRecord, name: string): string | null {
  if (parseIPv4(name) !== undefined) return name;
  if (name === 'localhost') return '127.0.0.1';
  if (name === d.name) return '127.0.1.1';
  const other = w.byName.get(name);
  if (other) {
    const cfg = other.live ?? other.config;
    for (const n of cfg.nics) {
      const a = addressOf(g, segmentOf(w, other.host, n), n);
      if (a) return a;
    }
    return null;
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(name)) {
    const h = hash32(name.toLowerCase(), 0);
    return formatIPv4(((93 << 24) | (184 << 16) | (h & 0xffff)) >>> 0);
  }
  return null;
}
