// Virtualized table: renders the header and only the rows inside the window
// [offset, offset + height) — never the whole list — so a 20,000-row table costs what a
// screenful costs. Each row is one line of exactly `width` characters; one column may be
// coloured per row (the state column).
import { Text } from 'ink';
import React from 'react';
import { fit } from '../format';
import type { Style } from '../theme';

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

function TableImpl<T>(p: TableProps<T>): React.ReactElement {
  const header = ' ' + joinCells(p.columns, p.columns.map((c) => (p.headerOf ? p.headerOf(c) : c.title)));
  const end = Math.min(p.items.length, p.offset + p.height);
  const lines: React.ReactElement[] = [];
  for (let i = p.offset; i < end; i++) {
    const item = p.items[i];
    const selected = i === p.cursor;
    const texts = p.columns.map((c) => p.cell(item, c.key));
    const marker = selected ? (p.focused ? '▌' : '›') : ' ';
    const acc = p.accent?.(item);
    const at = acc ? p.columns.findIndex((c) => c.key === acc.column) : -1;
    if (at < 0) {
      lines.push(
        <Text key={p.rowKey(item)} wrap="truncate" inverse={selected && p.focused} bold={selected}>
          {marker + joinCells(p.columns, texts)}
        </Text>,
      );
      continue;
    }
    const before = joinCells(p.columns.slice(0, at), texts.slice(0, at));
    const mid = fit(texts[at], p.columns[at].width, p.columns[at].align);
    const after = joinCells(p.columns.slice(at + 1), texts.slice(at + 1));
    lines.push(
      <Text key={p.rowKey(item)} wrap="truncate" inverse={selected && p.focused} bold={selected}>
        {marker + before + (at > 0 ? ' ' : '')}
        <Text {...acc!.style}>{mid}</Text>
        {(after ? ' ' : '') + after}
      </Text>,
    );
  }
  if (!p.items.length && p.empty) lines.push(<Text key="empty" dimColor wrap="truncate">{' ' + p.empty}</Text>);
  return (
    <>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {lines}
    </>
  );
}

export const Table = React.memo(TableImpl) as typeof TableImpl;
