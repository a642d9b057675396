import { describe, expect, it } from 'vitest';
import type { DomainLifecycleEvent } from '../../../engine/api/events';
import { dom, sim } from './world';

const lifecycleOf = (s: ReturnType<typeof sim>) =>
  s.recentEvents().filter((e): e is DomainLifecycleEvent => e.type === 'domain.lifecycle').map((e) => `${e.domain}:${e.event}/${e.detail}`);

describe('time, timers and on_* actions', () => {
  it('ACPI shutdown takes the OS\'s shutdownSeconds of virtual time (debian12: 4 s)', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    const t0 = s.clock().now;
    s.shutdownDomain('v');
    s.advance(3999);
    expect(s.lookupDomain('v').state).toBe('in shutdown');
    s.advance(1);
    expect(s.lookupDomain('v')).toMatchObject({ state: 'shut off', reason: 'shutdown', id: null });
    const stop = s.recentEvents().find((e) => e.type === 'domain.lifecycle' && e.event === 'stopped')!;
    expect(stop.time).toBe(t0 + 4000);
  });

  it('the clock cannot be advanced past the year 9999 (dates would no longer format); nothing changes', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    const before = s.toState();
    expect(() => s.advance(99_999_999 * 86_400_000)).toThrow('invalid argument: cannot advance the clock by 8639999913600000 ms: virtual time would pass 9999-12-31 23:59:59 UTC');
    expect(s.toState()).toEqual(before);
  });

  it('a guest still booting handles ACPI only once booted', () => {
    const s = sim([dom('v', 'kvm1', { os: 'ubuntu24.04' })]); // boot 14 s, shutdown 5 s
    s.startDomain('v');
    s.shutdownDomain('v');
    s.advance(18_999);
    expect(s.lookupDomain('v').state).toBe('in shutdown');
    s.advance(1);
    expect(s.lookupDomain('v').state).toBe('shut off');
  });

  it('reboot keeps the id; the guest goes down and boots again', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    s.rebootDomain('v');
    expect(s.lookupDomain('v')).toMatchObject({ id: 1, state: 'running', rebooting: true });
    s.advance(4000);
    const d = s.lookupDomain('v');
    expect(d).toMatchObject({ id: 1, state: 'running', reason: 'booted', rebooting: false });
    expect(d.bootedAt).toBe(s.clock().now + 9000);
    expect(s.recentEvents(1)[0]).toMatchObject({ type: 'domain.changed', what: 'rebooted' });
  });

  it('a reboot requested while paused happens after resume', () => {
    const s = sim([dom('v', 'kvm1', { state: 'paused' })]);
    s.rebootDomain('v');
    s.advance(60_000);
    expect(s.lookupDomain('v')).toMatchObject({ state: 'paused', rebooting: true });
    s.resumeDomain('v');
    s.advance(4000);
    expect(s.lookupDomain('v')).toMatchObject({ state: 'running', rebooting: false });
    expect(s.recentEvents(1)[0]).toMatchObject({ what: 'rebooted' });
  });

  it('on_reboot=destroy: a reboot ends shut off', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running', onReboot: 'destroy' })]);
    s.rebootDomain('v');
    s.advance(5000);
    expect(s.lookupDomain('v')).toMatchObject({ state: 'shut off', reason: 'shutdown' });
  });

  it('on_poweroff=restart reboots in place; preserve keeps it paused (shutting down)', () => {
    const s = sim([dom('r', 'kvm1', { state: 'running', onPoweroff: 'restart' }), dom('p', 'kvm1', { state: 'running', onPoweroff: 'preserve' })]);
    s.shutdownDomain('r');
    s.shutdownDomain('p');
    s.advance(4000);
    expect(s.lookupDomain('r')).toMatchObject({ state: 'running', reason: 'booted', id: 1 });
    expect(s.lookupDomain('p')).toMatchObject({ state: 'paused', reason: 'shutting down', id: 2 });
    expect(() => s.resumeDomain('p')).toThrow(/has powered off/);
    s.destroyDomain('p');
    expect(s.lookupDomain('p').state).toBe('shut off');
  });

  it('on_crash: destroy, restart, preserve', () => {
    const s = sim([
      dom('d', 'kvm1', { state: 'running', onCrash: 'destroy' }),
      dom('r', 'kvm1', { state: 'running', onCrash: 'restart' }),
      dom('p', 'kvm1', { state: 'running', onCrash: 'preserve' }),
    ]);
    s.crashDomain('d');
    s.crashDomain('r');
    s.crashDomain('p');
    expect(s.lookupDomain('d')).toMatchObject({ state: 'shut off', reason: 'crashed' });
    expect(s.lookupDomain('r')).toMatchObject({ state: 'running', reason: 'booted', id: 2 });
    expect(s.lookupDomain('p')).toMatchObject({ state: 'crashed', reason: 'panicked', id: 3 });
    expect(lifecycleOf(s).slice(-3)).toEqual(['d:crashed/panicked', 'r:crashed/panicked', 'p:crashed/panicked']);
    expect(() => s.crashDomain('d')).toThrow('Requested operation is not valid: domain is not running');
  });

  it('a destroy during shutdown cancels the pending power-off', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    s.shutdownDomain('v');
    s.destroyDomain('v');
    s.startDomain('v');
    s.advance(10_000);
    expect(s.lookupDomain('v')).toMatchObject({ state: 'running', id: 2 });
  });

  it('ids increase and are never reused', () => {
    const s = sim([dom('a', 'kvm1', { state: 'running' }), dom('b', 'kvm1')]);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      s.startDomain('b');
      ids.push(s.lookupDomain('b').id!);
      s.destroyDomain('b');
    }
    s.destroyDomain('a');
    s.startDomain('a');
    ids.push(s.lookupDomain('a').id!);
    expect(ids).toEqual([2, 3, 4, 5]);
  });

  it('managed save restores with reason restored and a booted guest', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    s.managedSave('v');
    expect(s.lookupDomain('v')).toMatchObject({ state: 'shut off', reason: 'saved', managedSave: true });
    s.startDomain('v');
    const d = s.lookupDomain('v');
    expect(d).toMatchObject({ state: 'running', reason: 'restored', managedSave: false });
    expect(d.bootedAt).toBe(s.clock().now);
    expect(lifecycleOf(s).slice(-2)).toEqual(['v:stopped/saved', 'v:started/restored']);
    s.managedSave('v');
    s.managedSaveRemove('v');
    expect(() => s.managedSaveRemove('v')).toThrow("Requested operation is not valid: domain 'v' has no managed save image");
    s.startDomain('v');
    expect(s.lookupDomain('v').reason).toBe('booted');
  });

  it('clock: pause, resume, speed, advance, elapse', () => {
    const s = sim();
    const t0 = s.clock().now;
    expect(() => s.setClockSpeed(0)).toThrow('invalid argument: clock speed must be a whole number from 1 to 1000, got 0');
    expect(() => s.setClockSpeed(1001)).toThrow(/got 1001/);
    expect(() => s.setClockSpeed(2.5)).toThrow(/got 2.5/);
    expect(() => s.advance(-1)).toThrow(/non-negative/);
    s.setClockSpeed(10);
    s.elapse(100);
    expect(s.clock().now).toBe(t0 + 1000);
    s.elapse(0.05);
    s.elapse(0.05);
    expect(s.clock().now).toBe(t0 + 1001); // sub-ms remainders add up
    s.pauseClock();
    s.elapse(1000);
    expect(s.clock()).toMatchObject({ now: t0 + 1001, paused: true, speed: 10 });
    s.advance(500); // advance works while paused
    expect(s.clock().now).toBe(t0 + 1501);
    s.resumeClock();
    expect(s.recentEvents().filter((e) => e.type === 'clock').map((e) => e.type === 'clock' && e.what)).toEqual(['speed', 'paused', 'resumed']);
  });

  it('events: one per change, clock advanced delivered but not kept, none on error or no-op', () => {
    const s = sim([dom('v', 'kvm1', { state: 'running' })]);
    const got: string[] = [];
    s.subscribe((e) => got.push(e.type === 'clock' ? `clock:${e.what}` : e.type === 'domain.lifecycle' ? e.event : e.type));
    s.shutdownDomain('v');
    s.advance(10_000);
    s.setAutostart('v', true);
    s.setAutostart('v', true); // no change, no event
    s.pauseClock();
    s.pauseClock();
    expect(() => s.destroyDomain('v')).toThrow();
    expect(got).toEqual(['shutdown', 'stopped', 'clock:advanced', 'domain.changed', 'clock:paused']);
    expect(s.recentEvents().some((e) => e.type === 'clock' && e.what === 'advanced')).toBe(false);
    const seqs = s.recentEvents().map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('the event ring is bounded at 500', () => {
    const s = sim([dom('v', 'kvm1')]);
    for (let i = 0; i < 300; i++) {
      s.startDomain('v');
      s.destroyDomain('v');
    }
    expect(s.recentEvents()).toHaveLength(500);
    expect(s.recentEvents(3)).toHaveLength(3);
    expect(s.recentEvents(3)[2].seq).toBe(s.recentEvents()[499].seq);
  });
});
