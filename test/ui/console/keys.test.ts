// Console keys without a terminal: raw input → keys → the bytes the guest gets; the console
// layers of the router; tile geometry; titles that never lose the Ctrl+] hint.
import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../engine/index';
import { helpLines } from '../../../ui/keys/help';
import { route, hintsFor } from '../../../ui/keys/router';
import { parseInput, specFromName } from '../../../ui/panes/console/keys';
import { consoleTitle, innerSize, tiles, type TitleFacts } from '../../../ui/panes/console/model';

const bytes = (event: string, applicationCursor = false) =>
  parseInput(event).map((k) => (k.spec ? encodeKey(k.spec, { applicationCursor }) : '')).join('');
const names = (event: string) => parseInput(event).map((k) => k.name);

describe('raw input → keys → bytes for the guest', () => {
  // [what the host terminal sent, keymap name, what the guest receives]
  const TABLE: Array<[string, string, string]> = [
    ['\x1b[A', 'up', '\x1b[A'],
    ['\x1bOB', 'down', '\x1b[B'],
    ['\x1b[1;5C', 'ctrl+right', '\x1b[1;5C'],
    ['\x1b[1;3D', 'alt+left', '\x1b[1;3D'],
    ['\x1b[H', 'home', '\x1b[H'],
    ['\x1b[4~', 'end', '\x1b[F'],
    ['\x1b[1~', 'home', '\x1b[H'],
    ['\x1b[5~', 'pgup', '\x1b[5~'],
    ['\x1b[6~', 'pgdn', '\x1b[6~'],
    ['\x1b[5;2~', 'shift+pgup', '\x1b[5;2~'],
    ['\x1b[2~', 'insert', '\x1b[2~'],
    ['\x1b[3~', 'delete', '\x1b[3~'],
    ['\x1bOP', 'f1', '\x1bOP'],
    ['\x1bOQ', 'f2', '\x1bOQ'],
    ['\x1b[1;2Q', 'shift+f2', '\x1b[1;2Q'],
    ['\x1b[[E', 'f5', '\x1b[15~'],
    ['\x1b[15~', 'f5', '\x1b[15~'],
    ['\x1b[24~', 'f12', '\x1b[24~'],
    ['\x1b[24;5~', 'ctrl+f12', '\x1b[24;5~'],
    ['\x1b[Z', 'shift+tab', '\x1b[Z'],
    ['\x1bx', 'alt+x', '\x1bx'],
    ['\x1b\x7f', 'alt+backspace', '\x1b\x7f'],
    ['\x1b', 'esc', '\x1b'],
    ['\r', 'enter', '\r'],
    ['\t', 'tab', '\t'],
    ['\x7f', 'backspace', '\x7f'],
    ['\x08', 'ctrl+h', '\x08'],
    ['\x03', 'ctrl+c', '\x03'],
    ['\x1a', 'ctrl+z', '\x1a'],
    ['\x1d', 'ctrl+]', '\x1d'],
    ['\x1c', 'ctrl+\\', '\x1c'],
    ['\x00', 'ctrl+ ', '\x00'],
    [' ', 'space', ' '],
    ['N', 'N', 'N'],
    ['é', 'é', 'é'],
  ];
  for (const [raw, name, out] of TABLE) {
    it(`${JSON.stringify(raw)} is ${name}`, () => {
      expect(names(raw)).toEqual([name]);
      expect(bytes(raw)).toBe(out);
    });
  }

  it('arrows follow the guest’s application cursor mode (DECCKM)', () => {
    expect(bytes('\x1b[A', true)).toBe('\x1bOA');
    expect(bytes('\x1bOD', true)).toBe('\x1bOD');
    expect(bytes('\x1b[1;5A', true)).toBe('\x1b[1;5A'); // modified arrows stay CSI
  });

  it('a run of text is one key per character (a paste with Enter and Ctrl+] inside)', () => {
    expect(names('ls -l\r')).toEqual(['l', 's', 'space', '-', 'l', 'enter']);
    expect(names('ab\x1dcd')).toEqual(['a', 'b', 'ctrl+]', 'c', 'd']);
    expect(bytes('echo hi\r')).toBe('echo hi\r');
  });

  it('sequences that are not keys are never forwarded (mouse reports, focus events, C1)', () => {
    for (const junk of ['\x1b[<0;10;5M', '\x1b[I', '\x1b[O', '\x1b[200~', '\u009b']) {
      expect(bytes(junk), JSON.stringify(junk)).toBe('');
    }
  });

  it('Ink-name fallback', () => {
    expect(specFromName('pgup', '')).toEqual({ name: 'pageup' });
    expect(specFromName('ctrl+a', 'a')).toEqual({ char: 'a', ctrl: true });
    expect(specFromName('x', 'x')).toEqual({ char: 'x' });
  });
});

describe('router: the console layers', () => {
  const id = (r: ReturnType<typeof route>) => (r.type === 'binding' ? r.binding.id : r.type === 'text' ? `text:${r.text}` : r.type);
  const live = { scope: 'console', tiled: false } as const;
  const tiled = { scope: 'console', tiled: true } as const;

  it('attached: everything goes to the guest but Ctrl+] and Shift+PgUp — q, Ctrl+C, :, ?, / included', () => {
    for (const k of ['q', 'ctrl+c', ':', '?', '/', 's', 'pgup', 'pgdn', 'esc', 'tab', 'f2', 'enter', 'space']) {
      expect(id(route(live, k, k.length === 1 ? k : '')), k).toBe('forward');
    }
    expect(id(route(live, 'ctrl+]', ''))).toBe('console.detach');
    expect(id(route(live, 'shift+pgup', ''))).toBe('console.scrollback');
  });

  it('F2 / Shift+F2 switch consoles only in the tiled view', () => {
    expect(id(route(tiled, 'f2', ''))).toBe('console.nextTile');
    expect(id(route(tiled, 'shift+f2', ''))).toBe('console.prevTile');
    expect(id(route(tiled, 'x', 'x'))).toBe('forward');
  });

  it('scrollback keeps its keys; Ctrl+] and F2 still work there; search takes text', () => {
    const sb = { scope: 'scrollback', tiled: true } as const;
    expect(id(route(sb, '/', '/'))).toBe('scrollback.search');
    expect(id(route(sb, 'pgup', ''))).toBe('scrollback.pageUp');
    expect(id(route(sb, 'q', 'q'))).toBe('scrollback.live');
    expect(id(route(sb, 'ctrl+]', ''))).toBe('console.detach');
    expect(id(route(sb, 'f2', ''))).toBe('console.nextTile');
    expect(id(route(sb, 'x', 'x'))).toBe('none');
    const search = { scope: 'search', tiled: false } as const;
    expect(id(route(search, 'n', 'n'))).toBe('text:n');
    expect(id(route(search, 'enter', ''))).toBe('search.run');
    expect(id(route(search, 'ctrl+]', ''))).toBe('console.detach');
  });

  it('the footer leads with Ctrl+] in every console layer; help documents the layers', () => {
    for (const scope of ['console', 'scrollback', 'search'] as const) {
      expect(hintsFor({ scope, tiled: false })[0].id).toBe('console.detach');
    }
    expect(hintsFor(tiled).map((b) => b.id)).toContain('console.nextTile');
    expect(hintsFor(live).map((b) => b.id)).not.toContain('console.nextTile');
    const help = helpLines().map((l) => l.text).join('\n');
    expect(help).toContain('Ctrl+]');
    expect(help).toContain('F2');
    expect(help).toContain('Shift+PgUp');
  });
});

describe('geometry and titles', () => {
  it('tiles cover the area exactly: 1, 2 side by side, 3 (two + one wide), 2×2', () => {
    for (const n of [1, 2, 3, 4]) {
      const t = tiles(n, 81, 31);
      expect(t).toHaveLength(n);
      expect(t.reduce((a, b) => a + b.width * b.height, 0)).toBe(81 * 31);
      for (const b of t) expect(b.x + b.width <= 81 && b.y + b.height <= 31).toBe(true);
    }
    expect(tiles(4, 80, 20).map(innerSize)).toEqual([
      { cols: 38, rows: 8 },
      { cols: 38, rows: 8 },
      { cols: 38, rows: 8 },
      { cols: 38, rows: 8 },
    ]);
    expect(innerSize({ x: 0, y: 0, width: 2, height: 2 })).toEqual({ cols: 2, rows: 1 });
  });

  const facts: TitleFacts = { domain: 'web-01', device: 'ttyS0', running: true, exists: true, mode: 'live', offset: 0, search: null, focused: true, tiled: false };

  it('the full title per the sketch, and the Ctrl+] hint survives any width', () => {
    expect(consoleTitle(facts, 200)).toBe('console: web-01 (ttyS0) ─ attached ─ Ctrl+] detach · Shift+PgUp scrollback, / search');
    for (let w = 13; w < 120; w++) {
      const t = consoleTitle(facts, w);
      expect(t.length, `${w}: ${t}`).toBeLessThanOrEqual(w);
      expect(t).toContain('Ctrl+] detach');
    }
    expect(consoleTitle({ ...facts, running: false }, 200)).toContain('not running ─ Ctrl+] close · s start');
    expect(consoleTitle({ ...facts, mode: 'scrollback', offset: 12 }, 200)).toContain('scrollback · 12 lines up');
    expect(consoleTitle({ ...facts, focused: false, tiled: true }, 200)).toBe('console: web-01 (ttyS0) ─ running');
    expect(consoleTitle({ ...facts, exists: false }, 200)).toContain('domain no longer exists');
  });
});
