// The bundle routes Ink's string-width and ansi-tokenize imports through ui/ink/ (fast paths for
// the cold first frame). They must answer exactly what the real libraries answer: every code point
// the fast path accepts, and random lines of such text mixed with SGR codes and with text the fast
// path must hand over (emoji, combining marks, CJK, links, other escapes).
import * as real from '@alcalzone/ansi-tokenize';
import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import * as fast from '../../ui/ink/ansi-tokenize';
import { joinMeasured, simpleCodePoints, simpleWidest } from '../../ui/ink/simple-text';
import fastStringWidth from '../../ui/ink/string-width';
import realSanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';
import realMeasureText from '../../node_modules/ink/build/measure-text.js';
import realWrapText from '../../node_modules/ink/build/wrap-text.js';
import realWidestLine from 'widest-line';
import fastSanitizeAnsi from '../../ui/ink/sanitize-ansi';
import fastMeasureText from '../../ui/ink/measure-text';
import fastWrapText from '../../ui/ink/wrap-text';
import fastWidestLine from '../../ui/ink/widest-line';

// A small seeded generator: the same cases on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const SIMPLE = simpleCodePoints();
const CODES = ['\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[7m', '\x1b[27m', '\x1b[32m', '\x1b[39m', '\x1b[96m', '\x1b[1;32m', '\x1b[38;5;123m', '\x1b[48;2;1;2;3m', '\x1b[0m', '\x1b[m', '\x1b[49m'];
// Escapes at the edge of what the fast paths accept as SGR (3-digit parameters, colons, a cut-off
// code, a trailing ESC, private modes, intermediates).
const EDGE = ['\x1b[1234m', '\x1b[1;m', '\x1b[;1m', '\x1b[38:5:1m', '\x1b[', '\x1b[12', '\x1b', '\x1b[?25l', '\x1b[1 m', '\x1b[999m', '\x1b]0;t\x1b\\', '\x85'];
const OTHER = ['😀', 'e\u0301', '\u200d', '漢', '\ufe0f', '\x1b]8;;http://x\x07', '\x1b[2K', '\x9b31m', '\u00ad', '\r\n', '\u1100\u1161', '🇩🇪', '\t'];

function randomLine(r: () => number, other: boolean): string {
  let s = '';
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.12) s += CODES[Math.floor(r() * CODES.length)];
    else if (other && k < 0.15) s += OTHER[Math.floor(r() * OTHER.length)];
    else if (other && k < 0.17) s += EDGE[Math.floor(r() * EDGE.length)];
    else if (k < 0.6) s += String.fromCharCode(0x20 + Math.floor(r() * 95));
    else s += String.fromCodePoint(SIMPLE[Math.floor(r() * SIMPLE.length)]);
  }
  return s;
}

describe('Ink text fast paths', () => {
  it('every simple code point is one column and its own token, as the real libraries say', () => {
    const bad = SIMPLE.filter((cp) => {
      const ch = String.fromCodePoint(cp);
      const t = real.tokenize(ch);
      return realStringWidth(ch) !== 1 || t.length !== 1 || t[0].type !== 'char' || t[0].fullWidth || t[0].value !== ch;
    });
    expect(bad.map((cp) => cp.toString(16))).toEqual([]);
  });

  it('stringWidth equals string-width on random lines', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const s = randomLine(r, i % 2 === 0);
      expect(fastStringWidth(s), JSON.stringify(s)).toBe(realStringWidth(s));
    }
  });

  it('tokenize equals ansi-tokenize on random lines (with and without an end column)', () => {
    const r = rng(2);
    for (let i = 0; i < 2000; i++) {
      const s = randomLine(r, i % 2 === 0);
      const end = i % 3 === 0 ? Math.floor(r() * 30) : undefined;
      expect(fast.tokenize(s, end), JSON.stringify(s)).toEqual(real.tokenize(s, end));
    }
  });

  it('styledCharsFromTokens equals the original on random lines', () => {
    const r = rng(4);
    for (let i = 0; i < 2000; i++) {
      const tokens = real.tokenize(randomLine(r, i % 2 === 0));
      expect(fast.styledCharsFromTokens(tokens)).toEqual(real.styledCharsFromTokens(tokens));
    }
  });

  it('styledCharsToString equals the original on random styled rows', () => {
    const r = rng(3);
    for (let i = 0; i < 1000; i++) {
      // Rows as Ink's Output builds them: several writes' styled chars side by side, blanks between.
      const row: ReturnType<typeof real.styledCharsFromTokens> = [];
      for (let k = 0; k < 4; k++) {
        for (let b = Math.floor(r() * 5); b > 0; b--) row.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
        const tokens = real.tokenize(randomLine(r, true));
        row.push(...(k % 2 ? fast : real).styledCharsFromTokens(tokens));
      }
      expect(fast.styledCharsToString(row)).toBe(real.styledCharsToString(row));
    }
  });

  // Texts as Ink squashes them: several lines, some of them plain, some with other escapes.
  const randomText = (r: () => number, other: boolean) =>
    Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomLine(r, other && r() < 0.5)).join('\n');

  it('sanitizeAnsi equals Ink\'s on random texts', () => {
    const r = rng(5);
    for (const e of EDGE) expect(fastSanitizeAnsi(`a${e}b`), JSON.stringify(e)).toBe(realSanitizeAnsi(`a${e}b`));
    for (let i = 0; i < 2000; i++) {
      const s = randomText(r, i % 2 === 0);
      expect(fastSanitizeAnsi(s), JSON.stringify(s)).toBe(realSanitizeAnsi(s));
    }
  });

  // Under vitest.config.ts Ink's own measure-text measures with the routed widest-line too; the
  // widths are checked against the real widest-line, the heights and the cache against Ink's.
  it('widestLine and measureText equal the originals on random texts', () => {
    const r = rng(6);
    for (let i = 0; i < 2000; i++) {
      const s = i % 50 === 0 ? '\n'.repeat(i % 3) : randomText(r, i % 2 === 0);
      expect(fastWidestLine(s), JSON.stringify(s)).toBe(realWidestLine(s));
      expect(fastMeasureText(s), JSON.stringify(s)).toEqual(realMeasureText(s));
    }
  });

  it('wrapText equals Ink\'s for every wrap mode, cached or not', () => {
    const r = rng(7);
    const modes = ['wrap', 'truncate', 'truncate-end', 'truncate-middle', 'truncate-start'] as const;
    for (let i = 0; i < 600; i++) {
      const s = randomText(r, i % 2 === 0);
      const width = 1 + Math.floor(r() * 30);
      const mode = modes[i % modes.length];
      for (let twice = 0; twice < 2; twice++) expect(fastWrapText(s, width, mode), JSON.stringify([s, width, mode])).toBe(realWrapText(s, width, mode));
    }
  });

  it('a text joined from measured lines answers as the lines said, and as a scan of it would', () => {
    const r = rng(8);
    for (let i = 0; i < 1000; i++) {
      const lines = Array.from({ length: Math.floor(r() * 6) }, () => randomLine(r, i % 3 === 0 && r() < 0.3));
      const text = joinMeasured(lines.map((line) => ({ line, width: simpleWidest(line) })));
      expect(text).toBe(lines.join('\n'));
      expect(fastWidestLine(text), JSON.stringify(lines)).toBe(realWidestLine(text));
      expect(fastSanitizeAnsi(text), JSON.stringify(lines)).toBe(realSanitizeAnsi(text));
    }
  });
});
