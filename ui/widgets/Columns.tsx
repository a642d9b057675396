// Column-major rendering of a block of rows: one <Text> per column holding that column's cell on
// every row ('\n'-joined), each column placed at its x offset. Why: Ink re-tokenizes every character
// it is given on every frame (≈2 µs each), spaces included, while blank cells cost nothing. A
// row-major line pads every cell with spaces; a column holds only the cells' own characters
// (right-aligned numbers keep their leading pad), and repeated cells ("running", "2.0 GiB") are
// tokenized once per frame: a visible row costs its own characters, not the screen's width.
//
// Columns may overlap (a host label runs across the domain rows' state column): they are drawn
// in order, and an empty cell draws nothing. Every cell must already fit its column's width: Ink
// truncates a multi-line text as a whole, so an overlong line would swallow the lines after it;
// a column with any cell that is not simple text (whose width may not be its length) is drawn
// cell by cell instead.
import { Box, Text } from 'ink';
import React from 'react';
import { isSimpleText } from '../ink/simple-text';
import type { Style } from '../theme';
import { paint } from './paint';

/** A cell: plain text, or text with a style (colour, dim, bold). Empty cells draw nothing. */
export type Cell = string | { text: string; style: Style };

export interface ColumnSpec {
  key: string;
  /** Offset from the block's left edge. */
  x: number;
  width: number;
  /** One cell per row, top to bottom. */
  cells: readonly Cell[];
}

const text = (c: Cell): string => (typeof c === 'string' ? c : c.text);

/**
 * One column's text: the cells '\n'-joined, styled cells painted (paint.ts writes what a nested
 * <Text> would). One text node whatever the number of coloured cells: Ink walks and squashes every
 * node on every frame, so a column of 50 coloured states cost 50 nodes before.
 */
function columnText(cells: readonly Cell[]): string {
  return cells.map((c) => (typeof c === 'string' ? c : paint(c.text, c.style))).join('\n');
}

/**
 * A column whose cells are not all simple text (wide or combining characters, controls — a domain
 * defined through XML may be named anything): one <Text> per cell, so Ink truncates each line on
 * its own, and control characters shown as "?" so a name cannot add a line or an escape code.
 */
function SafeColumn({ col }: { col: ColumnSpec }): React.ReactElement {
  return (
    <Box position="absolute" marginLeft={col.x} width={col.width} flexDirection="column">
      {col.cells.map((c, i) => {
        const t = printable(text(c));
        if (!t) return <Box key={i} height={1} />; // draws nothing, like an empty line
        return (
          <Text key={i} wrap="truncate" {...(typeof c === 'string' ? {} : c.style)}>
            {t}
          </Text>
        );
      })}
    </Box>
  );
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text with control characters shown as "?" (one line, no escape codes of its own). */
export const printable = (t: string): string => t.replace(CONTROLS, '?');

/** Memoized: pass the same `columns` array while the rows are unchanged and React skips it all. */
export const Columns = React.memo(function Columns({ height, columns }: { height: number; columns: readonly ColumnSpec[] }): React.ReactElement {
  return (
    <Box height={height} flexShrink={0}>
      {columns.map((col) => {
        if (col.cells.every((c) => isSimpleText(text(c)))) {
          return col.cells.some((c) => text(c) !== '') ? (
            <Box key={col.key} position="absolute" marginLeft={col.x} width={col.width}>
              <Text wrap="truncate">{columnText(col.cells)}</Text>
            </Box>
          ) : null;
        }
        return <SafeColumn key={col.key} col={col} />;
      })}
    </Box>
  );
});

/** One full-width row drawn over the columns (the selected row, inverse across its whole width). */
export function Overlay({ y, children }: { y: number; children: React.ReactNode }): React.ReactElement {
  return (
    <Box position="absolute" marginTop={y}>
      {children}
    </Box>
  );
}
