// Virtualized table: renders the header and only the rows inside the window
// [offset, offset + height) — never the whole list — so a 20,000-row table costs what a
// screenful costs. The body is drawn column by column (see Columns: blank padding is not handed
// to Ink); the selected row is drawn whole on top, inverse across its full width. One column may
// be coloured per row (the state column).
import { Text } from 'ink';
import React, { useMemo } from 'react';
import { fit } from '../format';
import type { Style } from '../theme';

const BOLD: Style = { bold: true };
import { type Cell, type ColumnSpec, Columns, Overlay, printable } from './Columns';

export interface TableColumn {
  key: string;
  title: string;
  width: number;
  align: 'left' | 'right';
}

export interface TableProps<T> {
  columns: readonly TableColumn[];
  items: readonly T[];
  /** First visible item. */
  offset: number;
  /** Visible data rows (the header is extra). */
  height: number;
  cursor: number;
  focused: boolean;
  cell: (item: T, key: string) => string;
  rowKey: (item: T) => string;
  // cell, accent and headerOf should keep their identity between renders (useCallback): the
  // visible columns are rebuilt only when one of them, the items or the window change.
  /** The column to colour and its style for an item. */
  accent?: (item: T) => { column: string; style: Style } | null;
  /** Header text for a column (e.g. with the sort arrow). */
  headerOf?: (col: TableColumn) => string;
  /** Shown on the first line when there are no items. */
  empty?: string;
}

function joinCells(cols: readonly TableColumn[], texts: string[]): string {
  return cols.map((c, i) => fit(texts[i], c.width, c.align)).join(' ');
}

/** A cell's text within its column: truncated with "…", right-aligned, never padded on the right. */
function cellText(text: string, c: TableColumn): string {
  if (text.length > c.width) return fit(text, c.width);
  return c.align === 'right' ? text.padStart(c.width) : text;
}

/** One whole row as a single line (the selected row). */
function rowLine<T>(p: TableProps<T>, item: T, selected: boolean): React.ReactElement {
  const texts = p.columns.map((c) => printable(p.cell(item, c.key)));
  const marker = selected ? (p.focused ? '▌' : '›') : ' ';
  const acc = p.accent?.(item);
  const at = acc ? p.columns.findIndex((c) => c.key === acc.column) : -1;
  if (at < 0) {
    return (
      <Text wrap="truncate" inverse={selected && p.focused} bold={selected}>
        {marker + joinCells(p.columns, texts)}
      </Text>
    );
  }
  const before = joinCells(p.columns.slice(0, at), texts.slice(0, at));
  const mid = fit(texts[at], p.columns[at].width, p.columns[at].align);
  const after = joinCells(p.columns.slice(at + 1), texts.slice(at + 1));
  return (
    <Text wrap="truncate" inverse={selected && p.focused} bold={selected}>
      {marker + before + (at > 0 ? ' ' : '')}
      <Text {...acc!.style}>{mid}</Text>
      {(after ? ' ' : '') + after}
    </Text>
  );
}

/**
 * The body's columns (header first). They depend on the window, not on the cursor: a cursor move
 * keeps them and React skips them, only the selected-row overlay moves.
 */
function bodyColumns<T>(p: TableProps<T>, shown: readonly T[]): ColumnSpec[] {
  const accents = shown.map((item) => p.accent?.(item) ?? null);
  let x = 1; // after the one-character selection marker
  return p.columns.map((c) => {
    const cells: Cell[] = [{ text: cellText(p.headerOf ? p.headerOf(c) : c.title, c), style: BOLD }];
    shown.forEach((item, i) => {
      const t = cellText(p.cell(item, c.key), c);
      const acc = accents[i];
      cells.push(acc && acc.column === c.key ? { text: t, style: acc.style } : t);
    });
    const spec = { key: c.key, x, width: c.width, cells };
    x += c.width + 1;
    return spec;
  });
}

function TableImpl<T>(p: TableProps<T>): React.ReactElement {
  const end = Math.min(p.items.length, p.offset + p.height);
  const { items, offset, columns: cols, cell, accent, headerOf } = p;
  // The other props (cursor, focus, rowKey, empty) do not shape the columns.
  const columns = useMemo(() => bodyColumns(p, items.slice(offset, end)), [items, offset, end, cols, cell, accent, headerOf]);
  const selected = p.cursor >= p.offset && p.cursor < end ? p.items[p.cursor] : undefined;
  return (
    <>
      <Columns height={1 + end - offset} columns={columns} />
      {!p.items.length && p.empty ? (
        <Text dimColor wrap="truncate">
          {' ' + p.empty}
        </Text>
      ) : null}
      {selected !== undefined && <Overlay y={1 + p.cursor - p.offset}>{rowLine(p, selected, true)}</Overlay>}
    </>
  );
}

export const Table = React.memo(TableImpl) as typeof TableImpl;
