// Ink's sanitize-ansi for its squash-text-nodes (the bundle routes it here, see routes.json): text
// whose only escapes are SGR codes (colour, bold…) comes back unchanged, so say so after one scan
// instead of tokenizing every escape and rebuilding the string. For simple text that scan is the
// one widest-line makes anyway (simple-text.ts keeps its answer). Anything else goes to the real one.
import realSanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';
import { sgrEnd, simpleWidest } from './simple-text';

const C1 = /[\x80-\x9f]/;

/** No C1 control (0x80–0x9f) and every ESC starts an SGR code (indexOf and the regex scan fast). */
function onlySgrEscapes(text: string): boolean {
  if (C1.test(text)) return false;
  for (let i = text.indexOf('\x1b'); i >= 0; ) {
    const end = sgrEnd(text, i);
    if (end < 0) return false;
    i = text.indexOf('\x1b', end);
  }
  return true;
}

export default function sanitizeAnsi(text: string): string {
  return simpleWidest(text) >= 0 || onlySgrEscapes(text) ? text : realSanitizeAnsi(text);
}
