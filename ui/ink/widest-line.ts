// widest-line for Ink (the bundle routes Ink's import here, see routes.json). Simple text (SGR
// codes aside, see simple-text.ts) is measured where it stands: one regex scan, then each line's
// length less its SGR codes, found by indexOf — no split, no string per line. Anything else goes
// to string-width line by line, as the real one does. Ink measures each text twice a frame
// (layout, then output), so the last answer is kept.
import { NEITHER_SIMPLE_NOR_NEWLINE_NOR_ESC, sgrEnd } from './simple-text';
import stringWidth from './string-width';

let lastText = '';
let lastWidth = 0;

export default function widestLine(text: string): number {
  if (text === lastText) return lastWidth;
  let w = NEITHER_SIMPLE_NOR_NEWLINE_NOR_ESC.test(text) ? -1 : simpleWidest(text);
  if (w < 0) w = Math.max(...text.split('\n').map((line) => stringWidth(line)));
  lastText = text;
  lastWidth = w;
  return w;
}

/** The widest line of text made of simple units, newlines and ESCs; −1 if an ESC starts no SGR code. */
function simpleWidest(text: string): number {
  let widest = 0;
  let esc = text.indexOf('\x1b');
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let w = end - start;
    for (; esc >= 0 && esc < end; esc = text.indexOf('\x1b', esc)) {
      const code = sgrEnd(text, esc, end);
      if (code < 0) return -1;
      w -= code - esc;
      esc = code;
    }
    if (w > widest) widest = w;
    start = end + 1;
  }
  return widest;
}
