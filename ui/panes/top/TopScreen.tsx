// The virt-top-like screen: every active domain in the virtualized Table widget, sorted by any
// column (o / O), the selected row's domain being what w / P / b act on.
import React, { useMemo } from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { stateStyle } from '../../theme';
import { Pane } from '../../widgets/Pane';
import { Table, type TableColumn } from '../../widgets/Table';
import { type TopRow, topCell, topColumns, topRowKey } from './presenter';
import { computeViews, topCursor, topList, topOffset } from './screens';

export const TopScreen = React.memo(function TopScreen({ width, height }: { width: number; height: number }) {
  const c = useController();
  const domains = useSnapshot((s) => s.domains);
  useSnapshot((s) => s.version);
  const top = useUi((s) => s.compute.top);
  const focused = useUi((s) => !s.dialog && !s.palette && !s.help);
  const columns = useMemo(() => topColumns(width - 3), [width]);
  const visible = Math.max(0, height - 3);
  computeViews(c).pages.top = Math.max(1, visible);
  const rows = topList(c);
  const cursor = topCursor(c);
  const offset = topOffset(c);
  const arrow = top.sort.desc ? '▼' : '▲';
  const sortTitle = columns.find((col) => col.key === top.sort.key)?.title ?? top.sort.key;
  const title = `TOP ─ active domains, virt-top style (%CPU: 100 per busy vCPU)   sort: ${sortTitle} ${arrow}`;
  const count = `${rows.length ? `${offset + 1}–${Math.min(rows.length, offset + visible)} of ` : ''}${rows.length} active (of ${domains.length})`;
  return (
    <Pane title={title} right={count} width={width} height={height} focused={focused}>
      <Table<TopRow>
        columns={columns}
        items={rows}
        offset={offset}
        height={visible}
        cursor={cursor}
        focused={focused}
        cell={topCell}
        rowKey={topRowKey}
        accent={(r) => ({ column: 'state', style: stateStyle(r.d.state) })}
        headerOf={(col: TableColumn) => (col.key === top.sort.key ? `${col.title}${arrow}` : col.title)}
        empty="no active domains"
      />
    </Pane>
  );
});
