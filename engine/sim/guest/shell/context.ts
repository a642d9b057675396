// What a shell command may touch: the world (through the engine's own verbs), its domain, its
// console (immediate output, output and actions later on the virtual clock) and its facts.

import type { World } from '../../world/world';
import type { DomainRecord } from '../../world/state';
import type { BootFacts } from '../facts';
import type { OsEntry } from '../oscatalog';
import type { GuestAction, GuestConsole, GuestUser, GuestWorld } from '../state';

export interface ShellCtx {
  w: World;
  d: DomainRecord;
  g: GuestConsole;
  gw: GuestWorld;
  os: OsEntry;
  users: readonly GuestUser[];
  /** Output now. */
  out(text: string): void;
  /** Output and/or an action `ms` from now on the guest's timeline. */
  later(ms: number, text?: string, act?: GuestAction): void;
  /** Facts of the running guest as it sees itself now (no new leases). */
  facts(): BootFacts;
  /** Virtual ms since this boot's power-on. */
  uptimeMs(): number;
  /**
   * Record a change of the guest session in the world's event stream (a login, a command run):
   * the session is world state, persisted like the rest, so it announces itself like the rest.
   */
  note(message: string): void;
  /** Begin the guest's own shutdown (poweroff, halt) or reboot. */
  goDown(kind: 'poweroff' | 'halt' | 'reboot'): void;
}

/**
 * A command's result: done now (the prompt follows), busy until an action prints the prompt, or
 * handled (it already printed its prompt, e.g. resize answered by the terminal at once).
 */
export type CommandResult = 'done' | 'busy' | 'handled';

export type Command = (ctx: ShellCtx, argv: string[], raw: string) => CommandResult;
