// The bundle composes Ink's frames with ui/ink/output.ts instead of Ink's Output. It must write
// exactly what Ink's Output writes: random frames of styled writes (as Ink's Text transformers
// colour them), several lines each, anywhere in or out of the grid, some with text the fast grid
// hands back to Ink (emoji, CJK, combining marks) or with clipping; and runs of frames that
// change a little each time (a row's string is reused while its cells are unchanged; a write of
// the same text at the same place reuses its cells without splitting it).
import StockOutput from '../../node_modules/ink/build/output.js';
import { describe, expect, it } from 'vitest';
import FastOutput from '../../ui/ink/output';
import { simpleCodePoints } from '../../ui/ink/simple-text';

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
const OTHER = ['😀', 'e\u0301', '漢', '\u00a0', '🇩🇪'];
// SGR codes as chalk (Ink's Text colouring) writes them.
const sgr = (open: string, close: string) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const c = {
  green: sgr('32', '39'),
  red: sgr('31', '39'),
  cyan: sgr('36', '39'),
  bold: sgr('1', '22'),
  dim: sgr('2', '22'),
  inverse: sgr('7', '27'),
  bgBlue: sgr('44', '49'),
  hex: sgr('38;2;51;102;153', '39'),
};
const TRANSFORMERS: Array<(s: string, i: number) => string> = [
  (s) => c.green(s),
  (s) => c.bold(s),
  (s) => c.inverse(s),
  (s) => c.dim(s),
  (s) => c.bgBlue(s),
  (s) => c.hex(s),
  (s, i) => (i % 2 ? c.red(s) : s),
];

type Op = { kind: 'write'; x: number; y: number; text: string; t: number[] } | { kind: 'clip'; x1: number; x2: number } | { kind: 'unclip' };

/** Up to four lines of at most `max` columns (other text aside), with SGR codes inside. */
function randomText(r: () => number, other: boolean, max: number): string {
  const lines: string[] = [];
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    let s = '';
    for (let k = Math.floor(r() * (max + 1)); k > 0; k--) {
      const p = r();
      if (other && p < 0.03) s += OTHER[Math.floor(r() * OTHER.length)];
      else if (p < 0.1) s += c.cyan(String.fromCharCode(0x41 + Math.floor(r() * 26)));
      else if (p < 0.7) s += String.fromCharCode(0x20 + Math.floor(r() * 95));
      else s += String.fromCodePoint(SIMPLE[Math.floor(r() * SIMPLE.length)]);
    }
    lines.push(s);
  }
  return lines.join('\n');
}

function randomOps(r: () => number, w: number, h: number): Op[] {
  const ops: Op[] = [];
  const other = r() < 0.1;
  for (let n = Math.floor(r() * 25); n > 0; n--) {
    if (r() < 0.01) ops.push({ kind: 'clip', x1: Math.floor(r() * w), x2: Math.floor(r() * w) + 5 });
    else if (r() < 0.01) ops.push({ kind: 'unclip' });
    const t = r() < 0.5 ? [] : [Math.floor(r() * TRANSFORMERS.length)];
    if (r() < 0.2) t.push(Math.floor(r() * TRANSFORMERS.length));
    // Mostly inside the grid (what the fast grid composes), sometimes across or beyond its edges.
    const inside = r() < 0.9;
    const text = randomText(r, other, inside ? Math.max(1, Math.floor(w / 2)) : 30);
    const x = inside ? Math.floor(r() * Math.ceil(w / 2)) : Math.floor(r() * (w + 4)) - 2;
    const y = inside ? Math.floor(r() * h) : Math.floor(r() * (h + 4)) - 2;
    ops.push({ kind: 'write', x, y, text, t });
  }
  return ops;
}

let composed = 0; // frames the fast grid composed itself

function frame(Output: typeof StockOutput, w: number, h: number, ops: Op[]): string {
  const out = new Output({ width: w, height: h });
  if (Output !== StockOutput) {
    const compose = (out as unknown as { compose(): string | null }).compose.bind(out);
    (out as unknown as { compose(): string | null }).compose = () => {
      const s = compose();
      if (s !== null) composed++;
      return s;
    };
  }
  for (const op of ops) {
    if (op.kind === 'write') out.write(op.x, op.y, op.text, { transformers: op.t.map((i) => TRANSFORMERS[i]) });
    else if (op.kind === 'clip') out.clip({ x1: op.x1, x2: op.x2, y1: undefined, y2: undefined });
    else out.unclip();
  }
  return out.get().output;
}

describe("the bundle's Ink Output", () => {
  it('writes what Ink writes on random frames', () => {
    const r = rng(7);
    composed = 0;
    for (let i = 0; i < 800; i++) {
      const w = 1 + Math.floor(r() * 60);
      const h = 1 + Math.floor(r() * 12);
      const ops = randomOps(r, w, h);
      expect(frame(FastOutput as unknown as typeof StockOutput, w, h, ops), JSON.stringify(ops)).toBe(frame(StockOutput, w, h, ops));
    }
    // Both paths are exercised: most frames by the grid, the rest handed back to Ink.
    expect(composed).toBeGreaterThan(200);
    expect(composed).toBeLessThan(700);
  });

  it('writes what Ink writes on frames that change a little each time (rows reused)', () => {
    const r = rng(8);
    let ops = randomOps(r, 80, 20).filter((o) => o.kind === 'write');
    for (let i = 0; i < 300; i++) {
      const k = Math.floor(r() * (ops.length + 1));
      const fresh = randomOps(r, 80, 20).filter((o) => o.kind === 'write')[0];
      if (fresh) ops = [...ops.slice(0, k), fresh, ...ops.slice(k + 1)];
      // Now and then the same text moves a row up or down (a scroll).
      const m = ops[Math.floor(r() * ops.length)];
      if (i % 7 === 3 && m?.kind === 'write') ops = ops.map((o) => (o === m ? { ...m, y: m.y + (r() < 0.5 ? 1 : -1) } : o));
      const h = i % 50 === 49 ? 10 : 20; // the terminal shrinks now and then
      expect(frame(FastOutput as unknown as typeof StockOutput, 80, h, ops)).toBe(frame(StockOutput, 80, h, ops));
    }
  });

  it('draws a text cut at the bottom whole once it moves up (the same text at another row)', () => {
    const draw = (y: number) => {
      const out = new FastOutput({ width: 4, height: 3 });
      out.write(0, y, 'a\nb\nc', { transformers: [] });
      return (out as unknown as { compose(): string | null }).compose();
    };
    expect(draw(1)).toBe('\na\nb');
    expect(draw(0)).toBe('a\nb\nc');
  });

  it('composes a whole frame of simple text itself (no hand-back to Ink)', () => {
    const out = new FastOutput({ width: 10, height: 2 });
    out.write(1, 0, c.green('ok'), { transformers: [] });
    out.write(0, 1, 'a\nbeyond', { transformers: [(s) => c.bold(s)] });
    expect((out as unknown as { compose(): string | null }).compose()).toBe(` ${c.green('ok')}\n${c.bold('a')}`);
  });
});
