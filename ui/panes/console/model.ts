// The console workspace as plain data (part of UiState), its geometry and its titles. Pure: the
// manager changes it, the view draws it, tests check it without a terminal.
import type { ConsoleMatch } from '../../../engine/index';

/** pane: inside the app's chrome (header, events, status, hints); full: the whole frame; tiled: up to 4. */
export type ConsoleLayout = 'pane' | 'full' | 'tiled';
export type ConsoleMode = 'live' | 'scrollback' | 'search';
export const MAX_TILES = 4;

export interface ConsoleSearch {
  term: string;
  /** The current match (absolute buffer line), or null when the term was not found. */
  match: ConsoleMatch | null;
  /** 1-based position of the match among `count` (oldest first). */
  index: number;
  count: number;
}

export interface ConsoleSlot {
  domain: string;
  mode: ConsoleMode;
  /** The search line being typed (mode 'search'). */
  prompt: string;
  search: ConsoleSearch | null;
}

export interface ConsoleUi {
  layout: ConsoleLayout;
  slots: ConsoleSlot[];
  /** The slot keys go to. */
  focus: number;
}

export const newSlot = (domain: string): ConsoleSlot => ({ domain, mode: 'live', prompt: '', search: null });

/** A console's outer box in the console area (title line and borders included). */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** 1: the whole area; 2: side by side; 3: two on top, one wide below; 4: 2×2. */
export function tiles(n: number, width: number, height: number): Tile[] {
  const halfW = Math.floor(width / 2);
  const halfH = Math.floor(height / 2);
  const left = { x: 0, width: halfW };
  const right = { x: halfW, width: width - halfW };
  const top = { y: 0, height: halfH };
  const bottom = { y: halfH, height: height - halfH };
  if (n <= 1) return [{ x: 0, y: 0, width, height }];
  if (n === 2) return [{ ...left, y: 0, height }, { ...right, y: 0, height }];
  if (n === 3) return [{ ...left, ...top }, { ...right, ...top }, { x: 0, width, ...bottom }];
  return [{ ...left, ...top }, { ...right, ...top }, { ...left, ...bottom }, { ...right, ...bottom }];
}

/** The terminal size inside a tile's border (the engine needs at least 2×1). */
export function innerSize(t: Tile): { cols: number; rows: number } {
  return { cols: Math.max(2, t.width - 2), rows: Math.max(1, t.height - 2) };
}

/** Slots on screen: all of them when tiled, else the focused one. */
export function visibleSlots(ui: ConsoleUi): number[] {
  if (ui.layout === 'tiled') return ui.slots.map((_, i) => i);
  return [ui.focus];
}

export interface TitleFacts {
  domain: string;
  device: string;
  /** The domain exists and is running (its console takes input). */
  running: boolean;
  /** The domain's state as virsh names it (why a console is not running: paused, crashed…). */
  state?: string;
  exists: boolean;
  mode: ConsoleMode;
  /** Lines scrolled back from the bottom. */
  offset: number;
  search: ConsoleSearch | null;
  focused: boolean;
  tiled: boolean;
}

function stateText(f: TitleFacts): string {
  if (!f.exists) return 'domain no longer exists';
  if (f.mode === 'live' && f.running) return f.focused ? 'attached' : 'running';
  const where = f.offset > 0 ? `${f.offset} line${f.offset === 1 ? '' : 's'} up` : 'at the bottom';
  const found = f.search ? (f.search.match ? ` · "${f.search.term}" ${f.search.index}/${f.search.count}` : ` · "${f.search.term}" not found`) : '';
  const why = f.state && f.state !== 'shut off' && f.state !== 'running' ? ` (${f.state})` : '';
  if (!f.running) return `not running${why}${f.mode === 'live' ? '' : ` · ${where}`}${found}`;
  return `scrollback · ${where}${found}`;
}

function hints(f: TitleFacts): string[] {
  if (!f.focused) return [];
  if (f.mode === 'search') return ['Ctrl+] detach', 'Enter find · Esc cancel'];
  if (f.mode === 'live' && f.running) {
    const h = ['Ctrl+] detach', 'Shift+PgUp scrollback, / search'];
    return f.tiled ? [...h, 'F2 next console'] : h;
  }
  const h = [f.running ? 'Ctrl+] detach' : 'Ctrl+] close', 'Esc live', 'PgUp/PgDn · / search · n/N'];
  return f.running ? h : [h[0], f.state === 'paused' ? 's resume' : 's start', h[2]];
}

/**
 * "console: web-01 (ttyS0) ─ attached ─ Ctrl+] detach · Shift+PgUp scrollback, / search", shortened
 * to `max` characters by dropping the least useful parts first. The focused console never loses
 * its Ctrl+] hint: it is the only way out of an attached console.
 */
export function consoleTitle(f: TitleFacts, max: number): string {
  const head = `console: ${f.domain}${f.device ? ` (${f.device})` : ''}`;
  const state = stateText(f);
  const h = hints(f);
  const candidates: string[] = [];
  for (let n = h.length; n >= 1; n--) candidates.push([head, state, h.slice(0, n).join(' · ')].join(' ─ '));
  if (!h.length) candidates.push(`${head} ─ ${state}`, `${f.domain} ─ ${state}`);
  else candidates.push(`${f.domain} ─ ${state} ─ ${h[0]}`, `${f.domain} ─ ${h[0]}`, h[0]);
  return candidates.find((c) => c.length <= max) ?? candidates[candidates.length - 1];
}
