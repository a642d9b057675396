import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../engine/sim';
import { dom, sim } from './world';

describe('simulation entry points', () => {
  it('builds a world: fixture ids in order, Domain-0 per Xen host, autostart after load', () => {
    const s = sim([dom('web1', 'kvm1', { state: 'running' }), dom('db', 'xen1', { state: 'paused', type: 'pv' }), dom('auto', 'kvm1', { autostart: true })]);
    const list = s.listDomains();
    expect(list.map((d) => [d.id, d.name, d.host, d.state, d.reason])).toEqual([
      [0, 'Domain-0', 'xen1', 'running', 'booted'],
      [0, 'Domain-0', 'xen2', 'running', 'booted'],
      [1, 'web1', 'kvm1', 'running', 'booted'],
      [2, 'db', 'xen1', 'paused', 'user'],
      [3, 'auto', 'kvm1', 'running', 'booted'],
    ]);
    expect(list[2].startedAt!).toBeLessThan(s.clock().now);
    expect(list[2].cpuTimeNs).toBeGreaterThan(0);
    expect(s.recentEvents().map((e) => e.type + ':' + ('event' in e ? e.event : e.what))).toEqual(['world:loaded', 'domain.lifecycle:started']);
  });

  it('toState → fromState → toState is identical', () => {
    const s = sim([dom('a', 'kvm1', { state: 'running', workload: 'web' }), dom('b', 'xen1', { type: 'pv', state: 'running' })]);
    s.shutdownDomain('a');
    s.advance(1500);
    const st = s.toState();
    const again = Simulation.fromState(st, { uri: 'sim:///test' });
    expect(again.toState()).toEqual(st);
    expect(JSON.stringify(again.toState())).toBe(JSON.stringify(st));
    again.advance(10_000);
    s.advance(10_000);
    expect(again.toState()).toEqual(s.toState());
  });
});
