// The fleet heatmap: one line per host (virtualized: only the rows on screen are built), cells
// shaded by glyph height (the host's load coloured by level), the cell under the cursor inverse, and below
// the grid what that cell holds plus the legend.
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { flat } from '../../flat';
import { joinMeasured, simpleWidest } from '../../ink/simple-text';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf, percentCell } from '../../widgets/bars';
import { paint } from '../../widgets/paint';
import { Pane } from '../../widgets/Pane';
import { computeViews, heatCursor, heatGroups } from '../top/screens';
import { type Agg, HEAT_LEGEND, type HeatCells, type HeatColumns, type HostGroup, type Metric, cellAt, heatCells, heatColumns, heatPrefix, heatTitle } from './presenter';

interface HeatRow {
  g: HostGroup;
  cols: HeatColumns;
  agg: Agg;
  metric: Metric;
  selected: boolean;
  focused: boolean;
  /** The cursor's cell on the selected row, −1 elsewhere. */
  col: number;
  /** Columns the line may take (the pane's inner width). */
  room: number;
}

/** One host's row (paintLine) and its width, kept per group: a cursor move repaints only the rows it leaves and enters. */
function heatLine(r: HeatRow): { line: string; width: number } {
  const hit = lineCache.get(r.g);
  if (hit && sameRow(hit.row, r)) return hit;
  const line = flat(paintLine(r)); // joined into every frame
  const painted = { row: r, line, width: simpleWidest(line) };
  lineCache.set(r.g, painted);
  return painted;
}

// Compared field by field: a key string per row on screen cost more than the rest of a cursor move.
const sameRow = (a: HeatRow, b: HeatRow) =>
  a.cols.name === b.cols.name && a.cols.cells === b.cols.cells && a.agg === b.agg && a.metric === b.metric && a.selected === b.selected && a.focused === b.focused && a.col === b.col && a.room === b.room;

const lineCache = new WeakMap<HostGroup, { row: HeatRow; line: string; width: number }>();

/**
 * One host's row as a painted string (paint.ts: what nested <Text>s would write). The cells are one
 * plain run (the glyph height is the shade; a colour per cell would be hundreds of style changes
 * a frame at 1,000 hosts), the cursor cell inverse. Cut to `room` columns here, so the rows can
 * share one <Text> (one node for the whole grid instead of eight per row).
 */
function paintLine({ g, cols, agg, metric, selected, focused, col, room }: HeatRow): string {
  const cells = heatCells(g, cols.cells, agg, metric);
  const prefix = heatPrefix(g, cols);
  const lead = ((selected ? (focused ? '▌' : '›') : ' ') + prefix.slice(0, -5)).slice(0, room);
  const load = prefix.slice(-5).slice(0, room - lead.length);
  let line = paint(lead, { bold: selected, inverse: selected && focused }) + paint(load, { color: color(LEVEL_COLOR[levelOf(g.load)]) });
  let left = room - lead.length - load.length;
  if (!cells.values.length) return line + paint('no running domains'.slice(0, left), { dimColor: true });
  const text = cells.text.slice(0, left);
  const at = col >= 0 ? cells.pos[col] : -1;
  line += at >= 0 && at < text.length ? text.slice(0, at) + paint(text[at], { inverse: true }) + text.slice(at + 1) : text;
  left -= text.length;
  if (cells.perCell > 1) line += paint(` ${cells.perCell}/cell`.slice(0, left), { dimColor: true });
  return line;
}

function cellInfo(g: HostGroup | undefined, cells: HeatCells | null, col: number, agg: string): string {
  if (!g) return 'no hosts';
  if (!cells || !cells.values.length) return `${g.host}: no running domains`;
  const at = cellAt(g, cells, col);
  if (!at) return g.host;
  const v = cells.first[col];
  const busy = g.busy.slice(v, v + at.count);
  const steal = g.steal.slice(v, v + at.count);
  const mx = (a: number[]) => a.reduce((m, x) => Math.max(m, x), 0);
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
  const rows = shown.map((g, k) => {
    const selected = cur.offset + k === cur.row;
    return heatLine({ g, cols, agg: heat.agg, metric: heat.metric, selected, focused, col: selected ? cur.col : -1, room: width - 2 });
  });
  const header = `${'HOST'.padEnd(cols.name)} ${'pCPU'.padStart(4)} ${'vCPU/p'.padStart(6)} ${'load'.padStart(4)} cells: one per vCPU, a blank between domains; ${heat.agg} of k vCPUs when a host does not fit`;
  const right = `${groups.length ? `${cur.offset + 1}–${cur.offset + shown.length} of ` : ''}${groups.length} hosts`;
  return (
    <Pane title={heatTitle(groups, heat.agg, heat.metric)} right={right} width={width} height={height} focused={focused}>
      <Text bold wrap="truncate">
        {trimPad(' ' + header)}
      </Text>
      <Text>{joinMeasured(rows)}</Text>
      <Text wrap="truncate">{trimPad(' ' + cellInfo(groups[cur.row], selCells, cur.col, heat.agg))}</Text>
      <Text dimColor wrap="truncate">
        {trimPad(` ${HEAT_LEGEND} · w/P/b act on the cell's domain`)}
      </Text>
    </Pane>
  );
});
