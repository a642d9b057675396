// The few lifecycle primitives the guest side uses, in one place.

import { crash, guestPoweredOff } from '../domains/lifecycle';
import { beginReboot, bootMs, changed, shutdownMs } from '../domains/runstate';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';

export { bootMs, changed, shutdownMs };

/** The guest powered itself off (poweroff/halt typed on its console): on_poweroff applies. */
export function guestPoweredOffHook(w: World, d: DomainRecord): void {
  guestPoweredOff(w, d, 'guest');
}

/** A reboot from inside the guest: the same path as an ACPI reboot; on_reboot decides at the reset. */
export function rebootHook(w: World, d: DomainRecord): void {
  beginReboot(w, d);
  changed(w, d, 'reboot', `Domain '${d.name}' is rebooting (guest request)`);
}

/** Kernel panic: on_crash applies. */
export function crashHook(w: World, d: DomainRecord): void {
  crash(w, d);
}
