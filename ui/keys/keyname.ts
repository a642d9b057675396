// Turns Ink's (input, key) pair into one key name, the vocabulary of the keymap table:
// printable characters as themselves ("j", "S", "/", "?"), named keys in lower case
// ("up", "pgdn", "enter", "esc", "tab", "space", "backspace"), and "ctrl+x" for control chars.
import type { Key } from 'ink';

export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  // Most terminals send DEL (0x7f) for the Backspace key; Ink calls it "delete".
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** A single printable character a text field accepts (pasted text arrives as one longer string). */
export function isPrintable(name: string, input: string): boolean {
  if (name === 'space') return true;
  return input.length > 0 && name === input && !/[\x00-\x1f\x7f]/.test(input);
}

const DISPLAY: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pgup: 'PgUp',
  pgdn: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  esc: 'Esc',
  tab: 'Tab',
  'shift+tab': 'Shift+Tab',
  space: 'Space',
  backspace: 'Backspace',
  'shift+pgup': 'Shift+PgUp',
  'shift+pgdn': 'Shift+PgDn',
  f2: 'F2',
  'shift+f2': 'Shift+F2',
};

/** How a key is written in hints and help: "↑", "PgDn", "Ctrl+C", "S". */
export function displayKey(name: string): string {
  if (DISPLAY[name]) return DISPLAY[name];
  if (name.startsWith('ctrl+')) return `Ctrl+${name.slice(5).toUpperCase()}`;
  return name;
}
