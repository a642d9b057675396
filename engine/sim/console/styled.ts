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

/**
 * The cell object the buffer fills (xterm's CellData): its packed `fg`/`bg` words hold colour
 * mode, colour and every attribute flag, so two cells render alike exactly when both words are
 * equal. Comparing two numbers per cell keeps a 200×60 frame read cheap.
 */
interface PackedCell extends IBufferCell {
  fg: number;
  bg: number;
}

function runOf(c: IBufferCell): StyledRun {
  const run: StyledRun = { text: '' };
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
  const c = cell as PackedCell;
  // Find the last cell that shows something (text or a non-default background/attribute).
  let last = Math.min(cols, line.length) - 1;
  for (; last >= 0; last--) {
    line.getCell(last, c);
    if (!isPlain(c)) break;
  }
  const runs: StyledRun[] = [];
  let run: StyledRun | null = null;
  let text = '';
  let fg = 0;
  let bg = 0;
  let invisible = false;
  for (let x = 0; x <= last; x++) {
    line.getCell(x, c);
    const w = c.getWidth();
    if (w === 0) continue; // second half of a wide character
    if (!run || c.fg !== fg || c.bg !== bg) {
      if (run) {
        run.text = text;
        runs.push(run);
      }
      run = runOf(c);
      fg = c.fg;
      bg = c.bg;
      invisible = c.isInvisible() !== 0;
      text = '';
    }
    text += invisible ? ' '.repeat(w) : c.getChars() || ' ';
  }
  if (run) {
    run.text = text;
    runs.push(run);
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
