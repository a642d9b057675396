// The UI's own state (focus, cursors, sort, filter, overlays, status), separate from the world's
// snapshot. Plain immutable data: the controller replaces it, views read it.
import type { ConsoleUi } from './panes/console/model';
import type { Sort } from './panes/domains/presenter';
import { type ComputeUi, initialComputeUi } from './panes/top/model';
import type { FormState } from './panes/vcpu/forms';

export type Focus = 'tree' | 'table';

export interface OutputLine {
  text: string;
  error: boolean;
}

export type Dialog =
  | { kind: 'confirm'; title: string; message: string; command: string }
  | { kind: 'typed'; title: string; message: string; expected: string; text: string; command: string }
  | { kind: 'filter'; text: string }
  | { kind: 'output'; title: string; lines: OutputLine[]; offset: number }
  | { kind: 'form'; form: FormState };

export interface PaletteState {
  text: string;
  /** Candidates for the word being typed (from runner.complete). */
  completions: string[];
  /** Position in history while browsing with ↑/↓ (null = editing a new line). */
  historyIndex: number | null;
  /** The unfinished line, kept while browsing history. */
  draft: string;
}

export interface Status {
  text: string;
  kind: 'ok' | 'error' | 'info';
}

export interface Cursor {
  cursor: number;
  offset: number;
  /** Identity of the selected row, so the selection follows its row when the list re-sorts. */
  key: string | null;
}

export interface UiState {
  focus: Focus;
  table: Cursor;
  tree: Cursor;
  collapsed: ReadonlySet<string>;
  sort: Sort;
  filter: string;
  dialog: Dialog | null;
  palette: PaletteState | null;
  help: { offset: number } | null;
  status: Status | null;
  /** Compute screens (virt-top, fleet heatmap, host view): which one shows, their cursors. */
  compute: ComputeUi;
  /** Open serial consoles (null: the main screen). */
  console: ConsoleUi | null;
  quit: boolean;
}

export function initialState(): UiState {
  return {
    focus: 'table',
    table: { cursor: 0, offset: 0, key: null },
    tree: { cursor: 0, offset: 0, key: null },
    collapsed: new Set(),
    sort: { key: 'name', desc: false },
    filter: '',
    dialog: null,
    palette: null,
    help: null,
    compute: initialComputeUi(),
    status: { kind: 'info', text: 'Tab switches pane · / filters · : runs any virsh command · ? lists every key' },
    console: null,
    quit: false,
  };
}

/** Scroll offset that keeps `cursor` inside a window of `page` rows. */
export function keepVisible(cursor: number, offset: number, page: number, length: number): number {
  const p = Math.max(1, page);
  let o = Math.min(offset, Math.max(0, length - p));
  if (cursor < o) o = cursor;
  if (cursor >= o + p) o = cursor - p + 1;
  return Math.max(0, o);
}
