// Worlds for guest/console tests: a KVM host and a Xen host, a NAT network, an isolated lab
// network with DHCP, a bridged LAN and a VLAN, pools on both hosts.
import type { FixtureDomain, FixtureWorld } from '../../../engine/sim/fixture/types';
import { createSimulation, type Simulation } from '../../../engine/sim';
import type { StyledLine } from '../../../engine/api/types';

export const GiB = 1024 * 1024; // KiB
export const START = Date.UTC(2026, 0, 15, 9, 0, 0);

export function dom(name: string, host: string, over: Partial<FixtureDomain> = {}): FixtureDomain {
  const xen = host.startsWith('xen');
  return {
    name, host, type: 'hvm', os: 'debian12', vcpus: 2, maxVcpus: 4, memoryKiB: 2 * GiB, maxMemoryKiB: 4 * GiB,
    state: 'shut off', autostart: false, persistent: true, onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy',
    workload: 'idle',
    disks: [{ source: `${xen ? 'xenpool' : 'default'}/${name}.qcow2` }],
    nics: [{ network: xen ? 'xenbr0' : 'default', type: 'network' }],
    ...over,
  };
}

export function guestWorld(domains: FixtureDomain[], seed = 7): FixtureWorld {
  const vols = (host: string) =>
    domains.filter((d) => d.host === host).map((d) => ({ name: `${d.name}.qcow2`, format: 'qcow2' as const, capacityBytes: 20 * 2 ** 30, allocationBytes: 2 * 2 ** 30 }));
  return {
    seed,
    start: START,
    hosts: [
      { name: 'kvm1', hypervisor: 'kvm', cpu: { model: 'Intel Xeon Gold 6338', vendor: 'intel', sockets: 1, cores: 8, threads: 2, mhz: 2000, hvm: true }, memoryKiB: 64 * GiB, overcommit: 1, interfaces: ['eth0'] },
      { name: 'xen1', hypervisor: 'xen', cpu: { model: 'AMD EPYC 7302', vendor: 'amd', sockets: 1, cores: 8, threads: 1, mhz: 3000, hvm: true }, memoryKiB: 64 * GiB, overcommit: 1, interfaces: ['eth0'], dom0: { vcpus: 2, memoryKiB: 2 * GiB } },
    ],
    networks: [
      { name: 'default', forward: 'nat', bridge: 'virbr0', ip: '192.168.122.1/24', dhcp: { start: '192.168.122.2', end: '192.168.122.254' }, hosts: ['kvm1'], autostart: true, active: true },
      { name: 'lab', forward: 'isolated', bridge: 'virbr1', ip: '10.0.10.1/24', dhcp: { start: '10.0.10.100', end: '10.0.10.199' }, hosts: ['kvm1'], autostart: true, active: true },
      { name: 'br0', forward: 'bridge', bridge: 'br0', uplink: 'eth0', hosts: ['kvm1'], autostart: true, active: true },
      { name: 'vlan10', forward: 'bridge', bridge: 'brvlan10', uplink: 'eth0.10', vlan: 10, hosts: ['kvm1'], autostart: true, active: true },
      { name: 'xenbr0', forward: 'bridge', bridge: 'xenbr0', uplink: 'eth0', hosts: ['xen1'], autostart: true, active: true },
    ],
    pools: [
      { name: 'default', type: 'dir', host: 'kvm1', target: '/var/lib/libvirt/images', capacityBytes: 500 * 2 ** 30, autostart: true, active: true, volumes: vols('kvm1') },
      { name: 'xenpool', type: 'dir', host: 'xen1', target: '/var/lib/xen/images', capacityBytes: 500 * 2 ** 30, autostart: true, active: true, volumes: vols('xen1') },
    ],
    domains,
  };
}

export function guestSim(domains: FixtureDomain[], seed = 7): Simulation {
  return createSimulation(guestWorld(domains, seed), { uri: 'sim:///test' });
}

/** Everything the console ever received, as plain text (escape sequences removed). */
export function ringText(sim: Simulation, name: string): string {
  const d = sim.world.byName.get(name)!;
  sim.consoleState(name); // catches the console up to now
  const raw = sim.world.s.guest!.consoles[d.uuid].ring.data;
  // eslint-disable-next-line no-control-regex
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '').replace(/\r/g, '');
}

export function text(lines: StyledLine[]): string {
  return lines.map((l) => l.runs.map((r) => r.text).join('')).join('\n').replace(/\n+$/, '');
}

/** Start a domain and let it reach its login prompt. */
export function boot(sim: Simulation, name: string): void {
  sim.startDomain(name);
  const d = sim.lookupDomain(name);
  sim.advance(Math.max(0, (d.bootedAt ?? 0) - sim.clock().now));
}

/** Start, boot and log in as root/virtyard on a console of the given size. */
export function login(sim: Simulation, name: string, cols = 120, rows = 40) {
  boot(sim, name);
  const c = sim.openConsole(name, { cols, rows });
  c.write('root\r');
  c.write('virtyard\r');
  return c;
}
