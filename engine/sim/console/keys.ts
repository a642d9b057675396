// Keys → the bytes a terminal (xterm) sends for them. Pure and table-driven, so the TUI and the
// CLI encode alike and a test can check the whole table. Modifiers follow xterm's scheme:
// CSI 1;m X with m = 1 + Shift(1) + Alt(2) + Ctrl(4); Alt alone on a character is ESC-prefixed.

export type KeyName =
  | 'up' | 'down' | 'right' | 'left' | 'home' | 'end' | 'pageup' | 'pagedown' | 'insert' | 'delete'
  | 'backspace' | 'enter' | 'tab' | 'escape'
  | 'f1' | 'f2' | 'f3' | 'f4' | 'f5' | 'f6' | 'f7' | 'f8' | 'f9' | 'f10' | 'f11' | 'f12';

export interface KeySpec {
  /** A named key, or omitted for a character key. */
  name?: KeyName;
  /** The character for character keys (a single code point). */
  char?: string;
  ctrl?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export interface KeyModes {
  /** DECCKM: the guest asked for application cursor keys (ESC O A instead of ESC [ A). */
  applicationCursor?: boolean;
}

/** Ctrl+] — the detach key of virsh console. */
export const DETACH = '\x1d';

/** Keys sent as CSI <letter> (SS3 <letter> in application mode when unmodified). */
const LETTER_KEYS: Partial<Record<KeyName, string>> = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' };
/** F1–F4 are SS3 P..S unmodified. */
const SS3_KEYS: Partial<Record<KeyName, string>> = { f1: 'P', f2: 'Q', f3: 'R', f4: 'S' };
/** Keys sent as CSI <n> ~. */
const TILDE_KEYS: Partial<Record<KeyName, number>> = {
  insert: 2, delete: 3, pageup: 5, pagedown: 6,
  f5: 15, f6: 17, f7: 18, f8: 19, f9: 20, f10: 21, f11: 23, f12: 24,
};
/** Ctrl with punctuation: the C0 codes a terminal sends. */
const CTRL_PUNCT: Record<string, string> = {
  ' ': '\x00', '@': '\x00', '2': '\x00', '[': '\x1b', '3': '\x1b', '\\': '\x1c', '4': '\x1c',
  ']': '\x1d', '5': '\x1d', '^': '\x1e', '6': '\x1e', '_': '\x1f', '-': '\x1f', '7': '\x1f', '/': '\x1f', '?': '\x7f', '8': '\x7f',
};

function modifier(k: KeySpec): number {
  return 1 + (k.shift ? 1 : 0) + (k.alt ? 2 : 0) + (k.ctrl ? 4 : 0);
}

function named(k: KeySpec & { name: KeyName }, modes: KeyModes): string {
  const m = modifier(k);
  const letter = LETTER_KEYS[k.name];
  if (letter) {
    if (m > 1) return `\x1b[1;${m}${letter}`;
    return (modes.applicationCursor ? '\x1bO' : '\x1b[') + letter;
  }
  const ss3 = SS3_KEYS[k.name];
  if (ss3) return m > 1 ? `\x1b[1;${m}${ss3}` : `\x1bO${ss3}`;
  const tilde = TILDE_KEYS[k.name];
  if (tilde !== undefined) return m > 1 ? `\x1b[${tilde};${m}~` : `\x1b[${tilde}~`;
  const alt = k.alt ? '\x1b' : '';
  switch (k.name) {
    case 'backspace':
      return alt + (k.ctrl ? '\x08' : '\x7f');
    case 'enter':
      return alt + '\r';
    case 'tab':
      return k.shift ? '\x1b[Z' : alt + '\t';
    case 'escape':
      return alt + '\x1b';
    default:
      return '';
  }
}

function character(k: KeySpec): string {
  const ch = k.char ?? '';
  if (!ch) return '';
  let out = ch;
  if (k.ctrl) {
    const lower = ch.toLowerCase();
    if (lower >= 'a' && lower <= 'z') out = String.fromCharCode(lower.charCodeAt(0) - 0x60);
    else if (ch in CTRL_PUNCT) out = CTRL_PUNCT[ch];
  } else if (k.shift && ch.length === 1) {
    out = ch.toUpperCase();
  }
  return (k.alt ? '\x1b' : '') + out;
}

/** The bytes a terminal sends for one key press ('' for a key that sends nothing). */
export function encodeKey(key: KeySpec, modes: KeyModes = {}): string {
  return key.name ? named(key as KeySpec & { name: KeyName }, modes) : character(key);
}
