// Reading styled rows out of a headless terminal's buffer: a cell walk that groups cells of one
// style into runs. What comes out is plain text plus attributes: every escape sequence the guest
// sent has already been interpreted (or ignored) by the terminal emulator.

import type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';
import type { StyledLine, StyledRun, TermColor } from '../../api/types';

// Colour modes as IBufferCell.getFgColorMode() reports them (xterm's Attributes.CM_*).
const CM_P16 = 0x1000000;
const CM_P256 = 0x2000000;
const CM_RGB = 0x3000000;

function color(mode: number, value: number): TermColor | undefined {
  if (mode === CM_P16 || mode === CM_P256) return { kind: 'palette', index: value };
  if (mode === CM_RGB) return { kind: 'rgb', rgb: value };
  return undefined;
}

/** A number that is equal for two cells exactly when they render alike. */
function styleKey(c: IBufferCell): string {
  return `${c.getFgColorMode()}:${c.getFgColor()}:${c.getBgColorMode()}:${c.getBgColor()}:${c.isBold()}${c.isDim()}${c.isItalic()}${c.isUnderline()}${c.isInverse()}${c.isInvisible()}`;
}

function runOf(c: IBufferCell, text: string): StyledRun {
  const run: StyledRun = { text };
  const fg = color(c.getFgColorMode(), c.getFgColor());
  const bg = color(c.getBgColorMode(), c.getBgColor());
  if (fg) run.fg = fg;
  if (bg) run.bg = bg;
  if (c.isBold()) run.bold = true;
  if (c.isDim()) run.dim = true;
  if (c.isItalic()) run.italic = true;
  if (c.isUnderline()) run.underline = true;
  if (c.isInverse()) run.inverse = true;
  return run;
}

const isPlain = (c: IBufferCell) => c.isAttributeDefault() && (c.getChars() === '' || c.getChars() === ' ');

/** One buffer row as styled runs; trailing default-styled blanks are dropped. */
export function styledLine(line: IBufferLine | undefined, cols: number, cell: IBufferCell): StyledLine {
  if (!line) return { runs: [] };
  // Find the last cell that shows something (text or a non-default background/attribute).
  let last = Math.min(cols, line.length) - 1;
  for (; last >= 0; last--) {
    const c = line.getCell(last, cell);
    if (c && !isPlain(c)) break;
  }
  const runs: StyledRun[] = [];
  let key = '';
  let text = '';
  let first: StyledRun | null = null;
  for (let x = 0; x <= last; x++) {
    const c = line.getCell(x, cell)!;
    if (c.getWidth() === 0) continue; // second half of a wide character
    const k = styleKey(c);
    const ch = c.isInvisible() ? ' '.repeat(c.getWidth()) : c.getChars() || ' ';
    if (k !== key || !first) {
      if (first) {
        first.text = text;
        runs.push(first);
      }
      first = runOf(c, '');
      key = k;
      text = ch;
    } else {
      text += ch;
    }
  }
  if (first) {
    first.text = text;
    runs.push(first);
  }
  return { runs };
}

/** Rows [top, top+rows) of a buffer. */
export function styledRows(buf: IBuffer, top: number, rows: number, cols: number): StyledLine[] {
  const cell = buf.getNullCell();
  const out: StyledLine[] = [];
  for (let y = 0; y < rows; y++) out.push(styledLine(buf.getLine(top + y), cols, cell));
  return out;
}

/** Plain text of a styled line (tests, search previews). */
export function lineText(l: StyledLine): string {
  return l.runs.map((r) => r.text).join('');
}
