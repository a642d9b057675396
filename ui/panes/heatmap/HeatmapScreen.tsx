// The fleet heatmap: one line per host (virtualized: only the rows on screen are built), cells
// shaded by glyph height (the host's load coloured by level), the cell under the cursor inverse, and below
// the grid what that cell holds plus the legend.
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf, percentCell } from '../../widgets/bars';
import { paint } from '../../widgets/paint';
import { Pane } from '../../widgets/Pane';
import { computeViews, heatCursor, heatGroups } from '../top/screens';
import { type Agg, HEAT_LEGEND, type HeatCells, type HostGroup, type Metric, cellAt, heatCells, heatColumns, heatPrefix, heatTitle } from './presenter';

interface HeatRowProps {
  g: HostGroup;
  /** Columns of the host name and of the cells (heatColumns). */
  name: number;
  width: number;
  agg: Agg;
  metric: Metric;
  selected: boolean;
  focused: boolean;
  /** The cursor's cell on the selected row, −1 elsewhere. */
  col: number;
}

/**
 * One host's row, painted as one string (paint.ts: what nested <Text>s would write, one node
 * instead of eight) and memoized, so a cursor move re-renders only the rows it leaves and enters.
 * The cells are one plain run (the glyph height is the shade; a colour per cell would be hundreds
 * of style changes a frame at 1,000 hosts), the cursor cell inverse.
 */
const HeatRow = React.memo(function HeatRow({ g, name, width, agg, metric, selected, focused, col }: HeatRowProps) {
  const cells = heatCells(g, width, agg, metric);
  const prefix = heatPrefix(g, { name, cells: width });
  let line =
    paint((selected ? (focused ? '▌' : '›') : ' ') + prefix.slice(0, -5), { bold: selected, inverse: selected && focused }) +
    paint(prefix.slice(-5), { color: color(LEVEL_COLOR[levelOf(g.load)]) });
  if (!cells.values.length) line += paint('no running domains', { dimColor: true });
  else if (col < 0) line += cells.text;
  else {
    const at = cells.pos[col];
    line += cells.text.slice(0, at) + paint(cells.text[at], { inverse: true }) + cells.text.slice(at + 1);
  }
  if (cells.perCell > 1) line += paint(` ${cells.perCell}/cell`, { dimColor: true });
  return <Text wrap="truncate">{line}</Text>;
});

function cellInfo(g: HostGroup | undefined, cells: HeatCells | null, col: number, agg: string): string {
  if (!g) return 'no hosts';
  if (!cells || !cells.values.length) return `${g.host}: no running domains`;
  const at = cellAt(g, cells, col);
  if (!at) return g.host;
  const v = cells.first[col];
  const busy = g.busy.slice(v, v + at.count);
  const steal = g.steal.slice(v, v + at.count);
  const mx = (a: Float32Array) => a.reduce((m, x) => Math.max(m, x), 0);
  const what = at.count === 1 ? `${at.domain} vCPU ${at.vcpu}` : `${at.count} vCPUs from ${at.domain} vCPU ${at.vcpu} (cell = ${agg})`;
  return `${g.host} · ${what} · busy ${percentCell(at.count === 1 ? busy[0] : mx(busy)).trim()} · steal ${percentCell(at.count === 1 ? steal[0] : mx(steal)).trim()}`;
}

export const HeatmapScreen = React.memo(function HeatmapScreen({ width, height }: { width: number; height: number }) {
  const c = useController();
  useSnapshot((s) => s.version); // every published sample regroups the fleet (heatGroups)
  const heat = useUi((s) => s.compute.heat);
  const focused = useUi((s) => !s.dialog && !s.palette && !s.help);
  const inner = width - 3;
  const groups = heatGroups(c);
  const cols = heatColumns(groups, inner);
  const views = computeViews(c);
  const page = Math.max(1, height - 2 - 3);
  views.pages.heat = page;
  views.pages.heatWidth = cols.cells;
  const cur = heatCursor(c);
  const shown = groups.slice(cur.offset, cur.offset + page);
  const selCells = groups[cur.row] ? heatCells(groups[cur.row], cols.cells, heat.agg, heat.metric) : null;
  const header = `${'HOST'.padEnd(cols.name)} ${'pCPU'.padStart(4)} ${'vCPU/p'.padStart(6)} ${'load'.padStart(4)} cells: one per vCPU, a blank between domains; ${heat.agg} of k vCPUs when a host does not fit`;
  const right = `${groups.length ? `${cur.offset + 1}–${cur.offset + shown.length} of ` : ''}${groups.length} hosts`;
  return (
    <Pane title={heatTitle(groups, heat.agg, heat.metric)} right={right} width={width} height={height} focused={focused}>
      <Text bold wrap="truncate">
        {trimPad(' ' + header)}
      </Text>
      {shown.map((g, k) => {
        const selected = cur.offset + k === cur.row;
        return (
          <HeatRow key={g.host} g={g} name={cols.name} width={cols.cells} agg={heat.agg} metric={heat.metric} selected={selected} focused={focused} col={selected ? cur.col : -1} />
        );
      })}
      <Text wrap="truncate">{trimPad(' ' + cellInfo(groups[cur.row], selCells, cur.col, heat.agg))}</Text>
      <Text dimColor wrap="truncate">
        {trimPad(` ${HEAT_LEGEND} · w/P/b act on the cell's domain`)}
      </Text>
    </Pane>
  );
});
