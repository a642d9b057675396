// virsh's text layouts: vshTable (list, hosts) and the printf-style key/value blocks.

/** Display width: CJK/fullwidth characters take two cells, combining marks none. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    if (/\p{Mn}|\p{Me}/u.test(ch)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/**
 * vshTable: each cell is " " + text; every cell but the last is padded to its column's width
 * and followed by two spaces; the dash line is Σ(width + 3) long. Ends with a newline.
 */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? ' ' + cell : ' ' + pad(cell, widths[c]) + '  ')).join('') + '\n';
  const dashes = '-'.repeat(widths.reduce((sum, w) => sum + w + 3, 0));
  return line(header) + dashes + '\n' + rows.map(line).join('');
}

/** printf("%-Ns %s\n") for each pair: dominfo and friends use N=15, nodeinfo N=20. */
export function renderKeyValues(pairs: Array<[string, string]>, width: number): string {
  return pairs.map(([k, v]) => pad(k, width) + ' ' + v + '\n').join('');
}

/** virsh's vshPrettyCapacity for sizes: "%.2f" + B/KiB/MiB/GiB/TiB/PiB/EiB. */
export function prettyBytes(bytes: number, fixed: (x: number, d: number) => string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${fixed(v, 2)} ${units[u]}`;
}
