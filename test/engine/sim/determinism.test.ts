import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine/sim';
import type { WorldEvent } from '../../../engine/api/events';
import { demandPerVcpu, memoryUsedKiB } from '../../../engine/sim/compute/workload';
import { dom, GiB, sim, testWorld } from './world';

function script(s: Simulation): WorldEvent[] {
  const log: WorldEvent[] = [];
  s.subscribe((e) => log.push(e));
  s.defineDomain({ name: 'new1', host: 'kvm1', nics: [{ network: 'default' }] });
  s.startDomain('new1');
  s.advance(2_500);
  s.setWorkload('a', 'cpu-burn');
  s.rebootDomain('a');
  s.shutdownDomain('b');
  s.advance(60_000);
  s.setClockSpeed(50);
  s.elapse(33.3);
  s.crashDomain('new1');
  s.advance(3_600_000);
  return log;
}

const domains = () => [
  dom('a', 'kvm1', { state: 'running', workload: 'web' }),
  dom('b', 'xen1', { state: 'running', type: 'pv', workload: 'database' }),
  dom('c', 'kvm1', { workload: 'bursty', autostart: true }),
];

describe('determinism and persistence', () => {
  it('same seed + same calls → identical event log and state', () => {
    const s1 = sim(domains(), 7);
    const s2 = sim(domains(), 7);
    expect(script(s1)).toEqual(script(s2));
    expect(s1.toState()).toEqual(s2.toState());
    expect(JSON.stringify(s1.listDomains())).toBe(JSON.stringify(s2.listDomains()));
  });

  it('another seed gives another world', () => {
    const a = sim(domains(), 7).lookupDomain('a');
    const b = sim(domains(), 8).lookupDomain('a');
    expect(a.uuid).not.toBe(b.uuid);
    expect(a.nics[0].mac).not.toBe(b.nics[0].mac);
  });

  it('adding a domain does not change the others (per-entity streams)', () => {
    const s1 = sim(domains(), 7);
    const s2 = sim([dom('zzz', 'kvm1', { state: 'running', workload: 'cpu-burn' }), ...domains()], 7);
    for (const name of ['a', 'b', 'c']) {
      const x = s1.lookupDomain(name);
      const y = s2.lookupDomain(name);
      expect([y.uuid, y.nics[0].mac, y.startedAt, y.cpuTimeNs]).toEqual([x.uuid, x.nics[0].mac, x.startedAt, x.cpuTimeNs]);
    }
  });

  it('toState → fromState → toState is identical after a busy script, and both go on alike', () => {
    const s = sim(domains(), 3);
    script(s);
    const st = s.toState();
    const t = Simulation.fromState(st, { uri: 'sim:///x' });
    expect(t.toState()).toEqual(st);
    expect(JSON.parse(JSON.stringify(st))).toEqual(st); // plain JSON
    expect(s.stateJson()).toBe(JSON.stringify(st)); // what a save writes, without the copy
    s.advance(90_000);
    t.advance(90_000);
    expect(t.toState()).toEqual(s.toState());
    expect(t.recentEvents()).toEqual(s.recentEvents());
  });

  it('loadState replaces the world in place, keeps subscribers, emits one reloaded event', () => {
    const s = sim(domains(), 3);
    const saved = s.toState();
    s.destroyDomain('a');
    const got: string[] = [];
    s.subscribe((e) => got.push(e.type === 'world' ? `world:${e.what}` : e.type));
    s.loadState(saved);
    expect(got).toEqual(['world:reloaded']);
    expect(s.lookupDomain('a').state).toBe('running');
    s.destroyDomain('a');
    expect(got).toEqual(['world:reloaded', 'domain.lifecycle']);
    expect(() => s.loadState({ version: 99 } as never)).toThrow(/not a virtyard world|version/);
  });

  it('listDomains reuses the array and the objects of unchanged domains', () => {
    const s = sim([dom('a', 'kvm1'), dom('b', 'kvm1'), dom('r', 'kvm1', { state: 'running' })]);
    const l1 = s.listDomains();
    expect(s.listDomains()).toBe(l1);
    s.startDomain('a');
    const l2 = s.listDomains();
    expect(l2).not.toBe(l1);
    const byName = (l: typeof l1, n: string) => l.find((d) => d.name === n)!;
    expect(byName(l2, 'b')).toBe(byName(l1, 'b'));
    expect(byName(l2, 'a')).not.toBe(byName(l1, 'a'));
    expect(l2.map((d) => d.name)).toEqual(['Domain-0', 'Domain-0', 'r', 'a', 'b']);
    expect(s.lookupDomain('b')).toBe(byName(l2, 'b'));
  });

  it('the unsampled list keeps its snapshots across samples; domainSamples holds their figures', () => {
    const s = sim([dom('a', 'kvm1'), dom('r', 'kvm1', { state: 'running', workload: 'cpu-burn' }), dom('w', 'kvm1', { state: 'running', workload: 'web' })]);
    const shapes = s.listDomains({ sampled: false });
    const t1 = s.domainSamples();
    expect(s.domainSamples()).toBe(t1);
    s.advance(3000);
    // Samples moved every running domain's figures: the sampled list is new, the unsampled one is not.
    expect(s.listDomains({ sampled: false })).toBe(shapes);
    const fresh = s.listDomains();
    expect(fresh).not.toBe(shapes);
    const t2 = s.domainSamples();
    expect(t2).not.toBe(t1);
    for (const d of shapes) {
      const now = fresh.find((x) => x.uuid === d.uuid)!;
      expect([t2.cpuPercent(d), t2.cpuTimeNs(d), t2.memoryUsedKiB(d)]).toEqual([now.cpuPercent, now.cpuTimeNs, now.memoryUsedKiB]);
    }
    const r = shapes.find((d) => d.name === 'r')!;
    expect(t2.cpuTimeNs(r)).toBeGreaterThan(t1.cpuTimeNs(r));
    // Any other change is a new list, with the changed domain's new snapshot.
    s.startDomain('a');
    const next = s.listDomains({ sampled: false });
    expect(next).not.toBe(shapes);
    expect(next.find((d) => d.name === 'a')!.state).toBe('running');
    expect(s.domainSamples().cpuPercent(next.find((d) => d.name === 'a')!)).toBe(s.lookupDomain('a').cpuPercent);
  });

  it('statistics: cpu% from the workload, cpuTime accumulates, memory within current, contention scales down', () => {
    const w = testWorld([
      dom('burn1', 'kvm1', { state: 'running', workload: 'cpu-burn', vcpus: 4 }),
      dom('burn2', 'kvm1', { state: 'running', workload: 'cpu-burn', vcpus: 4 }),
      dom('burn3', 'kvm1', { state: 'running', workload: 'cpu-burn', vcpus: 4 }),
      dom('idle', 'kvm1', { state: 'running', workload: 'idle', vcpus: 2, os: 'alpine3.20' }),
    ]);
    const s = createSimulation(w, { uri: 'sim:///t' });
    s.advance(10_000);
    const burn = s.lookupDomain('burn1');
    // 12 burning vCPUs + a little idle on 8 pCPUs: each domain gets about 8/12 of its demand.
    expect(burn.cpuPercent).toBeGreaterThan(230);
    expect(burn.cpuPercent).toBeLessThan(280);
    expect(s.getHost('kvm1').cpuPercent).toBe(100);
    const before = burn.cpuTimeNs;
    s.advance(60_000);
    const after = s.lookupDomain('burn1').cpuTimeNs;
    expect(after - before).toBeGreaterThan(60 * 2.3e9);
    expect(after - before).toBeLessThan(60 * 2.8e9);
    const idle = s.lookupDomain('idle');
    expect(idle.cpuPercent).toBeLessThan(10);
    expect(idle.memoryUsedKiB).toBeGreaterThan(0);
    expect(idle.memoryUsedKiB).toBeLessThanOrEqual(idle.memory.currentKiB);
  });

  it('workload model: per-profile demand in range, memory ≤ current', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const mean = (p: Parameters<typeof demandPerVcpu>[0]) => {
      let sum = 0;
      for (let i = 0; i < 2000; i++) sum += demandPerVcpu(p, t0 + i * 37_000, 1234, 0);
      return sum / 2000;
    };
    expect(mean('idle')).toBeLessThan(0.05);
    expect(mean('cpu-burn')).toBeGreaterThan(0.95);
    expect(mean('database')).toBeGreaterThan(mean('web') * 0.8);
    expect(mean('build')).toBeGreaterThan(0.3);
    for (const p of ['idle', 'web', 'database', 'build', 'cpu-burn', 'bursty', 'diurnal'] as const) {
      for (let i = 0; i < 200; i++) {
        const t = t0 + i * 611_000;
        const v = demandPerVcpu(p, t, 99, i % 3);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(memoryUsedKiB(p, t, 99, GiB, 200 * 1024)).toBeLessThanOrEqual(GiB);
      }
    }
    // Pure in time: same inputs, same answer.
    expect(demandPerVcpu('bursty', t0 + 5, 1, 1)).toBe(demandPerVcpu('bursty', t0 + 5, 1, 1));
  });
});
