// "Simple" text: every UTF-16 unit is a code point that is one column wide and its own grapheme
// cluster whatever surrounds it (Latin, punctuation, arrows, box drawing, geometric shapes — what
// the TUI draws). For such text the width is its length and its graphemes are its characters, so
// string-width's and ansi-tokenize's Intl.Segmenter + emoji-regex machinery can be skipped: on a
// cold start that machinery (compiling /\p{RGI_Emoji}/v, segmenting every line) is a large part of
// the first frame. test/ui/ink-shims.test.ts checks every code point listed here against the real
// libraries, so the fast paths return exactly what they would.
const RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // printable ASCII
  [0xa0, 0xac], // Latin-1 (not the soft hyphen, a format character)
  [0xae, 0x2ff], // Latin-1, Latin Extended, IPA, spacing modifiers (combining marks start at 0x300)
  [0x391, 0x3a1], // Greek capitals (Σ in the heatmap's legend, Δ …), 0x3a2 is unassigned
  [0x3a3, 0x3c9], // Greek capitals and small letters (µ-like symbols, α β …)
  [0x2010, 0x2027], // dashes, quotes, bullets, … (not the line/paragraph separators)
  [0x2030, 0x205e], // ‰ ′ ‹ › ⁄ …
  [0x2100, 0x2319], // letterlike, number forms, arrows, mathematical operators
  [0x2500, 0x25fc], // box drawing, block elements, geometric shapes (◽◾ are emoji)
  [0x2758, 0x2767], // ❚ and other heavy ornaments
];

// One flag per UTF-16 unit: frames are made of text these checks scan character by character.
const SIMPLE = new Uint8Array(0x10000);
for (const [a, b] of RANGES) SIMPLE.fill(1, a, b + 1);

export function isSimpleCodeUnit(c: number): boolean {
  return SIMPLE[c] === 1;
}

export function isSimpleText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (SIMPLE[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** The end of the SGR code that starts at `i` (an ESC) as the SGR pattern below reads it, or −1. */
export function sgrEnd(s: string, i: number): number {
  const end = s.length;
  if (i + 1 >= end || s.charCodeAt(i + 1) !== 0x5b) return -1; // [
  let j = i + 2;
  if (j < end && s.charCodeAt(j) === 0x6d) return j + 1; // m: no parameters
  for (;;) {
    const from = j;
    while (j < end && j - from < 3 && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
    if (j === from || j >= end) return -1;
    const c = s.charCodeAt(j);
    if (c === 0x6d) return j + 1;
    if (c !== 0x3b) return -1; // ;
    j++;
  }
}

// SGR codes (colour, bold, inverse…) as chalk writes them. Only these escapes are split off:
// the libraries' own parsers read exactly the same span for them (1–3 digit parameters).
const SGR = /\x1b\[(?:\d{1,3}(?:;\d{1,3})*)?m/g;

/**
 * Simple text with SGR codes split out: [text, code, text, …, text] (even indexes text, odd
 * indexes codes), or null if any text part is not simple (or has another kind of escape).
 */
export function splitSgr(s: string): string[] | null {
  if (s.indexOf('\x1b') < 0) return isSimpleText(s) ? [s] : null;
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(SGR)) {
    const text = s.slice(last, m.index);
    if (!isSimpleText(text)) return null;
    parts.push(text, m[0]);
    last = m.index + m[0].length;
  }
  const tail = s.slice(last);
  if (!isSimpleText(tail)) return null;
  parts.push(tail);
  return parts;
}

/** Columns of simple text with SGR codes (they take none), or −1 if it is not that. */
export function simpleWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SIMPLE[c] === 1) w++;
    else if (c !== 0x1b || (i = sgrEnd(s, i) - 1) < 0) return -1;
  }
  return w;
}

// Ink's sanitize, its layout and its output each ask about the same text in turn, and a text that
// did not change is asked about again on every frame: the answers are kept. Short texts (most of a
// screen) by text in a map, which starts over past KEPT_SHORT; the few long ones (the heatmap's
// grid, the vCPU pane) in a ring compared by === — hashing a 10 KB text that is new every frame
// would cost what scanning it does, and a text of another length differs at once.
const LONG = 1000;
const KEPT_SHORT = 512;
const KEPT_LONG = 8;
let keptShort = new Map<string, number>();
const keptLong: string[] = new Array(KEPT_LONG).fill('');
const keptLongWidest: number[] = new Array(KEPT_LONG).fill(0);
let keptLongNext = 0;

function keep(s: string, widest: number): number {
  if (s.length <= LONG) {
    if (keptShort.size >= KEPT_SHORT) keptShort = new Map();
    keptShort.set(s, widest);
  } else {
    keptLong[keptLongNext] = s;
    keptLongWidest[keptLongNext] = widest;
    keptLongNext = (keptLongNext + 1) % KEPT_LONG;
  }
  return widest;
}

function kept(s: string): number | undefined {
  if (s.length <= LONG) return keptShort.get(s);
  for (let k = 0; k < KEPT_LONG; k++) if (keptLong[k] === s) return keptLongWidest[k];
  return undefined;
}

/**
 * Lines joined into one text, with the widest of their widths (each as simpleWidest says, −1 if
 * not simple) kept for it: a grid of cached lines (the heatmap) changes a row or two a frame, and
 * its text need not be scanned again for what its lines already told.
 */
export function joinMeasured(lines: readonly { line: string; width: number }[]): string {
  const parts: string[] = new Array(lines.length);
  let widest = 0;
  let simple = true;
  for (let i = 0; i < lines.length; i++) {
    const { line, width } = lines[i];
    parts[i] = line;
    if (width < 0) simple = false;
    else if (width > widest) widest = width;
  }
  const text = parts.join('\n');
  if (simple) keep(text, widest); // else the text is scanned as any other
  return text;
}

/** The widest line of simple text with SGR codes and newlines, or −1 if it is not that. */
export function simpleWidest(s: string): number {
  const hit = kept(s);
  if (hit !== undefined) return hit;
  let widest = 0;
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SIMPLE[c] === 1) w++;
    else if (c === 0x0a) {
      if (w > widest) widest = w;
      w = 0;
    } else if (c !== 0x1b || (i = sgrEnd(s, i) - 1) < 0) {
      widest = w = -1;
      break;
    }
  }
  return keep(s, w > widest ? w : widest);
}

/** Every code point the fast paths accept (for the equivalence test). */
export function simpleCodePoints(): number[] {
  const out: number[] = [];
  for (const [a, b] of RANGES) for (let c = a; c <= b; c++) out.push(c);
  return out;
}
