// The scheduler keeps what it reads of the domain records cached and what it publishes in its own
// arrays until something reads the records. Whatever happens in between must still show.
import { describe, expect, it } from 'vitest';
import { computeSim, running } from './world';

describe('published figures and the domain records', () => {
  it('a domain restarted after a sample, before anyone read it, shows its new run (not the old figures)', () => {
    const sim = computeSim([running('a', 'kvm1', { workload: 'cpu-burn' }), running('b', 'kvm1')]);
    sim.advance(5000);
    sim.destroyDomain('a');
    sim.startDomain('a');
    const a = sim.lookupDomain('a');
    expect(a.cpuTimeNs).toBe(0);
    expect(a.cpuPercent).toBe(0);
    sim.advance(2000);
    expect(sim.lookupDomain('a').cpuTimeNs).toBeGreaterThan(0);
    // The other domain's figures were published all along.
    expect(sim.lookupDomain('b').cpuTimeNs).toBeGreaterThan(0);
  });

  it('a balloon shrink after a sample caps the memory in use shown before the next one', () => {
    const sim = computeSim([running('a', 'kvm1', { workload: 'database', memoryKiB: 8 * 1024 * 1024, maxMemoryKiB: 8 * 1024 * 1024 })]);
    sim.advance(3000);
    sim.setMemory('a', 1024 * 1024);
    expect(sim.lookupDomain('a').memoryUsedKiB).toBeLessThanOrEqual(1024 * 1024);
    expect(sim.toState().domains.find((d) => d.name === 'a')!.memoryUsedKiB).toBeLessThanOrEqual(1024 * 1024);
  });

  it('run-state changes made between steps take effect in the next step', () => {
    const sim = computeSim([running('a', 'kvmbig', { workload: 'cpu-burn', vcpus: 2 })]);
    sim.advance(3000);
    expect(sim.vcpuInfo('a')[0].busy).toBeGreaterThan(0.9);
    sim.suspendDomain('a');
    sim.advance(2000);
    expect(sim.vcpuInfo('a').every((v) => v.busy === 0)).toBe(true);
    expect(sim.lookupDomain('a').cpuPercent).toBeLessThan(1);
    sim.resumeDomain('a');
    sim.advance(2000);
    expect(sim.vcpuInfo('a')[0].busy).toBeGreaterThan(0.9);
    sim.setWorkload('a', 'idle');
    sim.advance(1000);
    expect(sim.vcpuInfo('a')[0].busy).toBeLessThan(0.1);
  });

  it('listDomains, lookupDomain, fleetLoad, domainLoad, domainSamples and toState agree after every sample; unchanged snapshots are reused', () => {
    const sim = computeSim([running('a', 'kvm1', { workload: 'web' }), running('b', 'xen1', { type: 'pv', workload: 'bursty' })]);
    sim.defineDomain({ name: 'off', host: 'kvm1' });
    for (let i = 0; i < 3; i++) {
      sim.advance(1000);
      // Read first, the samples come straight from the scheduler's arrays (later, from the records).
      const published = sim.domainSamples();
      if (i === 1) sim.setMemory('a', 512 * 1024); // a change between sample and read: the records' path
      const list = sim.listDomains();
      const state = sim.toState();
      for (const name of ['a', 'b']) {
        const info = list.find((d) => d.name === name)!;
        expect(sim.lookupDomain(name)).toBe(info);
        const rec = state.domains.find((d) => d.name === name)!;
        expect([rec.cpuTimeNs, rec.cpuPercent, rec.memoryUsedKiB]).toEqual([info.cpuTimeNs, info.cpuPercent, info.memoryUsedKiB]);
        expect(sim.fleetLoad().rows.find((r) => r.domain === name)!.cpuPercent).toBe(info.cpuPercent);
        // One domain's row, read on its own (the vCPU pane), is its fleet row; so are its samples.
        expect(sim.domainLoad(name)).toEqual(sim.fleetLoad().rows.find((r) => r.domain === name));
        const samples = i === 1 ? sim.domainSamples() : published;
        expect([samples.cpuTimeNs(info), samples.cpuPercent(info), samples.memoryUsedKiB(info)]).toEqual([info.cpuTimeNs, info.cpuPercent, info.memoryUsedKiB]);
      }
      expect(sim.domainLoad('off')).toBeNull();
      // A shut-off domain's snapshot does not change with the samples.
      expect(sim.listDomains().find((d) => d.name === 'off')).toBe(list.find((d) => d.name === 'off'));
    }
  });

  it('a save refills the counters in the records in place, with the text a fresh write gives', () => {
    const sim = computeSim([running('a', 'kvmbig', { workload: 'cpu-burn', vcpus: 4 }), running('b', 'kvm1', { workload: 'web', vcpus: 2 }), running('x', 'xen1', { type: 'pv' })]);
    const fresh = () => {
      // What the save would write had no record held counters before.
      for (const d of sim.world.s.domains) delete d.compute;
      for (const h of sim.world.s.hosts) delete h.compute;
      return sim.stateJson();
    };
    sim.advance(3000);
    sim.stateJson();
    const before = sim.world.byName.get('a')!.compute!;
    const times = before.vcpuTimeNs;
    sim.advance(5000);
    const refilled = sim.stateJson();
    expect(sim.world.byName.get('a')!.compute).toBe(before); // same objects, new figures
    expect(before.vcpuTimeNs).toBe(times);
    expect(refilled).toBe(fresh());
    // A new run (new id, counters from zero) and a balloon of vCPUs get records of their own.
    sim.destroyDomain('a');
    sim.startDomain('a');
    sim.setVcpus('b', 1, { live: true });
    sim.advance(4000);
    const again = sim.stateJson();
    expect(sim.world.byName.get('a')!.compute).not.toBe(before);
    expect(again).toBe(fresh());
  });

  it('a guest with a live console sees its own current figures (the guest shell reads its record)', () => {
    const sim = computeSim([running('a', 'kvm1', { workload: 'cpu-burn' }), running('b', 'kvm1', { workload: 'cpu-burn' })]);
    sim.consoleState('a');
    sim.advance(4000);
    const rec = sim.world.byName.get('a')!;
    const raw = [rec.cpuTimeNs, rec.cpuPercent];
    const info = sim.lookupDomain('a');
    expect(raw).toEqual([info.cpuTimeNs, info.cpuPercent]);
    expect(info.cpuTimeNs).toBeGreaterThan(0);
  });
});
