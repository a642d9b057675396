// The hosts tree pane: hosts (▾/▸ collapsible, "no VT-x" marked) with their domains; virtualized
// like the table (only the rows inside the window are rendered) and drawn column by column like
// it (the labels, then the coloured glyph + state words), the selected row whole on top.
import { Text } from 'ink';
import React, { useMemo } from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { color, stateStyle } from '../../theme';
import { type Cell, type ColumnSpec, Columns, Overlay, printable } from '../../widgets/Columns';
import { Pane } from '../../widgets/Pane';
import { type TreeRow, treeLine } from './presenter';

/** Where the coloured glyph + state begin in a domain line (−1: no glyph). */
const stateAt = (text: string) => text.search(/ [●◐◌○✗] /);

function hostStyle(row: TreeRow & { kind: 'host' }) {
  return { bold: true, color: row.host.cpu.hvm ? undefined : color('yellow') };
}

/** The whole line of the selected row. */
function selectedLine(row: TreeRow, line: string, focused: boolean): React.ReactElement {
  const text = printable(line);
  const marker = focused ? '▌' : '›';
  if (row.kind === 'host') {
    return (
      <Text wrap="truncate" inverse={focused} {...hostStyle(row)}>
        {marker + text}
      </Text>
    );
  }
  const split = stateAt(text);
  return (
    <Text wrap="truncate" inverse={focused} bold>
      {marker + (split > 0 ? text.slice(0, split) : text)}
      {split > 0 ? <Text {...stateStyle(row.domain.state)}>{text.slice(split)}</Text> : null}
    </Text>
  );
}

/**
 * Labels in one column; the coloured glyph + state in another, at the column where domain lines
 * put the glyph (one per distinct position: names are fitted to one width, so normally one).
 */
function treeColumns(shown: readonly TreeRow[], texts: readonly string[], inner: number): ColumnSpec[] {
  const labels: Cell[] = [];
  const states = new Map<number, Cell[]>();
  shown.forEach((row, k) => {
    const t = texts[k];
    const split = row.kind === 'domain' ? stateAt(t) : -1;
    labels.push(row.kind === 'host' ? { text: t.trimEnd(), style: hostStyle(row) } : (split > 0 ? t.slice(0, split) : t).trimEnd());
    if (split <= 0 || row.kind !== 'domain') return;
    let cells = states.get(split);
    if (!cells) states.set(split, (cells = new Array<Cell>(shown.length).fill('')));
    cells[k] = { text: t.slice(split).trimEnd(), style: stateStyle(row.domain.state) };
  });
  const columns: ColumnSpec[] = [{ key: 'label', x: 1, width: inner, cells: labels }];
  for (const [split, cells] of states) columns.push({ key: `state${split}`, x: 1 + split, width: inner - split, cells });
  return columns;
}

export const HostTree = React.memo(function HostTree({ width, height }: { width: number; height: number }) {
  const c = useController();
  const hosts = useSnapshot((s) => s.hosts);
  const domains = useSnapshot((s) => s.domains);
  const collapsed = useUi((s) => s.collapsed);
  const focused = useUi((s) => s.focus === 'tree' && !s.dialog && !s.palette && !s.help);
  useUi((s) => s.tree);
  const rows = c.treeView(hosts, domains, collapsed);
  const visible = Math.max(0, height - 2);
  const cursor = c.treeCursor();
  const offset = c.treeOffset();
  const inner = width - 3;
  const shown = useMemo(() => rows.slice(offset, offset + visible), [rows, offset, visible]);
  const texts = useMemo(() => shown.map((row) => treeLine(row, inner)), [shown, inner]);
  // Rebuilt when the window changes, not on a cursor move (Columns then skips re-rendering).
  const columns = useMemo(() => treeColumns(shown, texts, inner), [shown, texts, inner]);
  const sel = cursor - offset;
  return (
    <Pane title="HOSTS" right={`${hosts.length}`} width={width} height={height} focused={focused}>
      <Columns height={shown.length} columns={columns} />
      {sel >= 0 && sel < shown.length && <Overlay y={sel}>{selectedLine(shown[sel], texts[sel], focused)}</Overlay>}
    </Pane>
  );
});
