// One open console's headless terminal (@xterm/headless). It exists only while a console is
// open: created by replaying the domain's ring, then fed as the guest writes, disposed on close.
// Writes are parsed synchronously (the core's writeSync) so lines() always reflects every byte
// written so far; answers the terminal owes the guest (cursor position reports, device
// attributes) go back through `respond`, except during the replay of old output.

import { createRequire } from 'node:module';
import type { ITerminalInitOnlyOptions, ITerminalOptions, Terminal } from '@xterm/headless';

type Options = ITerminalOptions & ITerminalInitOnlyOptions;
import type { ConsoleMatch } from '../../api/console';
import type { StyledLine } from '../../api/types';
import { styledRows } from './styled';

export const DEFAULT_SCROLLBACK = 1000;
const MIN_COLS = 2;
const MIN_ROWS = 1;
const MAX_DIM = 1000;

// Loaded on the first console, not at startup: the package is ~180 KB of CommonJS (≈7 ms to
// load) that most runs never use. It stays external to the bundle (esbuild.config.mjs) and is
// required synchronously, so opening a console stays a synchronous engine call.
let terminalCtor: (new (o: Options) => Terminal) | undefined;
function TerminalCtor(): new (o: Options) => Terminal {
  terminalCtor ??= (createRequire(import.meta.url)('@xterm/headless') as { Terminal: new (o: Options) => Terminal }).Terminal;
  return terminalCtor;
}

interface CoreWithSync {
  writeSync(data: string): void;
}

export function checkSize(cols: number, rows: number): void {
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < MIN_COLS || rows < MIN_ROWS || cols > MAX_DIM || rows > MAX_DIM) {
    throw new RangeError(`console size must be whole numbers of columns (${MIN_COLS}–${MAX_DIM}) and rows (${MIN_ROWS}–${MAX_DIM}), got ${cols}x${rows}`);
  }
}

export class TerminalView {
  private readonly term: Terminal;
  private readonly core: CoreWithSync;
  private replaying = false;

  constructor(cols: number, rows: number, scrollback: number, private readonly respond: (data: string) => void) {
    checkSize(cols, rows);
    this.term = new (TerminalCtor())({ cols, rows, scrollback, allowProposedApi: true, logLevel: 'off' });
    this.core = (this.term as unknown as { _core: CoreWithSync })._core;
    this.term.onData((d) => {
      if (!this.replaying) this.respond(d);
    });
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  get applicationCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  /** Old output: queries in it were answered long ago, so nothing goes back to the guest. */
  replay(data: string): void {
    this.replaying = true;
    try {
      this.write(data);
    } finally {
      this.replaying = false;
    }
  }

  write(data: string): void {
    if (!data) return;
    // A user scrolled back stays where they are (xterm only moves the view when at the bottom).
    this.core.writeSync(data);
  }

  lines(): StyledLine[] {
    const buf = this.term.buffer.active;
    return styledRows(buf, buf.viewportY, this.term.rows, this.term.cols);
  }

  cursor(): { row: number; col: number } | null {
    const buf = this.term.buffer.active;
    if (buf.viewportY !== buf.baseY) return null;
    return { row: buf.cursorY, col: Math.min(buf.cursorX, this.term.cols - 1) };
  }

  scrollOffset(): number {
    const buf = this.term.buffer.active;
    return buf.baseY - buf.viewportY;
  }

  scroll(n: number): number {
    if (!Number.isInteger(n)) throw new RangeError(`scroll needs a whole number of lines, got ${n}`);
    this.term.scrollLines(n);
    return this.scrollOffset();
  }

  scrollToBottom(): void {
    this.term.scrollToBottom();
  }

  /** Every occurrence of `term` in the whole buffer (scrollback + screen), oldest first. */
  search(needle: string, caseSensitive = false): ConsoleMatch[] {
    if (!needle) return [];
    const buf = this.term.buffer.active;
    const want = caseSensitive ? needle : needle.toLowerCase();
    const out: ConsoleMatch[] = [];
    for (let y = 0; y < buf.length; y++) {
      const raw = buf.getLine(y)?.translateToString(true) ?? '';
      const text = caseSensitive ? raw : raw.toLowerCase();
      for (let i = text.indexOf(want); i >= 0; i = text.indexOf(want, i + want.length)) {
        out.push({ line: y, col: i, length: needle.length });
      }
    }
    return out;
  }

  /** Scroll so `m` is on screen (centred when it is in the scrollback). */
  reveal(m: ConsoleMatch): void {
    const buf = this.term.buffer.active;
    if (m.line >= buf.viewportY && m.line < buf.viewportY + this.term.rows) return;
    const top = Math.max(0, Math.min(buf.baseY, m.line - (this.term.rows >> 1)));
    this.term.scrollToLine(top);
  }

  resize(cols: number, rows: number): void {
    checkSize(cols, rows);
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
  }

  dispose(): void {
    this.term.dispose();
  }
}
