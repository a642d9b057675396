// Pure text formatting for the panes: sizes, durations, the virtual clock, fixed-width cells.
// Every pane line is built as a string of an exact width, so Ink never wraps and the frame
// height is exactly what the layout says.

const KiB = 1024;

/** 2097152 KiB → "2.0 GiB"; 524288 → "512 MiB". */
export function formatKiB(kib: number): string {
  return formatBytes(kib * KiB);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${v} B`;
  // GiB and up keep one decimal (2.0 GiB, 11.2 GiB) below 100; smaller units are whole numbers.
  return `${i >= 3 && v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Milliseconds → "45s", "12m 05s", "2h 04m", "9d 02h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${two(h)}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

/** Virtual epoch ms → "2026-11-22 10:41:07" (UTC: the simulation has no time zone). */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Exactly `width` characters: truncated with "…" or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * A fitted line without its trailing padding, for text that is not inverse: the cells are blank
 * anyway, and Ink tokenizes every character it is given on every frame. Never empty: an empty
 * <Text> would take no line at all.
 */
export function trimPad(line: string): string {
  return line.trimEnd() || ' ';
}

/** Horizontal rule with an embedded title: "╭ title ───────╮" of exactly `width` characters. */
export function ruleWithTitle(left: string, title: string, right: string, width: number, fill = '─'): string {
  if (width < 2) return fit(left, width);
  const inner = width - 2;
  const t = title ? ` ${title} ` : '';
  const body = t.length > inner ? fit(t, inner) : t + fill.repeat(inner - t.length);
  return left + body + right;
}

/** Escapes a user's text for use as a literal inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
