// The console's rows of THE keymap (spliced into ui/keys/keymap.ts). Three layers:
// - console: attached and live. Only these keys stay in virtyard; every other key goes to the
//   guest, encoded as a terminal sends it. F2 is taken only in the tiled view.
// - scrollback: looking at history (Shift+PgUp), or the console of a domain that is not running.
//   Nothing goes to the guest here, so plain letters can be commands (/ n N f t s).
// - search: the search line, a text field.
import type { Binding } from '../../keys/keymap';

/** Main-screen keys that open consoles (global scope). */
export const CONSOLE_OPEN_KEYMAP: Binding[] = [
  { id: 'console.open', keys: ['c'], description: 'Serial console of the selected domain (attached; Ctrl+] detaches)', scope: 'global', hint: 'console' },
  { id: 'console.openFull', keys: ['C'], description: 'Full-screen serial console of the selected domain', scope: 'global' },
  { id: 'console.openTiled', keys: ['T'], description: 'Tiled consoles (up to 4): the selected domain and the consoles opened last', scope: 'global' },
];

export const CONSOLE_KEYMAP: Binding[] = [
  // ── attached ─────────────────────────────────────────────────────────────
  { id: 'console.detach', keys: ['ctrl+]'], description: 'Detach: close the console, back to the main screen', scope: 'console', hint: 'detach' },
  { id: 'console.scrollback', keys: ['shift+pgup'], description: 'Scroll back into the history (then / searches, Esc returns)', scope: 'console', hint: 'scrollback' },
  { id: 'console.nextTile', keys: ['f2'], description: 'Tiled view: keys go to the next console (F2 is not sent to the guest there)', scope: 'console', hint: 'next console', tiledOnly: true },
  { id: 'console.prevTile', keys: ['shift+f2'], description: 'Tiled view: keys go to the previous console', scope: 'console', tiledOnly: true },
  // ── scrollback, or a domain that is not running ──────────────────────────
  { id: 'scrollback.live', keys: ['esc', 'end', 'q', 'enter'], description: 'Back to the live console (a stopped domain: close it)', scope: 'scrollback', hint: 'live' },
  { id: 'scrollback.pageUp', keys: ['pgup', 'shift+pgup', 'ctrl+b'], description: 'Page up into the history', scope: 'scrollback', hint: 'scroll' },
  { id: 'scrollback.pageDown', keys: ['pgdn', 'shift+pgdn', 'ctrl+f', 'space'], description: 'Page down (to the bottom: live again)', scope: 'scrollback' },
  { id: 'scrollback.up', keys: ['up', 'k'], description: 'Scroll up a line', scope: 'scrollback' },
  { id: 'scrollback.down', keys: ['down', 'j'], description: 'Scroll down a line', scope: 'scrollback' },
  { id: 'scrollback.top', keys: ['home', 'g'], description: 'Oldest line kept', scope: 'scrollback' },
  { id: 'scrollback.search', keys: ['/'], description: 'Search the console (Enter finds the latest match)', scope: 'scrollback', hint: 'search' },
  { id: 'scrollback.next', keys: ['n'], description: 'Next match (older, upwards)', scope: 'scrollback', hint: 'next' },
  { id: 'scrollback.prev', keys: ['N'], description: 'Previous match (newer, downwards)', scope: 'scrollback' },
  { id: 'scrollback.full', keys: ['f'], description: 'Full screen / back to the console pane', scope: 'scrollback', hint: 'full screen' },
  { id: 'scrollback.tiled', keys: ['t'], description: 'Tile the consoles opened last (up to 4) / back to one', scope: 'scrollback', hint: 'tile' },
  { id: 'scrollback.start', keys: ['s'], description: 'Start the domain (its console shows the boot); resume it if paused', scope: 'scrollback', hint: 'start' },
  // ── the search line ──────────────────────────────────────────────────────
  { id: 'search.run', keys: ['enter'], description: 'Search (the latest match above the view)', scope: 'search', hint: 'find' },
  { id: 'search.cancel', keys: ['esc'], description: 'Cancel the search', scope: 'search', hint: 'cancel' },
  { id: 'search.backspace', keys: ['backspace'], description: 'Delete a character', scope: 'search' },
];
