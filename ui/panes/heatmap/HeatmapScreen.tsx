// The fleet heatmap: one line per host (virtualized: only the rows on screen are built), cells
// shaded by glyph height (the host's load coloured by level), and below the grid what the cell
// under the cursor holds plus the legend. The selected row's marker and the cursor cell are drawn
// over the grid (Ink draws later nodes over earlier ones): a cursor move changes two small
// overlays, not the grid, so the grid's text is the same string from frame to frame and neither
// Ink nor its Output (MemoText) measures or splits it again.
import { Box, Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { flat } from '../../flat';
import { joinMeasured, simpleWidest } from '../../ink/simple-text';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf, percentCell } from '../../widgets/bars';
import { MemoText } from '../../widgets/MemoText';
import { paint } from '../../widgets/paint';
import { Pane } from '../../widgets/Pane';
import { computeViews, heatCursor, heatGroups } from '../top/screens';
import { type Agg, HEAT_LEGEND, type HeatCells, type HeatColumns, type HostGroup, type Metric, cellAt, heatCells, heatColumns, heatPrefix, heatTitle } from './presenter';

/** How every row is painted. */
interface RowStyle {
  cols: HeatColumns;
  agg: Agg;
  metric: Metric;
  /** Columns the line may take (the pane's inner width). */
  room: number;
}

interface HeatRow extends RowStyle {
  g: HostGroup;
}

// Compared field by field: a key string per row on screen cost more than the rest of a cursor move.
const sameStyle = (a: RowStyle, b: RowStyle) => a.cols.name === b.cols.name && a.cols.cells === b.cols.cells && a.agg === b.agg && a.metric === b.metric && a.room === b.room;

/** A row's parts, cut to its room: the lead (marker column and host columns), the load, the cells. */
function rowParts({ g, cols, agg, metric, room }: HeatRow): { lead: string; load: string; text: string; left: number; cells: HeatCells } {
  const cells = heatCells(g, cols.cells, agg, metric);
  const prefix = heatPrefix(g, cols);
  const lead = (' ' + prefix.slice(0, -5)).slice(0, room);
  const load = prefix.slice(-5).slice(0, room - lead.length);
  const left = room - lead.length - load.length;
  return { lead, load, text: cells.text.slice(0, left), left, cells };
}

/** One host's row (paintLine) and its width, kept per group: only a new sample or size repaints it. */
function heatLine(r: HeatRow): { line: string; width: number } {
  const hit = lineCache.get(r.g);
  if (hit && sameStyle(hit.row, r)) return hit;
  const line = flat(paintLine(r)); // joined into the grid
  const painted = { row: r, line, width: simpleWidest(line) };
  lineCache.set(r.g, painted);
  return painted;
}

const lineCache = new WeakMap<HostGroup, { row: HeatRow; line: string; width: number }>();

/**
 * One host's row as a painted string (paint.ts: what nested <Text>s would write). The cells are one
 * plain run (the glyph height is the shade; a colour per cell would be hundreds of style changes
 * a frame at 1,000 hosts). Cut to `room` columns here, so the rows can share one <Text> (one node
 * for the whole grid instead of eight per row).
 */
function paintLine(r: HeatRow): string {
  const { lead, load, text, left, cells } = rowParts(r);
  const line = lead + paint(load, { color: color(LEVEL_COLOR[levelOf(r.g.load)]) });
  if (!cells.values.length) return line + paint('no running domains'.slice(0, left), { dimColor: true });
  const rest = left - text.length;
  return line + text + (cells.perCell > 1 ? paint(` ${cells.perCell}/cell`.slice(0, rest), { dimColor: true }) : '');
}

/** What the grid shows: `count` rows of `groups` from `offset`, painted in `style`. */
interface GridKey {
  groups: readonly HostGroup[];
  offset: number;
  count: number;
  style: RowStyle;
}

/** The grid's text: the same string while it shows the same rows (a cursor move within the page, a fresh frame of the same sample). */
function gridText(k: GridKey): string {
  const last = lastGrid?.key;
  if (last && last.groups === k.groups && last.offset === k.offset && last.count === k.count && sameStyle(last.style, k.style)) return lastGrid!.text;
  const rows = k.groups.slice(k.offset, k.offset + k.count).map((g) => heatLine({ ...k.style, g }));
  lastGrid = { key: k, text: joinMeasured(rows) };
  return lastGrid.text;
}

let lastGrid: { key: GridKey; text: string } | null = null;

/** What the selection draws over row `y` of the grid: its marked lead, and the cursor cell. */
function SelectedRow({ r, y, col, focused }: { r: HeatRow; y: number; col: number; focused: boolean }): React.ReactElement {
  const { lead, load, text, cells } = rowParts(r);
  const marked = ((focused ? '▌' : '›') + lead.slice(1)).slice(0, lead.length);
  const at = col >= 0 ? cells.pos[col] : -1;
  return (
    <>
      {marked ? (
        <Box position="absolute" marginTop={y}>
          <Text>{paint(marked, { bold: true, inverse: focused })}</Text>
        </Box>
      ) : null}
      {at >= 0 && at < text.length ? (
        <Box position="absolute" marginTop={y} marginLeft={lead.length + load.length + at}>
          <Text>{paint(text[at], { inverse: true })}</Text>
        </Box>
      ) : null}
    </>
  );
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
  const shown = Math.max(0, Math.min(page, groups.length - cur.offset));
  const selCells = groups[cur.row] ? heatCells(groups[cur.row], cols.cells, heat.agg, heat.metric) : null;
  const style: RowStyle = { cols, agg: heat.agg, metric: heat.metric, room: width - 2 };
  const grid = gridText({ groups, offset: cur.offset, count: shown, style });
  const y = cur.row - cur.offset;
  const header = `${'HOST'.padEnd(cols.name)} ${'pCPU'.padStart(4)} ${'vCPU/p'.padStart(6)} ${'load'.padStart(4)} cells: one per vCPU, a blank between domains; ${heat.agg} of k vCPUs when a host does not fit`;
  const right = `${groups.length ? `${cur.offset + 1}–${cur.offset + shown} of ` : ''}${groups.length} hosts`;
  return (
    <Pane title={heatTitle(groups, heat.agg, heat.metric)} right={right} width={width} height={height} focused={focused}>
      <Text bold wrap="truncate">
        {trimPad(' ' + header)}
      </Text>
      <MemoText text={grid} />
      <Text wrap="truncate">{trimPad(' ' + cellInfo(groups[cur.row], selCells, cur.col, heat.agg))}</Text>
      <Text dimColor wrap="truncate">
        {trimPad(` ${HEAT_LEGEND} · w/P/b act on the cell's domain`)}
      </Text>
      {groups[cur.row] && y >= 0 && y < shown ? <SelectedRow r={{ ...style, g: groups[cur.row] }} y={1 + y} col={cur.col} focused={focused} /> : null}
    </Pane>
  );
});
