// The low-level run-state changes every lifecycle verb is built from: bring a domain up
// (id, process, taps, memory accounting), take it down (and drop a transient one), reset the
// guest in place, and emit libvirt-style lifecycle events. Callers validate first.

import type { DomainLifecycle } from '../../api/events';
import { findOs } from '../guest/oscatalog';
import { armTimer } from '../timers';
import type { World } from '../world/world';
import type { DomainConfig, DomainRecord, TimerKind } from '../world/state';
import { cloneConfig } from './config';

export function osOf(config: DomainConfig) {
  return findOs(config.os)!;
}

export function bootMs(d: DomainRecord): number {
  return osOf(d.live ?? d.config).bootSeconds * 1000;
}

export function shutdownMs(d: DomainRecord): number {
  return osOf(d.live ?? d.config).shutdownSeconds * 1000;
}

export function lifecycle(w: World, d: DomainRecord, event: DomainLifecycle, detail: string, message: string): void {
  w.bus.emit({ type: 'domain.lifecycle', domain: d.name, uuid: d.uuid, host: d.host, event, detail, message });
}

export function changed(w: World, d: DomainRecord, what: string, message: string): void {
  w.bus.emit({ type: 'domain.changed', domain: d.name, uuid: d.uuid, host: d.host, what, message });
}

/** Forget the domain's pending timers (they carry the old token). */
export function newToken(w: World, d: DomainRecord): void {
  d.token = ++w.s.nextToken;
}

export function arm(w: World, d: DomainRecord, at: number, kind: TimerKind): void {
  armTimer(w.s, at, kind, d.uuid, d.token);
}

/** Brings a validated, inactive domain up as running/<reason>. */
export function activate(w: World, d: DomainRecord, reason: 'booted' | 'restored', startedAt = w.now): void {
  const host = w.host(d.host);
  const driver = w.driver(host);
  const live = cloneConfig(d.config);
  const id = w.s.nextDomainId++;
  d.live = live;
  w.setId(d, id);
  d.process = driver.spawn(host, live) ?? null;
  d.taps = driver.taps(host, id, live.nics.length);
  d.state = 'running';
  d.reason = reason;
  d.startedAt = startedAt;
  d.bootedAt = reason === 'restored' ? w.now : startedAt + bootMs(d);
  d.rebooting = false;
  d.pendingReboot = false;
  d.pausedAt = null;
  d.cpuTimeNs = 0;
  d.cpuPercent = 0;
  d.memoryUsedKiB = 0;
  newToken(w, d);
  w.adjustMem(d.host, live.memoryKiB);
  w.touch(d, true);
}

/** Takes an active domain down to shut off/<reason>. Returns true when a transient domain vanished. */
export function deactivate(w: World, d: DomainRecord, reason: 'shutdown' | 'destroyed' | 'crashed' | 'saved'): boolean {
  w.beforeStop?.(d);
  if (d.live) w.adjustMem(d.host, -d.live.memoryKiB);
  w.setId(d, null);
  d.live = null;
  d.process = null;
  d.taps = [];
  d.state = 'shut off';
  d.reason = reason;
  d.startedAt = null;
  d.bootedAt = null;
  d.rebooting = false;
  d.pendingReboot = false;
  d.pausedAt = null;
  d.cpuTimeNs = 0;
  d.cpuPercent = 0;
  d.memoryUsedKiB = 0;
  newToken(w, d);
  if (!d.persistent) {
    w.removeDomain(d);
    return true;
  }
  w.touch(d, true);
  return false;
}

/** The guest is reset in place (same id, same process): it boots again from now. */
export function guestReset(w: World, d: DomainRecord): void {
  d.state = 'running';
  d.reason = 'booted';
  d.bootedAt = w.now + bootMs(d);
  d.rebooting = false;
  d.pendingReboot = false;
  newToken(w, d);
  w.touch(d, true);
}

/** The guest starts going down for a reboot; the reset happens after its shutdown time. */
export function beginReboot(w: World, d: DomainRecord): void {
  d.rebooting = true;
  d.pendingReboot = false;
  newToken(w, d);
  arm(w, d, Math.max(w.now, d.bootedAt ?? w.now) + shutdownMs(d), 'reboot-reset');
  w.touch(d);
}
