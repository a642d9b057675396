// Pure glyph mapping for load bars and sparklines (the Bar and Sparkline widgets draw these).
// Busy, steal and free cells use distinct glyphs (█ ▒ ░) so a bar reads without colour (NO_COLOR);
// colour only adds the level (green < 50 %, yellow < 80 %, red above).

export const SPARK_GLYPHS = '▁▂▃▄▅▆▇█';
export const BUSY = '█';
export const STEAL = '▒';
export const FREE = '░';

export type Level = 'low' | 'mid' | 'high';

/** A load fraction (0..1) as a level: the shade of bars and heatmap cells. */
export function levelOf(fraction: number): Level {
  return fraction >= 0.8 ? 'high' : fraction >= 0.5 ? 'mid' : 'low';
}

export const LEVEL_COLOR: Record<Level, string> = { low: 'green', mid: 'yellow', high: 'red' };

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);

/** One glyph for a fraction 0..1 (0–12.4 % → ▁ … ≥ 87.5 % → █). */
export function sparkGlyph(fraction: number): string {
  return SPARK_GLYPHS[Math.min(7, Math.floor(clamp01(fraction) * 8))];
}

/**
 * The last `width` samples (percent, 0..100; null = no sample) as glyphs, right-aligned: the
 * newest sample is the last character, missing history on the left is blank.
 */
export function sparkline(samples: ReadonlyArray<number | null>, width: number, max = 100): string {
  if (width <= 0) return '';
  const from = Math.max(0, samples.length - width);
  let out = '';
  for (let i = from; i < samples.length; i++) {
    const v = samples[i];
    out += v === null || !Number.isFinite(v) ? ' ' : sparkGlyph(v / max);
  }
  return out.padStart(width);
}

export interface BarCells {
  busy: string;
  steal: string;
  free: string;
}

/**
 * A bar of exactly `width` cells: busy (█) then steal (▒) then free (░). Fractions of one pCPU,
 * rounded to whole cells; a non-zero value never rounds to an empty bar (1 % still shows a cell
 * unless the bar is full).
 */
export function barCells(busy: number, steal: number, width: number): BarCells {
  if (width <= 0) return { busy: '', steal: '', free: '' };
  const b = clamp01(busy);
  const s = Math.min(1 - b, clamp01(steal));
  let nb = Math.round(b * width);
  if (nb === 0 && b > 0) nb = 1;
  let ns = Math.round((b + s) * width) - nb;
  if (ns <= 0 && s > 0 && nb < width) ns = 1;
  ns = Math.max(0, Math.min(width - nb, ns));
  return { busy: BUSY.repeat(nb), steal: STEAL.repeat(ns), free: FREE.repeat(width - nb - ns) };
}

/** "81%", right-aligned in 4 cells; "-" for no value. */
export function percentCell(fraction: number | null, width = 4): string {
  if (fraction === null || !Number.isFinite(fraction)) return '-'.padStart(width);
  return `${Math.round(fraction * 100)}%`.padStart(width);
}

/** Overcommit ratio as the TUI prints it: "1.6", "0.19", "12". */
export function ratioText(r: number): string {
  if (!Number.isFinite(r)) return '-';
  if (r >= 10) return String(Math.round(r));
  if (r >= 1) return (Math.round(r * 10) / 10).toString();
  return (Math.round(r * 100) / 100).toString();
}
