// Balloon, host memory and pressure; the host's runnable vCPUs; bad tuning input changes nothing.
import { describe, expect, it } from 'vitest';
import { computeSim, dom, running } from './world';

describe('memory', () => {
  it('the guest sees a balloon change and the host its committed memory and pressure', () => {
    const sim = computeSim([running('a', 'kvm1', { workload: 'database', memoryKiB: 8 * 1024 * 1024, maxMemoryKiB: 8 * 1024 * 1024 })]);
    sim.advance(3000);
    const before = sim.lookupDomain('a').memoryUsedKiB;
    expect(before).toBeGreaterThan(2 * 1024 * 1024);
    sim.setMemory('a', 1024 * 1024);
    sim.advance(2000);
    const after = sim.lookupDomain('a');
    expect(after.memoryUsedKiB).toBeLessThanOrEqual(1024 * 1024);
    expect(sim.memoryStats('a').find((s) => s.tag === 'actual')!.value).toBe(1024 * 1024);
    const h = sim.getHost('kvm1');
    expect(h.memoryCommitRatio).toBeCloseTo(h.memoryUsedKiB / h.memoryKiB, 3);
    expect(h.memoryResidentKiB).toBeGreaterThan(after.memoryUsedKiB);
    expect(h.memoryPressure).toBe('none');
    const m = sim.nodeMemoryStats('kvm1');
    expect(m.freeKiB + m.buffersKiB + m.cachedKiB + h.memoryResidentKiB!).toBe(m.totalKiB);
  });

  it('a host whose admission limit is used up reports critical pressure', () => {
    const sim = computeSim([running('big', 'kvm1', { memoryKiB: 63 * 1024 * 1024, maxMemoryKiB: 63 * 1024 * 1024 })]);
    sim.advance(1000);
    expect(sim.getHost('kvm1').memoryPressure).toBe('critical');
    expect(() => sim.defineDomain({ name: 'more', host: 'kvm1' })).not.toThrow();
    expect(() => sim.startDomain('more')).toThrow(/cannot start domain 'more' on host 'kvm1'/);
  });
});

describe('host vCPU overcommit', () => {
  it('runnableVcpus counts the vCPUs of running domains (Domain-0 included), not paused or shut off ones', () => {
    const sim = computeSim([
      running('a', 'kvm1', { vcpus: 2, maxVcpus: 4 }),
      running('b', 'kvm1', { vcpus: 3, maxVcpus: 3 }),
      dom('c', 'kvm1', { vcpus: 4, maxVcpus: 4 }),
      running('x', 'xen1', { vcpus: 2, maxVcpus: 2 }),
    ]);
    expect(sim.getHost('kvm1').runnableVcpus).toBe(5);
    expect(sim.getHost('xen1').runnableVcpus).toBe(3); // Domain-0's one vCPU and x's two
    sim.suspendDomain('b');
    expect(sim.getHost('kvm1').runnableVcpus).toBe(2);
    sim.startDomain('c');
    sim.setVcpus('a', 4, { live: true });
    expect(sim.getHost('kvm1').runnableVcpus).toBe(8);
  });
});

describe('bad tuning changes nothing', () => {
  it('rejects bad cpulists, vCPUs and parameters with libvirt messages', () => {
    const sim = computeSim([running('a', 'kvm1'), running('x', 'xen1', { type: 'pv' })]);
    const state = sim.toState();
    const events = sim.recentEvents().length;
    expect(() => sim.pinVcpu('a', 0, '0-')).toThrow("invalid argument: Failed to parse bitmap '0-'");
    expect(() => sim.pinVcpu('a', 0, '5')).toThrow("CPU 5 in cpulist '5' exceed the maxcpu 2");
    expect(() => sim.pinVcpu('a', 4, '1')).toThrow('invalid argument: vcpu 4 is out of range of live cpu count 4');
    expect(() => sim.setSchedulerParams('a', { cpu_shares: 512, vcpu_quota: 5 })).toThrow("value of 'vcpu_quota' is out of range [1000, 17592186044415]");
    expect(() => sim.setSchedulerParams('a', { weight: 5 })).toThrow("parameter 'weight' not supported");
    expect(() => sim.setSchedulerParams('x', { weight: 1.5 })).toThrow("Invalid value for field 'weight': expected unsigned int");
    expect(() => sim.pinEmulator('x', '0')).toThrow('virDomainPinEmulator');
    expect(() => sim.nodeCpuStats({ host: 'kvm1', cpu: 2 })).toThrow('Invalid cpuNum');
    expect(sim.toState()).toEqual(state);
    expect(sim.recentEvents().length).toBe(events);
  });
});
