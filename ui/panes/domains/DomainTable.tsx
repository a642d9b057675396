// The domain table pane: a thin view over the presenter and the virtualized Table widget.
import React, { useCallback, useMemo } from 'react';
import type { DomainInfo } from '../../../engine/index';
import { useController, useSnapshot, useUi } from '../../context';
import { stateStyle } from '../../theme';
import { Pane } from '../../widgets/Pane';
import { Table, type TableColumn } from '../../widgets/Table';
import { type SortKey, cell, layoutColumns, parseFilter } from './presenter';

export interface DomainTableProps {
  width: number;
  height: number;
}

const rowKey = (d: DomainInfo) => d.uuid;
const accent = (d: DomainInfo) => ({ column: 'state', style: stateStyle(d.state) });

export const DomainTable = React.memo(function DomainTable({ width, height }: DomainTableProps) {
  const c = useController();
  const domains = useSnapshot((s) => s.domains);
  const now = useSnapshot((s) => s.clock.now);
  const samples = useSnapshot((s) => s.samples);
  const sort = useUi((s) => s.sort);
  const filter = useUi((s) => s.filter);
  const editing = useUi((s) => s.dialog?.kind === 'filter');
  const focused = useUi((s) => s.focus === 'table' && !s.dialog && !s.palette && !s.help);
  useUi((s) => s.table); // re-render on cursor moves
  const rows = c.domainView(domains, sort, filter, samples);
  const columns = useMemo(() => layoutColumns(width - 3), [width]);
  const visible = Math.max(0, height - 3);
  const cursor = c.tableCursor();
  const offset = c.tableOffset();
  const arrow = sort.desc ? '▼' : '▲';
  // Stable callbacks: the table keeps its columns across cursor moves (see Table).
  const cellAt = useCallback((d: DomainInfo, key: string) => cell(d, key as SortKey, now, samples), [now, samples]);
  const headerOf = useCallback((col: TableColumn) => (col.key === sort.key ? `${col.title}${arrow}` : col.title), [sort.key, arrow]);
  const invalid = filter && !parseFilter(filter).regex ? ' (substring)' : '';
  const filterText = editing ? `/${filter}█` : filter ? `/${filter}${invalid}` : '/filter: (none)';
  const title = `DOMAINS  ${filterText}   sort: ${sort.key} ${arrow}`;
  const count = `${rows.length ? `${offset + 1}–${Math.min(rows.length, offset + visible)} of ` : ''}${rows.length}${filter ? ` (of ${domains.length})` : ''}`;
  return (
    <Pane title={title} right={count} width={width} height={height} focused={focused}>
      <Table<DomainInfo>
        columns={columns}
        items={rows}
        offset={offset}
        height={visible}
        cursor={cursor}
        focused={focused}
        cell={cellAt}
        rowKey={rowKey}
        accent={accent}
        headerOf={headerOf}
        empty={filter ? `no domain matches '${filter}' (Esc clears)` : 'no domains'}
      />
    </Pane>
  );
});
