// What the user's terminal sent, as keys: a name in the keymap's vocabulary ("ctrl+]", "shift+pgup",
// "f2", "a") for the router, and a KeySpec for the engine's encoder. Ink's own key object cannot
// tell F-keys, Insert/Delete or modified arrows apart, and an attached console must send them all,
// so the console reads the raw input events Ink splits stdin into (one escape sequence, or a run
// of text) and parses them here. Re-encoding (rather than passing bytes through) lets the guest's
// modes apply: arrows become ESC O A when it asked for application cursor keys.
import type { KeyName, KeySpec } from '../../../engine/index';

export interface ConsoleKey {
  /** Keymap vocabulary: "up", "pgup", "shift+pgup", "f2", "ctrl+]", "enter", "space", "a", "A". */
  name: string;
  /** The text a text field takes for it (printable characters only). */
  input: string;
  /** What to encode for the guest; null for sequences we do not understand (never forwarded). */
  spec: KeySpec | null;
}

/** CSI/SS3 final letters → keys. */
const LETTER: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };
/** CSI n ~ → keys (xterm, rxvt and the VT220 Home/End variants). */
const TILDE: Record<number, KeyName> = {
  1: 'home', 2: 'insert', 3: 'delete', 4: 'end', 5: 'pageup', 6: 'pagedown', 7: 'home', 8: 'end',
  11: 'f1', 12: 'f2', 13: 'f3', 14: 'f4', 15: 'f5', 17: 'f6', 18: 'f7', 19: 'f8', 20: 'f9', 21: 'f10', 23: 'f11', 24: 'f12',
};
/** Engine key names → the keymap's ("pageup" is "pgup" there). */
const VOCAB: Partial<Record<KeyName, string>> = { pageup: 'pgup', pagedown: 'pgdn', escape: 'esc' };

function nameOf(spec: KeySpec): string {
  const mods = `${spec.ctrl ? 'ctrl+' : ''}${spec.alt ? 'alt+' : ''}`;
  if (spec.name) return `${mods}${spec.shift ? 'shift+' : ''}${VOCAB[spec.name] ?? spec.name}`;
  const ch = spec.char ?? '';
  return `${mods}${ch === ' ' && !mods ? 'space' : ch}`;
}

function key(spec: KeySpec | null, input = ''): ConsoleKey {
  return { name: spec ? nameOf(spec) : '', input, spec };
}

function withMods(name: KeyName, mod: number): KeySpec {
  const m = Math.max(0, mod - 1);
  const spec: KeySpec = { name };
  if (m & 1) spec.shift = true;
  if (m & (2 | 8)) spec.alt = true; // Meta counts as Alt, as xterm's metaSendsEscape does
  if (m & 4) spec.ctrl = true;
  return spec;
}

/** One escape sequence (ESC [ …, ESC O …, ESC x); null when it is not a key. */
function escapeKey(seq: string): KeySpec | null {
  if (seq.startsWith('\x1b\x1b')) {
    const inner = escapeKey(seq.slice(1));
    return inner ? { ...inner, alt: true } : null;
  }
  let m = /^\x1b\[(?:(\d+)(?:;(\d+))?)?([~A-DFHPQRSZ])$/.exec(seq);
  if (m) {
    const [, num, mod, final] = m;
    if (final === 'Z') return { name: 'tab', shift: true };
    if (final === '~') {
      const k = TILDE[Number(num)];
      return k ? withMods(k, Number(mod ?? 1)) : null;
    }
    return withMods(LETTER[final], Number(mod ?? (num && num !== '1' ? num : 1)));
  }
  m = /^\x1bO([A-DFHPQRS])$/.exec(seq);
  if (m) return { name: LETTER[m[1]] };
  m = /^\x1b\[\[([A-E])$/.exec(seq); // Linux console F1–F5
  if (m) return { name: (['f1', 'f2', 'f3', 'f4', 'f5'] as KeyName[])['ABCDE'.indexOf(m[1])] };
  if (seq.length >= 2 && !seq.startsWith('\x1b[') && !seq.startsWith('\x1bO')) {
    const rest = textKeys(seq.slice(1));
    return rest.length === 1 && rest[0].spec ? { ...rest[0].spec, alt: true } : null;
  }
  return null;
}

/** A run of text: printable characters and C0 controls (Enter, Tab, Backspace, Ctrl+letter). */
function textKeys(text: string): ConsoleKey[] {
  const out: ConsoleKey[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\r' || ch === '\n') out.push(key({ name: 'enter' }));
    else if (ch === '\t') out.push(key({ name: 'tab' }));
    else if (c === 0x7f) out.push(key({ name: 'backspace' }));
    else if (c === 0x1b) out.push(key({ name: 'escape' }));
    else if (c === 0) out.push(key({ char: ' ', ctrl: true }));
    else if (c < 0x1b) out.push(key({ char: String.fromCharCode(c + 0x60), ctrl: true }));
    else if (c < 0x20) out.push(key({ char: '\\]^_'[c - 0x1c], ctrl: true }));
    else if (c >= 0x80 && c < 0xa0) out.push(key(null)); // C1 controls: not keys
    else out.push(key({ char: ch }, ch));
  }
  return out;
}

/** The keys in one input event from Ink (an escape sequence, or text). */
export function parseInput(event: string): ConsoleKey[] {
  if (event === '\x1b' || event === '\x1b\x1b') return [key({ name: 'escape', alt: event.length === 2 })];
  if (event.startsWith('\x1b')) return [key(escapeKey(event))];
  return textKeys(event);
}

/**
 * A keymap key name back to a KeySpec: the fallback when a key reached the console through Ink's
 * parsed keys instead of the raw input (F-keys and modifiers on named keys are lost there).
 */
export function specFromName(name: string, input: string): KeySpec | null {
  const named: Record<string, KeySpec> = {
    up: { name: 'up' }, down: { name: 'down' }, left: { name: 'left' }, right: { name: 'right' },
    home: { name: 'home' }, end: { name: 'end' }, pgup: { name: 'pageup' }, pgdn: { name: 'pagedown' },
    enter: { name: 'enter' }, esc: { name: 'escape' }, tab: { name: 'tab' }, 'shift+tab': { name: 'tab', shift: true },
    backspace: { name: 'backspace' }, space: { char: ' ' },
  };
  if (named[name]) return named[name];
  if (name.startsWith('ctrl+') && name.length === 6) return { char: name[5], ctrl: true };
  return input ? { char: input } : null;
}
