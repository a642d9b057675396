// An open serial console (virsh console): a headless terminal fed by the guest's output ring.
// Callers never see raw guest bytes except through onOutput, which delivers them sanitised.

import type { ConsoleState, StyledLine } from './types';

export interface ConsoleOpenOptions {
  cols: number;
  rows: number;
  /** Lines kept above the screen (default 1000). */
  scrollback?: number;
}

/** A search hit: `line` is an absolute buffer row (0 = oldest scrollback line), `col` a cell column. */
export interface ConsoleMatch {
  line: number;
  col: number;
  length: number;
}

export interface ConsoleSession {
  readonly domain: string;
  readonly cols: number;
  readonly rows: number;
  /** The guest switched the cursor keys to application mode (pass to encodeKey's modes). */
  readonly applicationCursor: boolean;
  /** Keys from the user, already encoded as a terminal sends them (see encodeKey). */
  write(data: string | Uint8Array): void;
  /** The visible rows at the current scroll position, styled. Always exactly `rows` lines. */
  lines(): StyledLine[];
  /** Cursor position on screen (0-based), or null while scrolled back or the guest hid it. */
  cursor(): { row: number; col: number } | null;
  /** Scroll the view by n lines (negative = back into history); returns the new offset from the bottom. */
  scroll(n: number): number;
  /** Back to the live bottom. */
  scrollToBottom(): void;
  /** Lines the view is scrolled back from the bottom (0 = live). */
  scrollOffset(): number;
  /** Every match of `term` in scrollback + screen, oldest first (case-insensitive unless `caseSensitive`). */
  search(term: string, opts?: { caseSensitive?: boolean }): ConsoleMatch[];
  /** Scroll so that a match is visible. */
  reveal(match: ConsoleMatch): void;
  resize(cols: number, rows: number): void;
  /** Called with sanitised output bytes as the guest produces them (for pass-through to a real terminal). */
  onOutput(cb: (data: string) => void): () => void;
  /** Status line facts: running or not, and a one-line note such as "Domain is not running". */
  state(): ConsoleState;
  close(): void;
}
