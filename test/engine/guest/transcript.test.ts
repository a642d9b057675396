// Boot transcripts: goldens per OS × hypervisor × guest type, and the facts in them equal the world's.
import { describe, expect, it } from 'vitest';
import { dom, boot, guestSim, ringText, GiB } from './world';
import type { FixtureDomain } from '../../../engine/sim/fixture/types';

interface Case {
  id: string;
  d: FixtureDomain;
}

const MATRIX: Case[] = [
  { id: 'debian12-kvm-hvm-bios', d: dom('deb', 'kvm1', { nics: [{ network: 'default', type: 'network', mac: '52:54:00:00:00:01' }, { network: 'br0', type: 'network', mac: '52:54:00:00:00:02' }] }) },
  { id: 'ubuntu2404-kvm-hvm-uefi', d: dom('ubu', 'kvm1', { os: 'ubuntu24.04', firmware: 'uefi', vcpus: 4, maxVcpus: 4, nics: [{ network: 'default', type: 'network', mac: '52:54:00:00:00:03' }] }) },
  { id: 'fedora41-kvm-hvm', d: dom('fed', 'kvm1', { os: 'fedora41', nics: [{ network: 'lab', type: 'network', mac: '52:54:00:00:00:04' }] }) },
  { id: 'rhel9-kvm-hvm-sata', d: dom('rhel', 'kvm1', { os: 'rhel9', disks: [{ source: 'default/rhel.qcow2', bus: 'sata' }], nics: [{ network: 'vlan10', type: 'network', mac: '52:54:00:00:00:05' }] }) },
  { id: 'alpine320-xen-pv', d: dom('alp', 'xen1', { os: 'alpine3.20', type: 'pv', vcpus: 1, maxVcpus: 1, memoryKiB: 512 * 1024, nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:00:00:06' }] }) },
  { id: 'debian12-xen-pv', d: dom('xdeb', 'xen1', { type: 'pv', nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:00:00:07' }] }) },
  { id: 'debian12-xen-hvm', d: dom('xhvm', 'xen1', { type: 'hvm', nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:00:00:08' }] }) },
  { id: 'debian12-xen-pvh', d: dom('xpvh', 'xen1', { type: 'pvh', nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:00:00:09' }] }) },
  { id: 'freebsd14-kvm-hvm', d: dom('bsd', 'kvm1', { os: 'freebsd14', nics: [{ network: 'default', type: 'network', mac: '52:54:00:00:00:0a' }] }) },
  { id: 'freebsd14-xen-hvm', d: dom('xbsd', 'xen1', { os: 'freebsd14', nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:00:00:0b' }] }) },
  { id: 'cirros-kvm-hvm', d: dom('cir', 'kvm1', { os: 'cirros', vcpus: 1, maxVcpus: 1, memoryKiB: 256 * 1024, nics: [{ network: 'lab', type: 'network', mac: '52:54:00:00:00:0c' }] }) },
  { id: 'windows2022-kvm-uefi', d: dom('win', 'kvm1', { os: 'windows2022', firmware: 'uefi', disks: [{ source: 'default/win.qcow2', bus: 'sata' }], nics: [{ network: 'br0', type: 'network', model: 'e1000', mac: '52:54:00:00:00:0d' }] }) },
];

describe('boot transcripts (goldens)', () => {
  const sim = guestSim(MATRIX.map((c) => c.d));
  for (const c of MATRIX) {
    it(c.id, async () => {
      boot(sim, c.d.name);
      await expect(ringText(sim, c.d.name)).toMatchFileSnapshot(`goldens/${c.id}.txt`);
    });
  }
});

describe('facts in the boot log equal the world', () => {
  const sim = guestSim(MATRIX.map((c) => c.d));
  for (const c of MATRIX.filter((m) => m.d.os !== 'windows2022')) {
    it(c.id, () => {
      boot(sim, c.d.name);
      const log = ringText(sim, c.d.name);
      const info = sim.lookupDomain(c.d.name);
      const bsd = info.os === 'freebsd14';
      // vCPUs and memory
      if (bsd) {
        expect(log).toContain(`Multiprocessor System Detected: ${info.vcpus.current} CPUs`);
        expect(log).toContain(`real memory  = ${info.memory.currentKiB * 1024} (`);
      } else {
        expect(log).toContain(`smp: Brought up 1 node, ${info.vcpus.current} CPU`);
        expect(log).toContain(`K/${info.memory.currentKiB - 388}K available`);
      }
      const host = sim.getHost(info.host);
      expect(log).toContain(host.cpu.model);
      // disks with their sizes
      for (const k of info.disks.filter((x) => x.device === 'disk')) {
        if (bsd) expect(log).toContain(`${Math.floor(k.capacityBytes / 2 ** 20)}MB`);
        else expect(log).toContain(`[${k.target}] ${k.capacityBytes / 512} 512-byte`.replace(/^\[xvda\] (\d+) 512-byte/, `${k.target}: $1 512-byte`));
      }
      // NICs with their MACs, and the DHCP lease the world remembers
      const leases = sim.world.s.guest!.leases;
      for (const n of info.nics) {
        expect(log).toContain(n.mac);
        const lease = Object.values(leases).map((t) => t[n.mac]).find(Boolean);
        if (n.network === 'lab' || n.network === 'default' || n.network.startsWith('br') || n.network.startsWith('vlan') || n.network === 'xenbr0') {
          expect(lease).toBeDefined();
          expect(log).toContain(lease!);
        }
      }
      // the hypervisor as the guest detects it
      if (info.hypervisor === 'kvm') expect(log).toMatch(bsd ? /Origin = "KVMKVMKVM"/ : /Hypervisor detected: KVM/);
      else if (info.guestType === 'pv') expect(log).toContain('Booting paravirtualized kernel on Xen');
      else if (info.guestType === 'pvh') expect(log).toContain('Hypervisor detected: Xen PVH');
      else expect(log).toMatch(bsd ? /Origin = "XenVMMXenVMM"/ : /Hypervisor detected: Xen HVM/);
      // firmware: PV boots without BIOS, through pygrub
      if (info.guestType === 'pv') {
        expect(log).toContain('pyGRUB');
        expect(log).not.toContain('SeaBIOS');
      } else if (info.firmware === 'uefi') expect(log).toContain('BdsDxe');
      else if (info.guestType === 'hvm') expect(log).toContain('SeaBIOS');
      expect(log).toMatch(/login: $/);
    });
  }

  it('a VLAN guest gets its lease from the VLAN subnet, the LAN guest from the LAN', () => {
    // Its own world: it must not depend on the tests above having booted these two.
    const s = guestSim(MATRIX.filter((m) => m.d.name === 'rhel' || m.d.name === 'deb').map((m) => m.d));
    boot(s, 'rhel');
    boot(s, 'deb');
    expect(ringText(s, 'rhel')).toMatch(/address=172\.16\.10\.\d+/);
    expect(ringText(s, 'deb')).toMatch(/DHCPACK of 192\.168\.1\.\d+ from 192\.168\.1\.1/);
  });

  it('leases are distinct on one segment and stay the same across reboots', () => {
    const s2 = guestSim([dom('a', 'kvm1'), dom('b', 'kvm1')]);
    boot(s2, 'a');
    boot(s2, 'b');
    const t = s2.world.s.guest!.leases['default@kvm1'];
    const ips = Object.values(t);
    expect(new Set(ips).size).toBe(2);
    const before = { ...t };
    s2.destroyDomain('a');
    boot(s2, 'a');
    expect(s2.world.s.guest!.leases['default@kvm1']).toEqual(before);
  });

  it('Windows without EMS writes only firmware lines to the serial port', () => {
    boot(sim, 'win');
    const log = ringText(sim, 'win');
    expect(log).toContain('BdsDxe');
    expect(log).not.toContain('login');
    expect(sim.consoleState('win').available).toBe(false);
  });
});

describe('timed by the virtual clock', () => {
  it('releases the log as time passes; the prompt appears exactly at bootedAt', () => {
    const sim = guestSim([dom('t', 'kvm1')]);
    sim.startDomain('t');
    const info = sim.lookupDomain('t');
    const bootMs = info.bootedAt! - info.startedAt!;
    expect(ringText(sim, 't')).toContain('SeaBIOS');
    expect(ringText(sim, 't')).not.toContain('Linux version');
    sim.advance(Math.floor(bootMs / 2));
    const half = ringText(sim, 't');
    expect(half).toContain('Linux version');
    expect(half).not.toContain('login:');
    sim.advance(bootMs - Math.floor(bootMs / 2) - 1);
    expect(ringText(sim, 't')).not.toContain('login:');
    sim.advance(1);
    expect(ringText(sim, 't')).toMatch(/t login: $/);
  });

  it('a paused boot stands still and continues on resume', () => {
    const sim = guestSim([dom('p', 'kvm1')]);
    sim.startDomain('p');
    sim.advance(2000);
    sim.consoleState('p');
    sim.suspendDomain('p');
    const frozen = ringText(sim, 'p');
    sim.advance(60_000);
    expect(ringText(sim, 'p')).toBe(frozen);
    sim.resumeDomain('p');
    const info = sim.lookupDomain('p');
    sim.advance(info.bootedAt! - sim.clock().now);
    expect(ringText(sim, 'p')).toMatch(/p login: $/);
  });

  it('a domain running since world load shows its boot log on first look', () => {
    const sim = guestSim([dom('old', 'kvm1', { state: 'running', memoryKiB: 1 * GiB })]);
    sim.advance(1000);
    expect(ringText(sim, 'old')).toMatch(/Linux version[\s\S]*old login: $/);
  });
});
