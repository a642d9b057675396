// The console workspace's controller: opens an engine console session for each console on screen
// (and only those: hidden consoles cost nothing but their engine ring), sizes them to their
// tiles, routes the attached console's keys through the ONE router, and drives scrollback and
// search. The workspace itself is plain data in UiState.console; sessions live here.
import type { ConsoleSession } from '../../../engine/index';
import { encodeKey, isVirError } from '../../../engine/index';
import type { Controller } from '../../controller';
import { keyName } from '../../keys/keyname';
import { domainArg } from '../../keys/keymap';
import { type ConsoleLayer, route } from '../../keys/router';
import { computeLayout } from '../../layout';
import { type ConsoleKey, parseInput, specFromName } from './keys';
import { type ConsoleLayout, type ConsoleSlot, type ConsoleUi, MAX_TILES, innerSize, newSlot, tiles, visibleSlots } from './model';
import { findFrom, viewportTop } from './search';

type InkKey = Parameters<typeof keyName>[1];

export class ConsoleManager {
  private readonly sessions = new Map<string, { session: ConsoleSession; off: () => void }>();
  /** Domains whose consoles were opened, most recent first (the tiled view's candidates). */
  private recent: string[] = [];
  private screen = { columns: 80, rows: 24 };
  private version = 0;
  private listeners = new Set<() => void>();
  private pending: ReturnType<typeof setImmediate> | null = null;
  /** The raw listener handled this input event: Ink's parsed copy of it must be ignored. */
  private swallowed = false;

  constructor(private readonly c: Controller) {}

  // ── subscription: guest output re-renders only the consoles ───────────────
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getVersion = (): number => this.version;

  /** Output arrives in bursts (a clock step releases many lines): one re-render per burst. */
  private changed = (): void => {
    if (this.pending) return;
    this.pending = setImmediate(() => this.flush());
  };

  /** Publishes pending output now (tests, and after keys the user is waiting for). */
  flush(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  // ── state ─────────────────────────────────────────────────────────────────
  ui(): ConsoleUi | null {
    return this.c.getState().console;
  }

  private focused(): ConsoleSlot | null {
    const ui = this.ui();
    return ui ? ui.slots[ui.focus] ?? null : null;
  }

  private setUi(ui: ConsoleUi | null, status?: { kind: 'ok' | 'error' | 'info'; text: string }): void {
    this.c.update(status ? { console: ui, status } : { console: ui });
    this.sync();
  }

  private patchSlot(patch: Partial<ConsoleSlot>, i = this.ui()?.focus ?? 0): void {
    const ui = this.ui();
    if (!ui) return;
    const slots = ui.slots.map((s, j) => (j === i ? { ...s, ...patch } : s));
    this.setUi({ ...ui, slots });
  }

  /** The session on screen for a domain (null when hidden or failed to open). */
  session(domain: string): ConsoleSession | null {
    return this.sessions.get(domain)?.session ?? null;
  }

  running(domain: string): boolean {
    const s = this.session(domain);
    return s ? s.state().running : false;
  }

  layer(): ConsoleLayer {
    const ui = this.ui()!;
    const slot = ui.slots[ui.focus];
    const tiled = ui.layout === 'tiled' && ui.slots.length > 1;
    if (slot.mode === 'search') return { scope: 'search', tiled };
    if (slot.mode === 'scrollback' || !this.running(slot.domain)) return { scope: 'scrollback', tiled };
    return { scope: 'console', tiled };
  }

  // ── geometry: sessions follow their tiles ─────────────────────────────────
  /** The console area for a layout: the whole frame (full) or the body between the chrome lines. */
  area(layout: ConsoleLayout, columns = this.screen.columns, rows = this.screen.rows): { width: number; height: number } {
    const L = computeLayout(columns, rows);
    return { width: L.width, height: layout === 'full' ? L.height : L.bodyHeight };
  }

  /** Called by App on every render with the terminal size: resizes the open sessions. */
  fit(columns: number, rows: number): void {
    if (columns === this.screen.columns && rows === this.screen.rows) return;
    this.screen = { columns, rows };
    const ui = this.ui();
    if (!ui) return;
    const a = this.area(ui.layout);
    const vis = visibleSlots(ui);
    const t = tiles(vis.length, a.width, a.height);
    vis.forEach((i, k) => {
      const s = this.session(ui.slots[i].domain);
      const size = innerSize(t[k]);
      if (s && (s.cols !== size.cols || s.rows !== size.rows)) s.resize(size.cols, size.rows);
    });
  }

  /** Opens the sessions now on screen, resizes them, closes the hidden ones. Failures drop the slot. */
  private sync(): void {
    const ui = this.ui();
    const want = new Map<string, { cols: number; rows: number }>();
    if (ui) {
      const a = this.area(ui.layout);
      const vis = visibleSlots(ui);
      const t = tiles(vis.length, a.width, a.height);
      vis.forEach((i, k) => want.set(ui.slots[i].domain, innerSize(t[k])));
    }
    for (const [name, open] of [...this.sessions]) {
      if (want.has(name)) continue;
      open.off();
      open.session.close();
      this.sessions.delete(name);
    }
    for (const [name, size] of want) {
      const open = this.sessions.get(name);
      if (open) {
        if (open.session.cols !== size.cols || open.session.rows !== size.rows) open.session.resize(size.cols, size.rows);
        continue;
      }
      try {
        const session = this.c.store.conn.openConsole(name, size);
        this.sessions.set(name, { session, off: session.onOutput(this.changed) });
      } catch (e) {
        const rest = ui!.slots.filter((s) => s.domain !== name);
        const text = isVirError(e) ? e.message : `console of ${name}: ${e instanceof Error ? e.message : String(e)}`;
        this.recent = this.recent.filter((d) => d !== name);
        this.setUi(rest.length ? { ...ui!, slots: rest, focus: 0 } : null, { kind: 'error', text });
        return;
      }
    }
    this.flush();
  }

  // ── opening and closing ───────────────────────────────────────────────────
  /** Why a domain's console cannot be shown, or null. */
  private refuse(name: string): string | null {
    try {
      const st = this.c.store.conn.consoleState(name);
      if (!st.available) return `${name} has no serial console (its OS does not use one)`;
      return null;
    } catch (e) {
      return isVirError(e) ? e.message : String(e);
    }
  }

  /** The selected domain's console, attached, in a pane or full screen. */
  open(layout: 'pane' | 'full'): void {
    const d = this.c.selection().domain;
    if (!d) return this.c.update({ status: { kind: 'info', text: 'Console: select a domain first' } });
    if (d.isDom0) return this.c.update({ status: { kind: 'error', text: `Domain-0 on host '${d.host}' has no serial console in virtyard` } });
    const no = this.refuse(d.name);
    if (no) return this.c.update({ status: { kind: 'error', text: no } });
    this.remember(d.name);
    this.setUi({ layout, slots: [newSlot(d.name)], focus: 0 }, { kind: 'info', text: `console: ${d.name} — Ctrl+] detaches` });
  }

  /** The selected domain and the consoles opened last, then running domains from the table: up to 4. */
  openTiled(): void {
    const sel = this.c.selection().domain;
    const names: string[] = [];
    const add = (n: string) => {
      if (names.length < MAX_TILES && !names.includes(n) && !this.refuse(n)) names.push(n);
    };
    if (sel && !sel.isDom0) add(sel.name);
    for (const n of this.recent) add(n);
    for (const d of this.c.rows()) {
      if (names.length >= MAX_TILES) break;
      if (!d.isDom0 && d.state === 'running') add(d.name);
    }
    if (!names.length) return this.c.update({ status: { kind: 'info', text: 'Tiled consoles: no domain with a serial console to show' } });
    this.setUi({ layout: 'tiled', slots: names.map(newSlot), focus: 0 }, { kind: 'info', text: `${names.length} consoles — F2 moves the keys to the next one, Ctrl+] detaches` });
  }

  private remember(name: string): void {
    this.recent = [name, ...this.recent.filter((n) => n !== name)].slice(0, MAX_TILES);
  }

  detach(): void {
    const slot = this.focused();
    this.setUi(null, slot ? { kind: 'info', text: `detached from ${slot.domain}` } : undefined);
  }

  /** Pane ↔ full screen (from tiled: the focused console full screen). */
  toggleFull(): void {
    const ui = this.ui();
    if (!ui) return;
    const slot = ui.slots[ui.focus];
    this.setUi({ layout: ui.layout === 'full' ? 'pane' : 'full', slots: [slot], focus: 0 });
  }

  /** One console ↔ tiled with the consoles opened last. */
  toggleTiled(): void {
    const ui = this.ui();
    if (!ui) return;
    const slot = ui.slots[ui.focus];
    if (ui.layout === 'tiled') return this.setUi({ layout: 'pane', slots: [slot], focus: 0 });
    const others = this.recent.filter((n) => n !== slot.domain && !this.refuse(n)).slice(0, MAX_TILES - 1);
    this.setUi({ layout: 'tiled', slots: [slot, ...others.map(newSlot)], focus: 0 });
  }

  cycle(dir: 1 | -1): void {
    const ui = this.ui();
    if (!ui || ui.slots.length < 2) return;
    const focus = (ui.focus + dir + ui.slots.length) % ui.slots.length;
    this.remember(ui.slots[focus].domain);
    this.setUi({ ...ui, focus });
  }

  startDomain(): void {
    const slot = this.focused();
    if (!slot) return;
    if (this.running(slot.domain)) return this.c.update({ status: { kind: 'info', text: `${slot.domain} is already running` } });
    const d = this.c.store.getSnapshot().domains.find((x) => x.name === slot.domain && !x.isDom0);
    if (!d) return this.c.update({ status: { kind: 'error', text: `domain '${slot.domain}' no longer exists` } });
    this.session(slot.domain)?.scrollToBottom();
    this.c.runLine(`${d.state === 'paused' ? 'resume' : 'start'} ${domainArg(d)}`);
    this.patchSlot({ mode: 'live', prompt: '', search: null });
  }

  // ── scrollback ────────────────────────────────────────────────────────────
  private page(): number {
    const s = this.focused() && this.session(this.focused()!.domain);
    return Math.max(1, (s?.rows ?? 2) - 1);
  }

  /** Scrolls the focused console; scrolling down to the bottom of a live console is live again. */
  scroll(lines: number): void {
    const slot = this.focused();
    const s = slot && this.session(slot.domain);
    if (!slot || !s) return;
    const off = s.scroll(lines);
    if (off === 0 && lines > 0 && slot.mode === 'scrollback' && s.state().running) return this.live();
    if (slot.mode === 'live' && s.state().running) this.patchSlot({ mode: 'scrollback' });
    else this.flush();
  }

  scrollPage(dir: 1 | -1): void {
    this.scroll(dir * this.page());
  }

  scrollTop(): void {
    this.scroll(-1_000_000_000);
  }

  /** Back to the live bottom; the console of a domain that is not running closes instead. */
  live(): void {
    const slot = this.focused();
    const s = slot && this.session(slot.domain);
    if (!slot) return;
    if (!s || !s.state().running) return this.detach();
    s.scrollToBottom();
    this.patchSlot({ mode: 'live', prompt: '', search: null });
  }

  enterScrollback(): void {
    this.patchSlot({ mode: 'scrollback' });
    this.scrollPage(-1);
  }

  // ── search ────────────────────────────────────────────────────────────────
  searchStart(): void {
    this.patchSlot({ mode: 'search', prompt: '' });
  }

  searchType(text: string): void {
    const slot = this.focused();
    if (slot) this.patchSlot({ prompt: slot.prompt + text });
  }

  searchBackspace(): void {
    const slot = this.focused();
    if (slot) this.patchSlot({ prompt: slot.prompt.slice(0, -1) });
  }

  searchCancel(): void {
    this.patchSlot({ mode: 'scrollback', prompt: '' });
  }

  /** Enter: the latest match at or above the bottom of the view (an empty line repeats the last term). */
  searchRun(): void {
    const slot = this.focused();
    const s = slot && this.session(slot.domain);
    if (!slot || !s) return;
    const term = slot.prompt || slot.search?.term || '';
    if (!term) return this.patchSlot({ mode: 'scrollback', prompt: '' });
    const bottom = viewportTop(s) + s.rows - 1;
    this.show(term, findFrom(s.search(term), { line: bottom, col: Number.MAX_SAFE_INTEGER }, -1, true));
  }

  /** n (older) / N (newer) from the current match; wraps around at either end. */
  searchNext(dir: 1 | -1): void {
    const slot = this.focused();
    const s = slot && this.session(slot.domain);
    if (!slot || !s) return;
    const term = slot.search?.term;
    if (!term) return this.c.update({ status: { kind: 'info', text: 'No search yet: / starts one' } });
    const from = slot.search?.match ?? { line: viewportTop(s) + s.rows - 1, col: Number.MAX_SAFE_INTEGER };
    this.show(term, findFrom(s.search(term), from, dir > 0 ? -1 : 1, false));
  }

  private show(term: string, found: ReturnType<typeof findFrom>): void {
    const slot = this.focused()!;
    const s = this.session(slot.domain)!;
    if (found.match) s.reveal(found.match);
    this.patchSlot({ mode: 'scrollback', prompt: '', search: { term, match: found.match, index: found.index, count: found.count } });
    if (!found.match) this.c.update({ status: { kind: 'error', text: `console ${slot.domain}: "${term}" not found` } });
    else if (found.wrapped) this.c.update({ status: { kind: 'info', text: `search wrapped around (${found.index}/${found.count})` } });
  }

  // ── keys ──────────────────────────────────────────────────────────────────
  /**
   * A raw input event from Ink (one escape sequence or a run of text). Returns false when no
   * console is open (the main screen's handler takes it). Keys bound in the console's layer run
   * their action; the rest of a live console's keys are encoded and written to the guest in one go.
   */
  handleRaw(event: string): boolean {
    if (!this.ui()) return false;
    this.swallowed = true;
    this.keys(parseInput(event));
    return true;
  }

  /** Ink's parsed copy of an input event the raw listener already handled? (Then ignore it.) */
  takeSwallowed(): boolean {
    const was = this.swallowed;
    this.swallowed = false;
    return was;
  }

  /** Fallback for keys that reached the controller without the raw listener (only Ink's names). */
  handleInk(input: string, key: InkKey): void {
    const name = keyName(input, key);
    this.keys([{ name, input, spec: specFromName(name, input) }]);
  }

  private keys(keys: ConsoleKey[]): void {
    let out = '';
    let target: string | null = null;
    const send = () => {
      const s = target && this.session(target);
      if (s && out) s.write(out);
      out = '';
    };
    for (const k of keys) {
      const ui = this.ui();
      if (!ui) break; // detached mid-event: the rest was meant for the console, drop it
      const r = route(this.layer(), k.name, k.input);
      if (r.type === 'forward') {
        const domain = ui.slots[ui.focus].domain;
        if (target !== domain) send();
        target = domain;
        const s = this.session(domain);
        if (k.spec && s) out += encodeKey(k.spec, { applicationCursor: s.applicationCursor });
        continue;
      }
      send();
      if (r.type === 'binding') this.c.dispatch(r.binding);
      else if (r.type === 'text') this.searchType(r.text);
    }
    send();
  }

  /** Closes every session (the app is quitting). */
  dispose(): void {
    for (const open of this.sessions.values()) {
      open.off();
      open.session.close();
    }
    this.sessions.clear();
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
  }
}
