import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine/sim';
import { dom, GiB, sim, testWorld } from './world';

const KVM_TEXT =
  'unsupported configuration: Domain requires KVM, but it is not available. Check that virtualization is enabled in the host BIOS, ' +
  'and host configuration is setup to load the kvm modules.';

describe('hypervisor rules and admission', () => {
  it('KVM: HVM on a host without VT-x is refused with QEMU\'s text', () => {
    const s = sim([dom('v', 'kvm2')]);
    const before = s.toState();
    expect(() => s.startDomain('v')).toThrow(KVM_TEXT);
    expect(s.toState()).toEqual(before);
  });

  it('KVM runs only hvm guests (refused at define)', () => {
    const s = sim();
    expect(() => s.defineDomain({ name: 'p', host: 'kvm1', guestType: 'pv' })).toThrow(
      "unsupported configuration: Emulator '/usr/bin/qemu-system-x86_64' does not support os type 'xen'",
    );
  });

  it('Xen: HVM without VT-x refused; PV and PVH with a PV kernel boot without it', () => {
    const s = sim([
      dom('h', 'xen2', { type: 'hvm' }),
      dom('p', 'xen2', { type: 'pv' }),
      dom('q', 'xen2', { type: 'pvh', os: 'alpine3.20' }),
    ]);
    expect(() => s.startDomain('h')).toThrow(
      "unsupported configuration: cannot start HVM domain 'h' on host 'xen2': HVM guest support is unavailable: is VT/AMD-V supported by your CPU and enabled in your BIOS?",
    );
    s.startDomain('p');
    s.startDomain('q');
    expect(s.lookupDomain('p')).toMatchObject({ state: 'running', machine: 'xenpv', hypervisor: 'xen' });
    expect(s.lookupDomain('p').process).toBeUndefined();
    expect(s.lookupDomain('p').nics[0].target).toBe(`vif${s.lookupDomain('p').id}.0`);
  });

  it('Xen: PV or PVH with a non-PV kernel is refused, naming domain, host and OS', () => {
    const s = sim([dom('r', 'xen1', { type: 'pv', os: 'rhel9' }), dom('f', 'xen1', { type: 'pvh', os: 'freebsd14' }), dom('w', 'xen1', { type: 'hvm', os: 'windows2022' })]);
    expect(() => s.startDomain('r')).toThrow(
      "unsupported configuration: cannot start PV domain 'r' on host 'xen1': Red Hat Enterprise Linux 9.4 (Plow) (rhel9) has no Xen paravirtualized kernel; define it as HVM",
    );
    expect(() => s.startDomain('f')).toThrow(/cannot start PVH domain 'f' on host 'xen1'/);
    s.startDomain('w'); // HVM with VT-x: fine
    expect(s.lookupDomain('w').state).toBe('running');
  });

  it('Domain-0 is immutable: id 0, running since host boot, refuses lifecycle changes', () => {
    const s = sim();
    const d0 = s.lookupDomain('Domain-0');
    expect(d0).toMatchObject({ id: 0, state: 'running', reason: 'booted', isDom0: true, vcpus: { current: 2 }, memory: { currentKiB: 2 * GiB } });
    expect(d0.startedAt!).toBeLessThan(s.clock().now);
    const before = s.toState();
    for (const f of [
      () => s.shutdownDomain('Domain-0'),
      () => s.destroyDomain('Domain-0'),
      () => s.suspendDomain('Domain-0'),
      () => s.undefineDomain('Domain-0'),
      () => s.renameDomain('Domain-0', 'x'),
      () => s.rebootDomain('xen2/Domain-0'),
      () => s.managedSave('Domain-0'),
    ]) {
      expect(f).toThrow(/Requested operation is not valid: cannot \w+( \w+)? Domain-0 on host 'xen[12]'/);
    }
    expect(() => s.startDomain('Domain-0')).toThrow('Requested operation is not valid: domain is already running');
    expect(s.toState()).toEqual(before);
  });

  it('KVM process model: a qemu pid and one thread per vCPU, from a per-host counter; vnetN taps', () => {
    const s = sim([dom('a', 'kvm1', { vcpus: 2, nics: [{ network: 'default', type: 'network' }, { network: 'default', type: 'network' }] }), dom('b', 'kvm1', { vcpus: 3 })]);
    s.startDomain('a');
    s.startDomain('b');
    const a = s.lookupDomain('a');
    const b = s.lookupDomain('b');
    expect(a.process!.emulator).toBe('/usr/bin/qemu-system-x86_64');
    expect(a.process!.vcpuTids).toHaveLength(2);
    expect(new Set(a.process!.vcpuTids).size).toBe(2);
    expect(a.process!.vcpuTids[0]).toBeGreaterThan(a.process!.pid);
    expect(b.process!.pid).toBeGreaterThan(Math.max(...a.process!.vcpuTids));
    expect(b.process!.vcpuTids).toHaveLength(3);
    expect(a.nics.map((n) => n.target)).toEqual(['vnet0', 'vnet1']);
    expect(b.nics[0].target).toBe('vnet2');
    // vCPU hotplug within the maximum adds a thread; taps are never reused after a restart.
    s.setVcpus('b', 4);
    expect(s.lookupDomain('b').process!.vcpuTids).toHaveLength(4);
    s.destroyDomain('a');
    expect(s.lookupDomain('a').process).toBeUndefined();
    expect(s.lookupDomain('a').nics[0].target).toBeUndefined();
    s.startDomain('a');
    expect(s.lookupDomain('a').nics.map((n) => n.target)).toEqual(['vnet3', 'vnet4']);
  });

  it('memory admission per the overcommit ratio, with a clear message and nothing changed', () => {
    const s = sim([dom('big1', 'kvm1', { memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB }), dom('big2', 'kvm1', { memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB })]);
    s.startDomain('big1');
    const before = s.toState();
    // 16 GiB host, 1 GiB kept for the host itself, 8 GiB used: 7 GiB free.
    expect(() => s.startDomain('big2')).toThrow("internal error: cannot start domain 'big2' on host 'kvm1': needs 8192 MiB, 7168 MiB free (overcommit 1.0)");
    expect(s.toState()).toEqual(before);
    expect(s.getHost('kvm1')).toMatchObject({ memoryUsedKiB: 8 * GiB, memoryLimitKiB: 15 * GiB, runningDomains: 1, domains: 2 });
    // With overcommit 1.5 it fits.
    const w = testWorld([dom('big1', 'kvm1', { memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB, state: 'running' }), dom('big2', 'kvm1', { memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB })]);
    w.hosts[0].overcommit = 1.5;
    const s2 = createSimulation(w, { uri: 'sim:///t' });
    s2.startDomain('big2');
    expect(s2.getHost('kvm1').memoryUsedKiB).toBe(16 * GiB);
  });

  it('Xen admission counts Domain-0', () => {
    const s = sim([dom('x', 'xen1', { type: 'pv', memoryKiB: 31 * GiB, maxMemoryKiB: 31 * GiB })]);
    expect(() => s.startDomain('x')).toThrow("internal error: cannot start domain 'x' on host 'xen1': needs 31744 MiB, 30720 MiB free (overcommit 1.0)");
  });

  it('start checks networks and volumes', () => {
    const s = sim([dom('n', 'kvm1', { nics: [{ network: 'isolated', type: 'network' }] }), dom('m', 'kvm1', { disks: [{ source: 'default/missing.qcow2' }] }), dom('o', 'kvm1', { nics: [{ network: 'nonet', type: 'network' }] })]);
    expect(() => s.startDomain('n')).toThrow("Requested operation is not valid: network 'isolated' is not active");
    expect(() => s.startDomain('m')).toThrow("Storage volume not found: no storage vol with matching name 'missing.qcow2'");
    expect(() => s.startDomain('o')).toThrow("Network not found: no network with matching name 'nonet'");
  });

  it('a fixture that runs an impossible domain fails loudly, naming it', () => {
    expect(() => sim([dom('v', 'kvm2', { state: 'running' })])).toThrow(/Domain requires KVM.*\(fixture domain 'v'\)/);
  });

  it('an autostart domain that cannot start stays off; the others start', () => {
    const s = sim([dom('bad', 'kvm2', { autostart: true }), dom('good', 'kvm1', { autostart: true })]);
    expect(s.lookupDomain('bad').state).toBe('shut off');
    expect(s.lookupDomain('good')).toMatchObject({ state: 'running', id: 1 });
  });

  it('setmem / setvcpus / setmaxmem flag semantics and texts', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' }), dom('off', 'kvm1')]);
    expect(() => s.setVcpus('v', 8)).toThrow('invalid argument: requested cpu amount exceeds maximum (8 > 4)');
    expect(() => s.setVcpus('v', 0)).toThrow("Can't set 0 processors for a VM");
    expect(() => s.setVcpus('v', 6, { config: true })).toThrow('invalid argument: requested cpu amount exceeds maximum (6 > 4)');
    s.setVcpus('v', 6, { config: true, maximum: true });
    s.setVcpus('v', 6, { config: true });
    expect(s.lookupDomain('v').vcpus).toEqual({ current: 2, max: 4, configCurrent: 6, configMax: 6 });
    expect(() => s.setVcpus('v', 6, { live: true, maximum: true })).toThrow("invalid argument: maximum vcpu count of a live domain can't be modified");
    expect(() => s.setMemory('v', 3 * GiB)).toThrow('invalid argument: cannot set memory higher than max memory');
    expect(() => s.setMemory('v', 0)).toThrow('memory in virDomainSetMemoryFlags must not be zero');
    s.setMemory('v', 2 * GiB, { live: true, config: true });
    expect(s.lookupDomain('v').memory).toEqual({ currentKiB: 2 * GiB, maxKiB: 2 * GiB, configCurrentKiB: 2 * GiB, configMaxKiB: 2 * GiB });
    expect(s.getHost('kvm1').memoryUsedKiB).toBe(2 * GiB);
    expect(() => s.setMaxMemory('v', 4 * GiB)).toThrow('Requested operation is not valid: cannot resize the maximum memory on an active domain');
    s.setMaxMemory('v', 4 * GiB, { config: true });
    expect(s.lookupDomain('v').memory.configMaxKiB).toBe(4 * GiB);
    s.setMaxMemory('off', GiB / 2);
    expect(s.lookupDomain('off').memory).toMatchObject({ configMaxKiB: GiB / 2, configCurrentKiB: GiB / 2 });
    s.setVcpus('off', 3, { config: true });
    expect(s.lookupDomain('off').vcpus.configCurrent).toBe(3);
  });
});

describe('fixture admission', () => {
  it('running fixture domains beyond a host\'s memory are left shut off and named in the loaded event', () => {
    const s = sim([
      dom('m1', 'kvm1', { state: 'running', memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB }),
      dom('m2', 'kvm1', { state: 'running', memoryKiB: 8 * GiB, maxMemoryKiB: 8 * GiB }),
      dom('m3', 'kvm1', { state: 'running', memoryKiB: 4 * GiB, maxMemoryKiB: 4 * GiB }),
    ]);
    expect(s.listDomains().filter((d) => !d.isDom0).map((d) => [d.name, d.id, d.state])).toEqual([
      ['m1', 1, 'running'],
      ['m3', 2, 'running'],
      ['m2', null, 'shut off'],
    ]);
    expect(s.recentEvents()[0].message).toBe('World loaded: 4 hosts, 3 domains; 1 left shut off for lack of host memory (m2)');
  });
});
