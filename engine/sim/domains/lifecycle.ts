// The lifecycle verbs (start, shutdown, destroy, reboot, reset, suspend, resume, managed save,
// crash) and the guest-driven completions (ACPI power-off, reboot reset) with on_* actions.
// Each verb validates fully, then changes the world, then emits exactly one event.
// Error texts follow virsh.md §4 (E2–E5) and real QEMU where the test driver is looser.

import { VirError } from '../../api/errors';
import type { LifecycleAction } from '../../api/types';
import type { World } from '../world/world';
import type { DomainRecord, Timer } from '../world/state';
import { checkStart } from './admission';
import { activate, arm, beginReboot, bootMs, changed, deactivate, guestReset, lifecycle, newToken, shutdownMs } from './runstate';

const invalid = (detail: string) => VirError.of('VIR_ERR_OPERATION_INVALID', detail);
/** E5: destroy / reboot / reset of an inactive domain (and QEMU's check for non-running states). */
const notRunning = () => invalid('domain is not running');

export function refuseDom0(d: DomainRecord, verb: string): void {
  if (d.isDom0) invalidDom0(d, verb);
}

function invalidDom0(d: DomainRecord, verb: string): never {
  throw invalid(`cannot ${verb} Domain-0 on host '${d.host}': it is the Xen control domain and always runs`);
}

const isRestart = (a: LifecycleAction) => a === 'restart' || a === 'rename-restart' || a === 'coredump-restart';

export function start(w: World, d: DomainRecord): void {
  checkStart(w, d);
  const restored = d.managedSave;
  const paused = restored && !!d.managedSavePaused;
  d.managedSave = false;
  delete d.managedSavePaused;
  activate(w, d, restored ? 'restored' : 'booted');
  if (paused) {
    // QEMU resumes the vCPUs of a restored image only if the guest was running when saved.
    d.state = 'paused';
    d.reason = 'user';
    d.pausedAt = w.now;
  }
  const how = restored ? `restored${paused ? ', paused' : ''}` : 'booted';
  lifecycle(w, d, 'started', restored ? 'restored' : 'booted', `Domain '${d.name}' started (${how})`);
}

/** ACPI power button: the guest goes "in shutdown" for its OS's shutdown time. */
export function shutdown(w: World, d: DomainRecord): void {
  refuseDom0(d, 'shut down');
  // E4 for an inactive domain; a paused, crashed or already stopping guest cannot take ACPI (QEMU).
  if (d.id === null) throw VirError.of('VIR_ERR_INTERNAL_ERROR', `domain '${d.name}' not running`);
  if (d.state !== 'running') throw notRunning();
  d.state = 'in shutdown';
  d.reason = 'user';
  d.rebooting = false;
  newToken(w, d);
  // ACPI events only reach an OS that has finished booting.
  arm(w, d, Math.max(w.now, d.bootedAt ?? w.now) + shutdownMs(d), 'shutdown-complete');
  w.touch(d, true);
  lifecycle(w, d, 'shutdown', 'host', `Domain '${d.name}' is being shutdown`);
}

export function destroy(w: World, d: DomainRecord): void {
  refuseDom0(d, 'destroy');
  if (d.id === null) throw notRunning();
  const name = d.name;
  deactivate(w, d, 'destroyed');
  lifecycle(w, d, 'stopped', 'destroyed', `Domain '${name}' destroyed`);
}

export function reboot(w: World, d: DomainRecord): void {
  refuseDom0(d, 'reboot');
  if (d.id === null || d.state === 'crashed' || d.state === 'in shutdown') throw notRunning();
  if (d.state === 'paused') {
    if (d.reason === 'shutting down' || d.reason === 'crashed') throw notRunning();
    if (d.pendingReboot) return; // a second press of the same button changes nothing
    d.pendingReboot = true;
    w.touch(d);
    changed(w, d, 'reboot', `Domain '${d.name}' will reboot when resumed`);
    return;
  }
  if (d.rebooting) return;
  beginReboot(w, d);
  changed(w, d, 'reboot', `Domain '${d.name}' is being rebooted`);
}

/** Hard reset: the guest restarts at once. QEMU turns a crashed domain into paused (crashed). */
export function reset(w: World, d: DomainRecord): void {
  refuseDom0(d, 'reset');
  if (d.id === null) throw notRunning();
  if (d.state === 'crashed') {
    d.state = 'paused';
    d.reason = 'crashed';
    d.pausedAt = w.now;
    newToken(w, d);
    w.touch(d, true);
  } else if (d.state === 'paused') {
    // The vCPUs stay stopped; the guest boots from scratch on its own (frozen) timeline once resumed.
    d.bootedAt = (d.pausedAt ?? w.now) + bootMs(d);
    d.rebooting = false;
    d.pendingReboot = false;
    if (d.reason === 'shutting down') d.reason = 'user';
    newToken(w, d);
    w.touch(d);
  } else {
    guestReset(w, d);
  }
  changed(w, d, 'reset', `Domain '${d.name}' was reset`);
}

export function suspend(w: World, d: DomainRecord): void {
  refuseDom0(d, 'suspend');
  if (d.state !== 'running') throw VirError.of('VIR_ERR_INTERNAL_ERROR', `domain '${d.name}' not running`); // E2
  d.state = 'paused';
  d.reason = 'user';
  d.pausedAt = w.now;
  newToken(w, d); // a reboot in progress resumes with the guest
  w.touch(d, true);
  lifecycle(w, d, 'suspended', 'paused', `Domain '${d.name}' suspended`);
}

export function resume(w: World, d: DomainRecord): void {
  refuseDom0(d, 'resume');
  if (d.state !== 'paused') throw VirError.of('VIR_ERR_INTERNAL_ERROR', `domain '${d.name}' not paused`); // E3
  if (d.reason === 'shutting down') {
    throw invalid(`domain '${d.name}' has powered off (on_poweroff=preserve); reset or destroy it`);
  }
  // The guest's own timeline stood still while paused: a boot in progress continues where it was.
  if (d.pausedAt !== null && d.bootedAt !== null && d.bootedAt > d.pausedAt) d.bootedAt += w.now - d.pausedAt;
  d.state = 'running';
  d.reason = 'unpaused';
  d.pausedAt = null;
  if (d.pendingReboot || d.rebooting) beginReboot(w, d);
  w.touch(d, true);
  lifecycle(w, d, 'resumed', 'unpaused', `Domain '${d.name}' resumed`);
}

export function managedSave(w: World, d: DomainRecord): void {
  refuseDom0(d, 'save');
  if (d.id === null) throw notRunning();
  if (!d.persistent) throw invalid('cannot do managed save for transient domain');
  if (d.state !== 'running' && d.state !== 'paused') throw notRunning();
  const paused = d.state === 'paused';
  deactivate(w, d, 'saved');
  d.managedSave = true;
  if (paused) d.managedSavePaused = true;
  lifecycle(w, d, 'stopped', 'saved', `Domain '${d.name}' state saved by libvirt`);
}

export function managedSaveRemove(w: World, d: DomainRecord): void {
  if (!d.managedSave) throw invalid(`domain '${d.name}' has no managed save image`);
  d.managedSave = false;
  delete d.managedSavePaused;
  w.touch(d);
  changed(w, d, 'managedsave', `Removed managedsave image for domain '${d.name}'`);
}

export function setAutostart(w: World, d: DomainRecord, on: boolean): void {
  refuseDom0(d, 'set autostart of');
  if (!d.persistent) throw invalid('cannot set autostart for transient domain');
  if (d.autostart === on) return;
  d.autostart = on;
  w.touch(d);
  changed(w, d, 'autostart', `Domain '${d.name}' ${on ? 'marked as autostarted' : 'unmarked as autostarted'}`);
}

/** Guest kernel panic; honours on_crash. */
export function crash(w: World, d: DomainRecord): void {
  refuseDom0(d, 'crash');
  if (d.state !== 'running') throw notRunning();
  const action = d.live!.onCrash;
  const name = d.name;
  let outcome: string;
  if (isRestart(action)) {
    guestReset(w, d);
    outcome = 'restarted';
  } else if (action === 'preserve') {
    d.state = 'crashed';
    d.reason = 'panicked';
    d.rebooting = false;
    newToken(w, d);
    w.touch(d, true);
    outcome = 'preserved';
  } else {
    deactivate(w, d, 'crashed');
    outcome = 'destroyed';
  }
  lifecycle(w, d, 'crashed', 'panicked', `Domain '${name}' crashed (panicked): ${outcome} per on_crash=${action}`);
}

/** The guest OS has powered off (ACPI shutdown finished, or poweroff inside the guest); honours on_poweroff. */
export function guestPoweredOff(w: World, d: DomainRecord, detail: 'host' | 'guest'): void {
  const action = d.live!.onPoweroff;
  const name = d.name;
  if (isRestart(action)) {
    guestReset(w, d);
    changed(w, d, 'restart', `Domain '${name}' powered off and restarted per on_poweroff=${action}`);
  } else if (action === 'preserve') {
    d.state = 'paused';
    d.reason = 'shutting down';
    d.pausedAt = w.now;
    newToken(w, d);
    w.touch(d, true);
    lifecycle(w, d, 'shutdown', 'finished', `Domain '${name}' powered off; kept per on_poweroff=preserve`);
  } else {
    deactivate(w, d, 'shutdown');
    lifecycle(w, d, 'stopped', 'shutdown', `Domain '${name}' shut down (${detail} request)`);
  }
}

/** The reboot's reset point: on_reboot decides between booting again and staying off. */
function rebootReset(w: World, d: DomainRecord): void {
  const action = d.live!.onReboot;
  const name = d.name;
  if (action === 'destroy' || action === 'coredump-destroy') {
    deactivate(w, d, 'shutdown');
    lifecycle(w, d, 'stopped', 'shutdown', `Domain '${name}' shut down on reboot per on_reboot=${action}`);
  } else {
    guestReset(w, d);
    changed(w, d, 'rebooted', `Domain '${name}' rebooted`);
  }
}

/** Runs one due timer; stale timers (token changed, domain gone) do nothing. */
export function fireTimer(w: World, t: Timer): void {
  const d = w.byUuid.get(t.uuid);
  if (!d || d.token !== t.token) return;
  if (t.kind === 'shutdown-complete' && d.state === 'in shutdown') guestPoweredOff(w, d, 'host');
  else if (t.kind === 'reboot-reset' && d.state === 'running' && d.rebooting) rebootReset(w, d);
}
