// What the guests remember, as plain JSON inside SimState (persisted with the world): per domain
// its console ring, output and actions still due on the virtual clock, and its serial shell; per
// network segment the DHCP leases handed out. A domain's entry is created lazily (when its
// console is first looked at or something happens to it), so a 20,000-domain world that nobody
// watches carries nothing here.

import type { RingState } from '../console/ring';

export interface GuestUser {
  name: string;
  password: string;
}

/** Default login of every guest unless the fixture lists its own `users`. */
export const DEFAULT_USERS: readonly GuestUser[] = [{ name: 'root', password: 'virtyard' }];

/** Something the guest does at a virtual instant. */
export type GuestAction =
  | { kind: 'login-ready' }
  /** A foreground command finished: the shell prints its prompt. */
  | { kind: 'prompt' }
  | { kind: 'poweroff' }
  | { kind: 'panic' }
  | { kind: 'unload' }
  | { kind: 'disk-write'; pool: string; volume: string; bytes: number }
  | { kind: 'resize-timeout' };

export interface Pending {
  at: number;
  text?: string;
  act?: GuestAction;
}

export type ShellStage = 'off' | 'boot' | 'login' | 'password' | 'shell' | 'busy' | 'down';

export interface ShellState {
  stage: ShellStage;
  user: string | null;
  /** Username typed at the login prompt, while the password is asked. */
  loginName: string | null;
  line: string;
  cursor: number;
  history: string[];
  /** Index into history while browsing with ↑/↓, else null. */
  browse: number | null;
  /** The line being typed before browsing started. */
  draft: string;
  /** An incomplete escape sequence from the keyboard. */
  esc: string;
  /** `resize` is waiting for the terminal's cursor position report. */
  awaitingCpr: boolean;
  /** Terminal size the guest believes in (stty), set by `resize`. */
  cols: number;
  rows: number;
  /** Files written by dd in this boot (name → bytes), for ls/rm. */
  files: Record<string, number>;
  /** Login count of this boot (for "Last login"). */
  logins: number;
}

export interface GuestConsole {
  ring: RingState;
  /** Output and actions not yet due, in time order. */
  queue: Pending[];
  /** The domain is paused since this virtual ms: its guest's timeline stands still. */
  frozenAt: number | null;
  /** Virtual ms of the current boot's power-on (kernel timestamps count from here). */
  bootAt: number | null;
  shell: ShellState;
}

export interface GuestWorld {
  consoles: Record<string, GuestConsole>;
  /** segment key → MAC → IPv4 */
  leases: Record<string, Record<string, string>>;
  users?: GuestUser[];
}

export function newShell(): ShellState {
  return {
    stage: 'off', user: null, loginName: null, line: '', cursor: 0, history: [], browse: null, draft: '', esc: '',
    awaitingCpr: false, cols: 80, rows: 24, files: {}, logins: 0,
  };
}
