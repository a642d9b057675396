// Test worlds built directly as FixtureWorld objects (the YAML loader is another module's).
import type { FixtureDomain, FixtureHost, FixtureWorld } from '../../../engine/sim/fixture/types';
import { createSimulation, type Simulation } from '../../../engine/sim';

export const GiB = 1024 * 1024; // in KiB
export const START = Date.UTC(2026, 0, 15, 9, 0, 0);

export function kvmHost(name: string, over: Partial<FixtureHost> = {}): FixtureHost {
  return {
    name,
    hypervisor: 'kvm',
    cpu: { model: 'Intel Xeon Gold 6338', vendor: 'intel', sockets: 1, cores: 4, threads: 2, mhz: 2000, hvm: true },
    memoryKiB: 16 * GiB,
    overcommit: 1.0,
    interfaces: ['eth0'],
    ...over,
  };
}

export function xenHost(name: string, over: Partial<FixtureHost> = {}): FixtureHost {
  return {
    name,
    hypervisor: 'xen',
    cpu: { model: 'AMD EPYC 7302', vendor: 'amd', sockets: 1, cores: 8, threads: 1, mhz: 3000, hvm: true },
    memoryKiB: 32 * GiB,
    overcommit: 1.0,
    interfaces: ['eth0'],
    dom0: { vcpus: 2, memoryKiB: 2 * GiB },
    ...over,
  };
}

export function dom(name: string, host: string, over: Partial<FixtureDomain> = {}): FixtureDomain {
  return {
    name,
    host,
    type: 'hvm',
    os: 'debian12',
    vcpus: 2,
    maxVcpus: 4,
    memoryKiB: 1 * GiB,
    maxMemoryKiB: 2 * GiB,
    state: 'shut off',
    autostart: false,
    persistent: true,
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    workload: 'idle',
    disks: [{ source: 'default/' + name + '.qcow2' }],
    nics: [{ network: 'default', type: 'network' }],
    ...over,
  };
}

/** Two KVM hosts (kvm2 without VT-x), two Xen hosts (xen2 without VT-x), a NAT network, a pool. */
export function testWorld(domains: FixtureDomain[] = [], seed = 42): FixtureWorld {
  const names = new Set(domains.map((d) => d.name));
  return {
    seed,
    start: START,
    hosts: [
      kvmHost('kvm1'),
      kvmHost('kvm2', { cpu: { model: 'Intel Atom C2750', vendor: 'intel', sockets: 1, cores: 8, threads: 1, mhz: 2400, hvm: false } }),
      xenHost('xen1'),
      xenHost('xen2', { cpu: { model: 'Intel Xeon E5-2620', vendor: 'intel', sockets: 1, cores: 6, threads: 2, mhz: 2000, hvm: false } }),
    ],
    networks: [
      { name: 'default', forward: 'nat', bridge: 'virbr0', ip: '192.168.122.1/24', dhcp: { start: '192.168.122.2', end: '192.168.122.254' }, hosts: [], autostart: true, active: true },
      { name: 'isolated', forward: 'isolated', bridge: 'virbr1', hosts: ['kvm1'], autostart: false, active: false },
    ],
    pools: [
      {
        name: 'default',
        type: 'dir',
        host: 'kvm1',
        target: '/var/lib/libvirt/images',
        capacityBytes: 500 * 2 ** 30,
        autostart: true,
        active: true,
        volumes: [...names].map((n) => ({ name: n + '.qcow2', format: 'qcow2' as const, capacityBytes: 20 * 2 ** 30, allocationBytes: 2 * 2 ** 30 })),
      },
    ],
    domains,
  };
}

export function sim(domains: FixtureDomain[] = [], seed = 42): Simulation {
  return createSimulation(testWorld(domains, seed), { uri: 'sim:///test' });
}
