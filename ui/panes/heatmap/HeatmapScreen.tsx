// The fleet heatmap: one line per host (virtualized: only the rows on screen are built), cells
// shaded by glyph height (the host's load coloured by level), the cell under the cursor inverse, and below
// the grid what that cell holds plus the legend.
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf, percentCell } from '../../widgets/bars';
import { Pane } from '../../widgets/Pane';
import { computeViews, heatCursor, heatGroups } from '../top/screens';
import { computeReads } from '../vcpu/reads';
import { HEAT_LEGEND, type HeatCells, type HostGroup, cellAt, heatCells, heatColumns, heatPrefix, heatTitle } from './presenter';

/**
 * A row's cells: one plain run (the glyph height is the shade; a colour per cell would cost a
 * Text node per colour change, hundreds per frame at 1,000 hosts), the cursor cell inverse.
 */
function Cells({ cells, cursor }: { cells: HeatCells; cursor: number }) {
  if (cursor < 0) return <>{cells.text}</>;
  const at = cells.pos[cursor];
  return (
    <>
      {cells.text.slice(0, at)}
      <Text inverse>{cells.text[at]}</Text>
      {cells.text.slice(at + 1)}
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
  const mx = (a: Float32Array) => a.reduce((m, x) => Math.max(m, x), 0);
  const what = at.count === 1 ? `${at.domain} vCPU ${at.vcpu}` : `${at.count} vCPUs from ${at.domain} vCPU ${at.vcpu} (cell = ${agg})`;
  return `${g.host} · ${what} · busy ${percentCell(at.count === 1 ? busy[0] : mx(busy)).trim()} · steal ${percentCell(at.count === 1 ? steal[0] : mx(steal)).trim()}`;
}

export const HeatmapScreen = React.memo(function HeatmapScreen({ width, height }: { width: number; height: number }) {
  const c = useController();
  const version = useSnapshot((s) => s.version);
  const domains = useSnapshot((s) => s.domains);
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
  const reads = computeReads(c.store);
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
        const i = cur.offset + k;
        const selected = i === cur.row;
        const cells = selected && selCells ? selCells : heatCells(g, cols.cells, heat.agg, heat.metric);
        const prefix = heatPrefix(g, reads.runnableVcpus(version, domains, g.host), cols);
        return (
          <Text key={g.host} wrap="truncate">
            <Text bold={selected} inverse={selected && focused}>
              {(selected ? (focused ? '▌' : '›') : ' ') + prefix.slice(0, -5)}
            </Text>
            <Text color={color(LEVEL_COLOR[levelOf(g.load)])}>{prefix.slice(-5)}</Text>
            {cells.values.length ? <Cells cells={cells} cursor={selected ? cur.col : -1} /> : <Text dimColor>no running domains</Text>}
            {cells.perCell > 1 ? <Text dimColor>{` ${cells.perCell}/cell`}</Text> : null}
          </Text>
        );
      })}
      <Text wrap="truncate">{trimPad(' ' + cellInfo(groups[cur.row], selCells, cur.col, heat.agg))}</Text>
      <Text dimColor wrap="truncate">
        {trimPad(` ${HEAT_LEGEND} · w/P/b act on the cell's domain`)}
      </Text>
    </Pane>
  );
});
