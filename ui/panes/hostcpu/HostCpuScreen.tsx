// The host view: headline (hypervisor, topology, host CPU, vCPU overcommit), the memory bar, and
// the pCPU grid — per pCPU its utilisation bar, history sparkline and the vCPU threads that ran
// there in the last sample. Scrolls when the grid is taller than the screen.
import { Box, Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf } from '../../widgets/bars';
import { Pane } from '../../widgets/Pane';
import { Sparkline } from '../../widgets/Sparkline';
import { computeViews } from '../top/screens';
import { computeReads } from '../vcpu/reads';
import { MemoryBar } from './MemoryBar';
import { type GridLayout, type PcpuCell, gridLayout, gridLines, hostHeadline, pcpuCellParts, pcpuCells } from './presenter';

function Cell({ cell, g }: { cell: PcpuCell; g: GridLayout }) {
  const p = pcpuCellParts(cell, g);
  return (
    <Box width={g.cellWidth} flexShrink={0}>
      <Text wrap="truncate">
        <Text bold>{p.label}</Text>
        {' '}
        <Text color={color(LEVEL_COLOR[levelOf(cell.util)])}>{p.bar.busy}</Text>
        <Text dimColor>{p.bar.free}</Text>
        {' ' + p.pct + ' '}
        {p.spark ? (
          <>
            <Sparkline samples={cell.history} width={g.spark} />{' '}
          </>
        ) : null}
        <Text dimColor={!cell.threads.length}>{p.threads}</Text>
      </Text>
    </Box>
  );
}

export const HostCpuScreen = React.memo(function HostCpuScreen({ width, height }: { width: number; height: number }) {
  const c = useController();
  const version = useSnapshot((s) => s.version);
  useSnapshot((s) => s.hosts); // a host that changes or goes re-renders this
  const ui = useUi((s) => s.compute.host);
  const focused = useUi((s) => !s.dialog && !s.palette && !s.help);
  const inner = width - 2;
  const host = ui.name ? c.store.hostNamed(ui.name) : null;
  if (!host) {
    return (
      <Pane title="HOST" width={width} height={height} focused={focused}>
        <Text color={color('red')} wrap="truncate">{`host '${ui.name ?? ''}' is not in this world any more (Esc: back)`}</Text>
      </Pane>
    );
  }
  const reads = computeReads(c.store);
  const map = reads.hostMap(version, host.name);
  const cells = map ? pcpuCells(map) : [];
  const g = gridLayout(cells.length, inner);
  const lines = gridLines(cells, g.cols);
  const page = Math.max(1, height - 2 - 3);
  const v = computeViews(c).pages;
  v.host = page;
  v.hostLines = lines.length;
  const offset = Math.min(ui.offset, Math.max(0, lines.length - page));
  const shown = lines.slice(offset, offset + page);
  const right = lines.length > page ? `rows ${offset + 1}–${offset + shown.length} of ${lines.length}` : `${cells.length} pCPUs`;
  return (
    <Pane title={`HOST ${host.name} ─ pCPUs, overcommit, memory`} right={right} width={width} height={height} focused={focused}>
      <Text wrap="truncate">{trimPad(hostHeadline(host, host.runnableVcpus))}</Text>
      <MemoryBar host={host} width={inner} />
      <Text dimColor wrap="truncate">
        {trimPad(`pCPU, utilisation and history (last ${g.spark || 0} s); threads that ran there: domain/vCPU, emu = qemu's emulator thread`)}
      </Text>
      {shown.map((line, i) => (
        <Box key={i} flexDirection="row" height={1}>
          {line.map((cell, k) => (
            <React.Fragment key={cell.cpu}>
              {k > 0 ? <Box width={2} flexShrink={0} /> : null}
              <Cell cell={cell} g={g} />
            </React.Fragment>
          ))}
        </Box>
      ))}
    </Pane>
  );
});
