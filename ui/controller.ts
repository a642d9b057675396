// The key controller: owns the UI state, routes every keypress through the ONE router and turns
// bindings into actions. Command bindings become virsh command lines run through the runner (the
// status line then shows the virsh equivalent and its answer); dangerous ones ask first.
// Plain TypeScript, no React: App subscribes to it, tests can drive it directly.
import type { Key } from 'ink';
import type { DomainInfo, HostInfo } from '../engine/index';
import { helpLines } from './keys/help';
import { keyName } from './keys/keyname';
import { type Binding, type Selection, domainArg } from './keys/keymap';
import { type Layer, route } from './keys/router';
import { complete, summarize } from './palette';
import { CONSOLE_ACTIONS } from './panes/console/actions';
import { ConsoleManager } from './panes/console/manager';
import { SORT_KEYS, createDomainView } from './panes/domains/presenter';
import { type TreeRow, createTreeView } from './panes/hosts/presenter';
import { COMPUTE_ACTIONS, computeSelection, typeIntoForm } from './panes/top/screens';
import type { CommandRunner } from './runner';
import { type Cursor, type Dialog, type UiState, initialState, keepVisible } from './state';
import type { UiStore } from './store/store';

/** Rows each scrollable area shows; App sets it from the layout on every render. */
export interface Viewport {
  table: number;
  tree: number;
  help: number;
  output: number;
}

export class Controller {
  private state: UiState = initialState();
  private listeners = new Set<() => void>();
  private history: string[] = [];
  readonly domainView = createDomainView();
  readonly treeView = createTreeView();
  readonly consoles = new ConsoleManager(this);
  viewport: Viewport = { table: 10, tree: 10, help: 20, output: 10 };
  onQuit: () => void = () => {};
  /** Every key the user presses, first of all (the TUI's periodic save waits for a pause). */
  onInput: () => void = () => {};

  constructor(readonly store: UiStore, readonly runner: CommandRunner) {}

  // ── subscription (useSyncExternalStore) ───────────────────────────────────
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getState = (): UiState => this.state;

  private set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
    if (patch.quit) this.onQuit();
  }

  // ── derived views (memoized on input identity) ────────────────────────────
  rows(): DomainInfo[] {
    const s = this.store.getSnapshot();
    return this.domainView(s.domains, this.state.sort, this.state.filter, s.samples);
  }

  treeRows(): TreeRow[] {
    const s = this.store.getSnapshot();
    return this.treeView(s.hosts, s.domains, this.state.collapsed);
  }

  /** The cursor's index, following the selected row by identity when the list changed under it. */
  private index(c: Cursor, length: number, keyAt: (i: number) => string | undefined, find: (key: string) => number): number {
    let i = c.cursor;
    if (c.key !== null && keyAt(i) !== c.key) {
      const j = find(c.key);
      if (j >= 0) i = j;
    }
    return Math.max(0, Math.min(i, length - 1));
  }

  tableCursor(): number {
    const rows = this.rows();
    return this.index(this.state.table, rows.length, (i) => rows[i]?.uuid, (k) => rows.findIndex((d) => d.uuid === k));
  }

  treeCursor(): number {
    const rows = this.treeRows();
    return this.index(this.state.tree, rows.length, (i) => rows[i]?.key, (k) => rows.findIndex((r) => r.key === k));
  }

  tableOffset(): number {
    return keepVisible(this.tableCursor(), this.state.table.offset, this.viewport.table, this.rows().length);
  }

  treeOffset(): number {
    return keepVisible(this.treeCursor(), this.state.tree.offset, this.viewport.tree, this.treeRows().length);
  }

  selection(): Selection {
    // A compute screen (virt-top, heatmap, host view) selects by its own cursor.
    const onScreen = computeSelection(this);
    if (onScreen) return onScreen;
    const snap = this.store.getSnapshot();
    let domain: DomainInfo | null = null;
    let host: HostInfo | null = null;
    if (this.state.focus === 'table') {
      domain = this.rows()[this.tableCursor()] ?? null;
    } else {
      const row = this.treeRows()[this.treeCursor()];
      if (row?.kind === 'domain') domain = row.domain;
      if (row?.kind === 'host') host = this.store.hostNamed(row.host.name); // the row's may be an earlier sample's
    }
    if (domain && !host) host = this.store.hostNamed(domain.host);
    return { domain, host, clock: snap.clock };
  }

  layer(): Layer {
    const s = this.state;
    if (s.console) return this.consoles.layer();
    if (s.dialog) return { scope: 'dialog', kind: s.dialog.kind };
    if (s.palette) return { scope: 'palette' };
    if (s.help) return { scope: 'help' };
    if (s.compute.screen !== 'main') return { scope: s.compute.screen };
    return { scope: s.focus };
  }

  // ── input ─────────────────────────────────────────────────────────────────
  handleKey(input: string, key: Key): void {
    this.onInput();
    // An open console reads the raw input (F-keys, modifiers); this is Ink's copy of the same event.
    if (this.consoles.takeSwallowed()) return;
    if (this.state.console) return this.consoles.handleInk(input, key);
    // Pasted or fast-typed text arrives as one chunk ("shut off\r"): replay it key by key so
    // text fields get the characters and an embedded Enter still submits.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('[')) {
      for (const ch of input) {
        if (ch === '\r' || ch === '\n') this.routeKey('enter', '');
        else if (ch === '\x7f' || ch === '\b') this.routeKey('backspace', '');
        else if (ch === '\t') this.routeKey('tab', '');
        else this.routeKey(ch === ' ' ? 'space' : ch, ch);
      }
      return;
    }
    this.routeKey(keyName(input, key), input);
  }

  private routeKey(name: string, input: string): void {
    const routed = route(this.layer(), name, input);
    if (routed.type === 'binding') this.dispatch(routed.binding);
    else if (routed.type === 'text') this.typeText(routed.text);
  }

  dispatch(b: Binding): void {
    if (b.command) return this.commandBinding(b);
    const action = ACTIONS[b.id];
    if (!action) throw new Error(`key binding '${b.id}' has no action`);
    action(this);
  }

  private commandBinding(b: Binding): void {
    const sel = this.selection();
    if (b.needsDomain && !sel.domain) {
      this.set({ status: { kind: 'info', text: `${b.description}: select a domain first` } });
      return;
    }
    const line = b.command!(sel);
    if (b.dangerous === 'yes') {
      const d = sel.domain!;
      this.set({ dialog: { kind: 'confirm', title: b.description, message: `${b.description}: ${d.name} on ${d.host}? The guest loses anything not on disk.`, command: line } });
    } else if (b.dangerous === 'typed') {
      const d = sel.domain!;
      this.set({
        dialog: { kind: 'typed', title: b.description, message: `Delete (undefine) the domain '${d.name}' on ${d.host}? Type its name to confirm:`, expected: d.name, text: '', command: line },
      });
    } else {
      this.runLine(line);
    }
  }

  /** Runs one command line through the runner; publishes the world change at once. */
  runLine(line: string): { stdout: string; stderr: string; exitCode: number } {
    let res;
    try {
      res = this.runner.run(line);
    } catch (e) {
      res = { stdout: '', stderr: `error: internal error: ${e instanceof Error ? e.message : String(e)}`, exitCode: 1 };
    }
    this.store.flush();
    this.set({ status: summarize(line, res) });
    return res;
  }

  private typeText(text: string): void {
    const s = this.state;
    if (s.dialog?.kind === 'typed') this.set({ dialog: { ...s.dialog, text: s.dialog.text + text } });
    else if (s.dialog?.kind === 'filter') this.setFilterText(s.dialog.text + text);
    else if (s.palette) this.setPaletteText(s.palette.text + text);
    else if (s.dialog?.kind === 'form') typeIntoForm(this, text);
  }

  setFilterText(text: string): void {
    this.set({ dialog: { kind: 'filter', text }, filter: text, table: { ...this.state.table, cursor: 0, offset: 0 } });
  }

  setPaletteText(text: string, historyIndex: number | null = null): void {
    const p = this.state.palette!;
    this.set({ palette: { ...p, text, historyIndex, draft: historyIndex === null ? text : p.draft, completions: this.candidates(text) } });
  }

  private candidates(text: string): string[] {
    try {
      return complete(text, this.runner.complete(text)).candidates;
    } catch {
      return [];
    }
  }

  // ── actions used by ACTIONS ───────────────────────────────────────────────
  moveTable(to: number | 'top' | 'bottom', relative = true): void {
    const rows = this.rows();
    if (!rows.length) return;
    const cur = this.tableCursor();
    const target = to === 'top' ? 0 : to === 'bottom' ? rows.length - 1 : relative ? cur + to : to;
    const i = Math.max(0, Math.min(rows.length - 1, target));
    const offset = keepVisible(i, this.tableOffset(), this.viewport.table, rows.length);
    this.set({ table: { cursor: i, offset, key: rows[i].uuid } });
  }

  moveTree(to: number | 'top' | 'bottom'): void {
    const rows = this.treeRows();
    if (!rows.length) return;
    const cur = this.treeCursor();
    const i = Math.max(0, Math.min(rows.length - 1, to === 'top' ? 0 : to === 'bottom' ? rows.length - 1 : cur + to));
    const offset = keepVisible(i, this.treeOffset(), this.viewport.tree, rows.length);
    this.set({ tree: { cursor: i, offset, key: rows[i].key } });
  }

  setHostCollapsed(host: string, collapsed: boolean): void {
    const next = new Set(this.state.collapsed);
    if (collapsed) next.add(host);
    else next.delete(host);
    this.set({ collapsed: next, tree: { ...this.state.tree, key: `h:${host}` } });
  }

  /** Tree → table: select this domain in the table (clearing a filter that hides it). */
  showInTable(d: DomainInfo): void {
    let filter = this.state.filter;
    const s = this.store.getSnapshot();
    if (!this.domainView(s.domains, this.state.sort, filter, s.samples).some((x) => x.uuid === d.uuid)) filter = '';
    this.set({ filter, focus: 'table', table: { cursor: 0, offset: 0, key: d.uuid } });
    this.moveTable(this.tableCursor(), false);
  }

  closeDialog(status?: UiState['status']): void {
    this.set({ dialog: null, ...(status !== undefined ? { status } : {}) });
  }

  update(patch: Partial<UiState>): void {
    this.set(patch);
  }

  paletteRun(): void {
    const line = this.state.palette!.text.trim();
    if (!line) return this.set({ palette: null });
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    this.set({ palette: null });
    const res = this.runLine(line);
    const lines: Dialog & { kind: 'output' } = {
      kind: 'output',
      title: `${line}  (exit ${res.exitCode})`,
      offset: 0,
      lines: [
        ...res.stdout.replace(/\n+$/, '').split('\n').map((text) => ({ text, error: false })),
        ...res.stderr.replace(/\n+$/, '').split('\n').filter(Boolean).map((text) => ({ text, error: true })),
      ].filter((l, i, all) => l.text !== '' || i < all.length - 1),
    };
    this.set({ dialog: lines });
  }

  paletteComplete(): void {
    const p = this.state.palette!;
    let cands: string[] = [];
    try {
      cands = this.runner.complete(p.text);
    } catch {
      cands = [];
    }
    const c = complete(p.text, cands);
    this.set({ palette: { ...p, text: c.text, draft: c.text, historyIndex: null, completions: c.candidates.length === 1 ? this.candidates(c.text) : c.candidates } });
  }

  paletteHistory(dir: -1 | 1): void {
    const p = this.state.palette!;
    if (!this.history.length) return;
    let i = p.historyIndex === null ? (dir < 0 ? this.history.length - 1 : null) : p.historyIndex + dir;
    if (i !== null && i < 0) i = 0;
    if (i !== null && i >= this.history.length) i = null;
    this.set({ palette: { ...p, text: i === null ? p.draft : this.history[i], historyIndex: i, completions: [] } });
  }

  scrollOutput(delta: number): void {
    const d = this.state.dialog;
    if (d?.kind !== 'output') return;
    const max = Math.max(0, d.lines.length - this.viewport.output);
    this.set({ dialog: { ...d, offset: Math.max(0, Math.min(max, d.offset + delta)) } });
  }

  scrollHelp(delta: number): void {
    const max = Math.max(0, helpLines().length - this.viewport.help);
    this.set({ help: { offset: Math.max(0, Math.min(max, (this.state.help?.offset ?? 0) + delta)) } });
  }

  quit(): void {
    this.consoles.dispose(); // open consoles stop watching their guests (the engine keeps the rings)
    this.set({ quit: true });
  }
}

type Action = (c: Controller) => void;

const tableNav = (c: Controller, d: number | 'top' | 'bottom') => c.moveTable(d);
const treeNav = (c: Controller, d: number | 'top' | 'bottom') => c.moveTree(d);

/** Non-command bindings by id (command bindings are handled generically). */
const ACTIONS: Record<string, Action> = {
  ...COMPUTE_ACTIONS,
  ...CONSOLE_ACTIONS,
  'app.quit': (c) => c.quit(),
  'help.open': (c) => c.update({ help: { offset: 0 } }),
  'palette.open': (c) => c.update({ palette: { text: '', completions: [], historyIndex: null, draft: '' } }),
  'filter.open': (c) => c.update({ dialog: { kind: 'filter', text: c.getState().filter }, focus: 'table' }),
  'focus.next': (c) => c.update({ focus: c.getState().focus === 'table' ? 'tree' : 'table' }),
  'table.down': (c) => tableNav(c, 1),
  'table.up': (c) => tableNav(c, -1),
  'table.pageDown': (c) => tableNav(c, c.viewport.table),
  'table.pageUp': (c) => tableNav(c, -c.viewport.table),
  'table.top': (c) => tableNav(c, 'top'),
  'table.bottom': (c) => tableNav(c, 'bottom'),
  'table.sortNext': (c) => {
    const s = c.getState().sort;
    c.update({ sort: { key: SORT_KEYS[(SORT_KEYS.indexOf(s.key) + 1) % SORT_KEYS.length], desc: false } });
  },
  'table.sortFlip': (c) => c.update({ sort: { ...c.getState().sort, desc: !c.getState().sort.desc } }),
  'table.clearFilter': (c) => {
    if (c.getState().filter) c.update({ filter: '', status: { kind: 'info', text: 'filter cleared' } });
  },
  'tree.down': (c) => treeNav(c, 1),
  'tree.up': (c) => treeNav(c, -1),
  'tree.pageDown': (c) => treeNav(c, c.viewport.tree),
  'tree.pageUp': (c) => treeNav(c, -c.viewport.tree),
  'tree.top': (c) => treeNav(c, 'top'),
  'tree.bottom': (c) => treeNav(c, 'bottom'),
  'tree.collapse': (c) => {
    const row = c.treeRows()[c.treeCursor()];
    if (row) c.setHostCollapsed(row.kind === 'host' ? row.host.name : row.domain.host, true);
  },
  'tree.expand': (c) => {
    const row = c.treeRows()[c.treeCursor()];
    if (row?.kind === 'host') c.setHostCollapsed(row.host.name, false);
  },
  'tree.toggle': (c) => {
    const row = c.treeRows()[c.treeCursor()];
    if (row?.kind === 'host') c.setHostCollapsed(row.host.name, row.expanded);
    else if (row) c.showInTable(row.domain);
  },
  'dialog.yes': (c) => {
    const d = c.getState().dialog;
    if (d?.kind !== 'confirm') return;
    c.closeDialog();
    c.runLine(d.command);
  },
  'dialog.no': (c) => c.closeDialog({ kind: 'info', text: 'cancelled' }),
  'dialog.submit': (c) => {
    const d = c.getState().dialog;
    if (d?.kind === 'typed') {
      if (d.text === d.expected) {
        c.closeDialog();
        c.runLine(d.command);
      } else {
        c.closeDialog({ kind: 'error', text: `confirmation '${d.text}' does not match '${d.expected}': nothing deleted` });
      }
    } else c.closeDialog();
  },
  'dialog.cancel': (c) => {
    const d = c.getState().dialog;
    if (d?.kind === 'filter') c.update({ dialog: null, filter: '' });
    else c.closeDialog(d?.kind === 'output' ? undefined : { kind: 'info', text: 'cancelled' });
  },
  'dialog.backspace': (c) => {
    const d = c.getState().dialog;
    if (d?.kind === 'typed') c.update({ dialog: { ...d, text: d.text.slice(0, -1) } });
    if (d?.kind === 'filter') c.setFilterText(d.text.slice(0, -1));
  },
  'dialog.down': (c) => c.scrollOutput(1),
  'dialog.up': (c) => c.scrollOutput(-1),
  'dialog.pageDown': (c) => c.scrollOutput(c.viewport.output),
  'dialog.pageUp': (c) => c.scrollOutput(-c.viewport.output),
  'palette.run': (c) => c.paletteRun(),
  'palette.complete': (c) => c.paletteComplete(),
  'palette.historyUp': (c) => c.paletteHistory(-1),
  'palette.historyDown': (c) => c.paletteHistory(1),
  'palette.backspace': (c) => c.setPaletteText(c.getState().palette!.text.slice(0, -1)),
  'palette.close': (c) => c.update({ palette: null }),
  'help.down': (c) => c.scrollHelp(1),
  'help.up': (c) => c.scrollHelp(-1),
  'help.pageDown': (c) => c.scrollHelp(c.viewport.help),
  'help.pageUp': (c) => c.scrollHelp(-c.viewport.help),
  'help.close': (c) => c.update({ help: null }),
};

/** Ids of bindings implemented here (the keymap test checks every binding has an action). */
export const ACTION_IDS = Object.keys(ACTIONS);
export { domainArg };
