// THE keymap: one declarative table that drives the key router, the footer hints, the `?` help
// screen and the `:` palette's list of key actions. A binding with `command` is a virsh command
// line run through the CommandRunner (so the status line shows its virsh equivalent); the others
// are UI actions the controller implements by id.
import type { ClockInfo, DomainInfo, HostInfo } from '../../engine/index';
import { COMPUTE_GLOBAL_KEYMAP, COMPUTE_SCREEN_KEYMAP } from '../panes/top/bindings';
import { CONSOLE_KEYMAP, CONSOLE_OPEN_KEYMAP } from '../panes/console/keymap';
import { navigation } from './navigation';

export type Scope = 'global' | 'table' | 'tree' | 'dialog' | 'palette' | 'help' | 'top' | 'heatmap' | 'hostcpu' | 'console' | 'scrollback' | 'search';

/** What a command binding acts on. */
export interface Selection {
  domain: DomainInfo | null;
  host: HostInfo | null;
  clock: ClockInfo;
}

export type DialogKind = 'confirm' | 'typed' | 'filter' | 'output' | 'form';

export interface Binding {
  id: string;
  keys: string[];
  description: string;
  scope: Scope;
  /** Short footer label ("start"); bindings without one appear in help only. */
  hint?: string;
  /** Asks first: 'yes' = y/n dialog, 'typed' = type the domain's name. */
  dangerous?: 'yes' | 'typed';
  /** Needs a selected domain (the command is built from it). */
  needsDomain?: boolean;
  /** The virsh command line for the selection. */
  command?: (sel: Selection) => string;
  /** Dialog bindings that apply only to some dialog kinds. */
  dialogs?: DialogKind[];
  /** Still active under modal layers (the emergency exit). */
  always?: boolean;
  /** Console bindings that apply only in the tiled view (elsewhere the key goes to the guest). */
  tiledOnly?: boolean;
}

/** A domain as a command argument: Domain-0 is ambiguous across Xen hosts, quote odd names. */
export function domainArg(d: DomainInfo): string {
  const ref = d.isDom0 ? `${d.host}/Domain-0` : d.name;
  return /^[\w.@:/+-]+$/.test(ref) ? ref : `'${ref.replace(/'/g, `'\\''`)}'`;
}

export const SPEEDS = [1, 10, 100, 1000];

/** The next clock speed up or down the ×1/×10/×100/×1000 ladder. */
export function nextSpeed(speed: number, dir: 1 | -1): number {
  if (dir > 0) return SPEEDS.find((s) => s > speed) ?? SPEEDS[SPEEDS.length - 1];
  return [...SPEEDS].reverse().find((s) => s < speed) ?? SPEEDS[0];
}

const dom = (verb: string) => (s: Selection) => `${verb} ${domainArg(s.domain!)}`;

export const KEYMAP: readonly Binding[] = [
  // ── domain actions (on the selected domain of the focused pane) ──────────
  { id: 'domain.start', keys: ['s'], description: 'Start the domain', scope: 'global', hint: 'start', needsDomain: true, command: dom('start') },
  { id: 'domain.shutdown', keys: ['S'], description: 'Shut down the domain (ACPI)', scope: 'global', hint: 'shutdown', needsDomain: true, command: dom('shutdown') },
  { id: 'domain.destroy', keys: ['F'], description: 'Force off (destroy) the domain', scope: 'global', hint: 'force off', needsDomain: true, dangerous: 'yes', command: dom('destroy') },
  { id: 'domain.reboot', keys: ['R'], description: 'Reboot the domain', scope: 'global', hint: 'reboot', needsDomain: true, command: dom('reboot') },
  {
    id: 'domain.pause', keys: ['p'], description: 'Pause / resume the domain', scope: 'global', hint: 'pause', needsDomain: true,
    command: (s) => `${s.domain!.state === 'paused' ? 'resume' : 'suspend'} ${domainArg(s.domain!)}`,
  },
  {
    id: 'domain.autostart', keys: ['a'], description: 'Toggle autostart', scope: 'global', needsDomain: true,
    command: (s) => (s.domain!.autostart ? `autostart --disable ${domainArg(s.domain!)}` : `autostart ${domainArg(s.domain!)}`),
  },
  { id: 'domain.undefine', keys: ['D'], description: 'Delete (undefine) the domain — type its name to confirm', scope: 'global', hint: 'delete', needsDomain: true, dangerous: 'typed', command: dom('undefine') },
  ...CONSOLE_OPEN_KEYMAP,
  // ── the simulated clock ──────────────────────────────────────────────────
  { id: 'clock.toggle', keys: ['space'], description: 'Pause / resume the virtual clock', scope: 'global', hint: 'clock', command: (s) => (s.clock.paused ? 'clock resume' : 'clock pause') },
  { id: 'clock.step', keys: ['.'], description: 'Advance the clock by 1 second', scope: 'global', command: () => 'clock advance 1s' },
  { id: 'clock.stepMinute', keys: ['>'], description: 'Advance the clock by 1 minute', scope: 'global', command: () => 'clock advance 1m' },
  { id: 'clock.faster', keys: ['+', '='], description: 'Clock speed up (×1 → ×10 → ×100 → ×1000)', scope: 'global', command: (s) => `clock speed ${nextSpeed(s.clock.speed, 1)}` },
  { id: 'clock.slower', keys: ['-'], description: 'Clock speed down', scope: 'global', command: (s) => `clock speed ${nextSpeed(s.clock.speed, -1)}` },
  // ── screens and focus ────────────────────────────────────────────────────
  { id: 'filter.open', keys: ['/'], description: 'Filter domains (substring or regex over name, host, state, OS)', scope: 'global', hint: 'filter' },
  { id: 'palette.open', keys: [':'], description: 'Command palette (any virsh command)', scope: 'global', hint: 'cmd' },
  { id: 'help.open', keys: ['?'], description: 'Help: every key binding', scope: 'global', hint: 'help' },
  { id: 'focus.next', keys: ['tab', 'shift+tab'], description: 'Switch focus between hosts tree and domain table', scope: 'global' },
  { id: 'app.quit', keys: ['q', 'ctrl+c'], description: 'Quit', scope: 'global', hint: 'quit', always: true },
  ...COMPUTE_GLOBAL_KEYMAP,
  // ── domain table ─────────────────────────────────────────────────────────
  ...navigation('table', 'domain'),
  { id: 'table.sortNext', keys: ['o'], description: 'Sort by the next column', scope: 'table', hint: 'sort' },
  { id: 'table.sortFlip', keys: ['O'], description: 'Flip the sort direction', scope: 'table' },
  { id: 'table.clearFilter', keys: ['esc'], description: 'Clear the filter', scope: 'table' },
  // ── hosts tree ───────────────────────────────────────────────────────────
  ...navigation('tree', 'row'),
  { id: 'tree.collapse', keys: ['left', 'h'], description: 'Collapse the host', scope: 'tree' },
  { id: 'tree.expand', keys: ['right', 'l'], description: 'Expand the host', scope: 'tree' },
  { id: 'tree.toggle', keys: ['enter'], description: 'Expand / collapse a host; on a domain, show it in the table', scope: 'tree', hint: 'open' },
  // ── dialogs (confirmations, the filter line, command output) ─────────────
  { id: 'dialog.yes', keys: ['y'], description: 'Confirm', scope: 'dialog', hint: 'yes', dialogs: ['confirm'] },
  { id: 'dialog.no', keys: ['n'], description: 'Cancel', scope: 'dialog', hint: 'no', dialogs: ['confirm'] },
  { id: 'dialog.submit', keys: ['enter'], description: 'Confirm the typed name / keep the filter / close', scope: 'dialog', hint: 'ok', dialogs: ['typed', 'filter', 'output'] },
  { id: 'dialog.cancel', keys: ['esc'], description: 'Cancel (clears the filter) / close', scope: 'dialog', hint: 'cancel' },
  { id: 'dialog.down', keys: ['down'], description: 'Scroll output down', scope: 'dialog', hint: 'scroll', dialogs: ['output'] },
  { id: 'dialog.up', keys: ['up'], description: 'Scroll output up', scope: 'dialog', dialogs: ['output'] },
  { id: 'dialog.pageDown', keys: ['pgdn'], description: 'Page output down', scope: 'dialog', dialogs: ['output'] },
  { id: 'dialog.pageUp', keys: ['pgup'], description: 'Page output up', scope: 'dialog', dialogs: ['output'] },
  { id: 'dialog.backspace', keys: ['backspace'], description: 'Delete a character', scope: 'dialog', dialogs: ['typed', 'filter'] },
  // ── command palette ──────────────────────────────────────────────────────
  { id: 'palette.run', keys: ['enter'], description: 'Run the command line', scope: 'palette', hint: 'run' },
  { id: 'palette.complete', keys: ['tab'], description: 'Complete a command or domain name', scope: 'palette', hint: 'complete' },
  { id: 'palette.historyUp', keys: ['up'], description: 'Previous command from history', scope: 'palette', hint: 'history' },
  { id: 'palette.historyDown', keys: ['down'], description: 'Next command from history', scope: 'palette' },
  { id: 'palette.backspace', keys: ['backspace'], description: 'Delete a character', scope: 'palette' },
  { id: 'palette.close', keys: ['esc'], description: 'Close the palette', scope: 'palette', hint: 'close' },
  // ── help screen ──────────────────────────────────────────────────────────
  { id: 'help.down', keys: ['down', 'j'], description: 'Scroll down', scope: 'help', hint: 'scroll' },
  { id: 'help.up', keys: ['up', 'k'], description: 'Scroll up', scope: 'help' },
  { id: 'help.pageDown', keys: ['pgdn', 'space'], description: 'Page down', scope: 'help' },
  { id: 'help.pageUp', keys: ['pgup'], description: 'Page up', scope: 'help' },
  { id: 'help.close', keys: ['esc', '?', 'q'], description: 'Close help', scope: 'help', hint: 'close' },
  ...COMPUTE_SCREEN_KEYMAP,
  ...CONSOLE_KEYMAP,
];

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere (domain actions use the selected domain)',
  table: 'Domain table',
  tree: 'Hosts tree',
  dialog: 'Dialogs, filter line and command output',
  palette: 'Command palette (:)',
  help: 'Help screen',
  top: 'virt-top screen (t)',
  heatmap: 'Fleet load heatmap (L)',
  hostcpu: 'Host view: pCPUs and memory (H)',
  console: 'Serial console, attached (every other key goes to the guest as a terminal sends it)',
  scrollback: 'Console scrollback (also a console whose domain is not running): keys stay in virtyard',
  search: 'Console search line',
};

export const SCOPE_ORDER: Scope[] = ['global', 'table', 'tree', 'top', 'heatmap', 'hostcpu', 'palette', 'dialog', 'help', 'console', 'scrollback', 'search'];

export function bindingById(id: string): Binding {
  const b = KEYMAP.find((x) => x.id === id);
  if (!b) throw new Error(`no key binding '${id}'`);
  return b;
}
