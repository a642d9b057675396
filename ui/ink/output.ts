// Ink's Output (the grid a frame is composed on) for the bundle: esbuild.config.mjs routes Ink's
// renderer here. Ink's own Output builds the whole grid as one object per cell on every frame
// (12,000 at 200×60), re-tokenizes every line it is given and turns every row back into a string:
// most of a cursor-move frame, and its garbage is what makes frames in a big world's heap slower.
// This one composes frames of simple text (see simple-text.ts) row by row in two typed arrays (a
// char code and a style id per cell), keeps each distinct line's cells across frames, and reuses a
// row's string while the same cells are written to it (or it comes out the same). Anything else —
// clipping, text that is not simple, a write outside the grid — is handed to Ink's Output for
// that frame, so the result is always exactly Ink's (test/ui/ink-output.test.ts compares the two
// on random frames).
import * as tokenizer from './ansi-tokenize';
import StockOutput from '../../node_modules/ink/build/output.js';
import { flat } from '../flat';
import { isSimpleCodeUnit } from './simple-text';

type Transformer = (line: string, index: number) => string;
type StyledChar = ReturnType<typeof tokenizer.styledCharsFromTokens>[number];
type AnsiCode = StyledChar['styles'][number];
type Clip = Parameters<StockOutput['clip']>[0];
type Op = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

/** A line's cells: one char code and one style id per column. */
interface Cells {
  chars: Uint16Array;
  styles: Uint16Array;
}

// Interned styles (id 0: none), the escape codes between two of them, and each line's cells.
// They only grow with distinct content; past a bound they all start over (ids are reassigned),
// checked before a frame is composed so that no frame mixes old ids and new.
const MAX_STYLES = 4096;
const MAX_LINES = 50_000;
let styleIds = new Map<string, number>([['', 0]]);
let styleCodes: AnsiCode[][] = [[]];
let transitions = new Map<number, string>();
let lines = new Map<string, Cells | null>();

function resetCaches(): void {
  styleIds = new Map([['', 0]]);
  styleCodes = [[]];
  transitions = new Map();
  lines = new Map();
  prevRows = [];
  prevOpLines = [];
}

function styleId(codes: AnsiCode[]): number {
  const key = codes.map((c) => `${c.code}\u0000${c.endCode}`).join('\u0001');
  let id = styleIds.get(key);
  if (id === undefined) {
    id = styleCodes.length;
    styleIds.set(key, id);
    styleCodes.push(codes);
  }
  return id;
}

/** The codes that take a cell from style `a` to style `b`, as Ink's styledCharsToString writes them. */
function transition(a: number, b: number): string {
  const key = a * 0x10000 + b; // ids are Uint16
  let s = transitions.get(key);
  if (s === undefined) {
    s = tokenizer.ansiCodesToString(tokenizer.diffAnsiCodes(styleCodes[a], styleCodes[b]));
    transitions.set(key, s);
  }
  return s;
}

/** A line's cells as Ink would place them, or null if it is not simple text (one column per unit). */
function cellsOf(line: string): Cells | null {
  let cells = lines.get(line);
  if (cells !== undefined) return cells;
  const chars = tokenizer.styledCharsFromTokens(tokenizer.tokenize(line));
  cells = { chars: new Uint16Array(chars.length), styles: new Uint16Array(chars.length) };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.value.charCodeAt(0);
    if (c.value.length !== 1 || c.fullWidth || !isSimpleCodeUnit(code)) {
      cells = null;
      break;
    }
    cells.chars[i] = code;
    cells.styles[i] = styleId(c.styles);
  }
  lines.set(line, cells);
  return cells;
}

/**
 * A row of a frame: the writes that reached it (x and cells, flat, in order), its cells and text.
 * Cells are interned per line (`lines`), so the same writes make the same row: a row whose writes
 * are those of the frame before is that row, with no cell composed or compared.
 */
interface Row {
  writes: Array<number | Cells>;
  chars: Uint16Array;
  styles: Uint16Array;
  text: string;
}

// The row being composed (one frame is composed at a time), and the previous frame's rows.
let rowChars = new Uint16Array(0);
let rowStyles = new Uint16Array(0);
let prevRows: Row[] = [];
// Each write's text, lines and their cells in the previous frame, by write order. A line equal to
// the one the same write had there takes its cells without hashing it: comparing is a memcmp,
// looking the line up in `lines` hashes every character, and most of a big text is unchanged
// between frames. A write of the very same text at the same row of a grid as tall, through the
// same transformers (a <Text> React did not re-render keeps its transform function), takes all of
// them without splitting it: a pane that keeps its text (the heatmap's grid, MemoText) costs
// nothing to compose.
let prevOpLines: Array<{ text: string; fns: Transformer[]; y: number; h: number; lines: string[]; cells: Array<Cells | null> }> = [];

/** The same items (by identity) in the same order: transformers, a row's writes. */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCells(a: Uint16Array, b: Uint16Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds a line's cells at x to a row's writes; false where Ink's Output must draw the frame. */
function put(cells: Cells | null, x: number, writes: Array<number | Cells>, W: number): boolean {
  if (cells === null) return false;
  if (!cells.chars.length) return true;
  if (x < 0 || x + cells.chars.length > W) return false; // Ink would drop or widen cells
  writes.push(x, cells);
  return true;
}

/** Row r of this frame: the previous frame's while its writes (or its cells) are the same. */
function composeRow(prev: Row | undefined, writes: Array<number | Cells>, W: number): Row {
  if (prev && prev.chars.length === W && sameItems(prev.writes, writes)) return prev;
  rowChars.fill(32, 0, W);
  rowStyles.fill(0, 0, W);
  for (let k = 0; k < writes.length; k += 2) {
    const x = writes[k] as number;
    const cells = writes[k + 1] as Cells;
    rowChars.set(cells.chars, x);
    rowStyles.set(cells.styles, x);
  }
  const chars = rowChars.subarray(0, W);
  const styles = rowStyles.subarray(0, W);
  if (prev && prev.chars.length === W && sameCells(prev.chars, chars) && sameCells(prev.styles, styles)) return { ...prev, writes };
  const kept = { chars: chars.slice(), styles: styles.slice() };
  return { writes, ...kept, text: flat(rowText(kept.chars, kept.styles)) }; // joined into every frame
}

/** One row as Ink's styledCharsToString(row).trimEnd() writes it. */
function rowText(chars: Uint16Array, styles: Uint16Array): string {
  let s = '';
  let runStart = 0;
  let prev = styles.length ? styles[0] : 0;
  if (prev) s += transition(0, prev); // from no style: all of its codes
  for (let i = 1; i <= chars.length; i++) {
    if (i < chars.length && styles[i] === prev) continue;
    s += String.fromCharCode.apply(null, chars.subarray(runStart, i) as unknown as number[]);
    if (i < chars.length) s += transition(prev, styles[i]);
    else if (prev) s += transition(prev, 0);
    runStart = i;
    if (i < chars.length) prev = styles[i];
  }
  return s.trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Op[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const fast = this.compose();
    if (fast !== null) return { output: fast, height: this.height };
    const stock = new StockOutput({ width: this.width, height: this.height });
    for (const op of this.operations) {
      if (op.type === 'write') stock.write(op.x, op.y, op.text, { transformers: op.transformers });
      else if (op.type === 'clip') stock.clip(op.clip);
      else stock.unclip();
    }
    return stock.get();
  }

  /** The frame through the typed grid, or null where Ink's Output must do it. */
  private compose(): string | null {
    const { width: W, height: H } = this;
    if (!Number.isInteger(W) || !Number.isInteger(H) || W < 0 || H < 0) return null;
    if (rowChars.length < W) {
      rowChars = new Uint16Array(W);
      rowStyles = new Uint16Array(W);
    }
    if (lines.size >= MAX_LINES || styleCodes.length >= MAX_STYLES) resetCaches();
    const opLines: typeof prevOpLines = [];
    const writes: Array<Array<number | Cells>> = [];
    for (let r = 0; r < H; r++) writes.push([]);
    for (const op of this.operations) {
      if (op.type !== 'write') return null;
      const { x, y, text, transformers } = op;
      if (!Number.isInteger(x) || !Number.isInteger(y)) return null;
      // Ink skips a line whose row is missing and never moves on to the next row, so a text
      // that starts above the grid draws nothing at all.
      if (y < 0) continue;
      const prev = prevOpLines[opLines.length];
      if (prev !== undefined && prev.text === text && prev.y === y && prev.h === H && sameItems(prev.fns, transformers)) {
        opLines.push(prev);
        for (let index = 0; index < prev.cells.length; index++) if (!put(prev.cells[index], x, writes[y + index], W)) return null;
        continue;
      }
      const mine: (typeof prevOpLines)[number] = { text, fns: transformers, y, h: H, lines: [], cells: [] };
      opLines.push(mine);
      const parts = text.split('\n');
      for (let index = 0; index < parts.length && y + index < H; index++) {
        let line = parts[index];
        for (const t of transformers) line = t(line, index);
        const cells = prev !== undefined && prev.lines[index] === line ? prev.cells[index] : cellsOf(line);
        mine.lines.push(line);
        mine.cells.push(cells);
        if (!put(cells, x, writes[y + index], W)) return null;
      }
    }
    prevOpLines = opLines;
    const rows: string[] = new Array(H);
    const next: Row[] = new Array(H);
    for (let r = 0; r < H; r++) {
      next[r] = composeRow(prevRows[r], writes[r], W);
      rows[r] = next[r].text;
    }
    prevRows = next;
    return rows.join('\n');
  }
}
