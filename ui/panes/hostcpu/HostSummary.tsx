// The host side pane of the main screen (a host selected in the tree): overcommit in the title,
// the memory bar, one shaded glyph per pCPU (groups of 8), and the key to the full host view.
import { Text } from 'ink';
import React from 'react';
import type { HostCpuMap, HostInfo } from '../../../engine/index';
import { color } from '../../theme';
import { LEVEL_COLOR, levelOf } from '../../widgets/bars';
import { Pane } from '../../widgets/Pane';
import { overcommitText } from '../vcpu/presenter';
import { MemoryBar } from './MemoryBar';
import { type PcpuCell, pcpuCells, pcpuStrip } from './presenter';

/** One strip line coloured in runs of equal level. */
function StripLine({ text, cells }: { text: string; cells: readonly PcpuCell[] }) {
  const runs: Array<{ t: string; c: string | undefined }> = [];
  let k = 0;
  for (const ch of text) {
    const c = ch === ' ' ? undefined : color(LEVEL_COLOR[levelOf(cells[k++]?.util ?? 0)]);
    const last = runs[runs.length - 1];
    if (last && (last.c === c || ch === ' ')) last.t += ch;
    else runs.push({ t: ch, c });
  }
  return (
    <Text wrap="truncate">
      {runs.map((r, i) => (
        <Text key={i} color={r.c}>
          {r.t}
        </Text>
      ))}
    </Text>
  );
}

/** "host kvm-01 (32 pCPUs, 6 vCPUs, 0.19×, fits)", compact when the pane is narrow. */
export function summaryTitle(host: HostInfo, runnable: number, width: number): string {
  const over = overcommitText(runnable, host.pcpus);
  const full = `host ${host.name} (${host.pcpus} pCPUs, ${runnable} vCPUs, ${over})`;
  return full.length <= width ? full : `${host.name}: ${host.pcpus}p · ${runnable} vCPUs · ${over.replace(', fits', '')}`;
}

export function HostSummary({ host, runnable, map, width, height }: { host: HostInfo; runnable: number; map: HostCpuMap | null; width: number; height: number }) {
  const inner = width - 2;
  const cells = map ? pcpuCells(map) : [];
  const strip = pcpuStrip(cells, inner);
  const room = Math.max(0, height - 2 - 2);
  const shown = strip.slice(0, room);
  let used = 0;
  const lines = shown.map((t, i) => {
    const n = t.replace(/ /g, '').length;
    const el = <StripLine key={i} text={t} cells={cells.slice(used, used + n)} />;
    used += n;
    return el;
  });
  return (
    <Pane title={summaryTitle(host, runnable, width - 4)} width={width} height={height}>
      <MemoryBar host={host} width={inner} compact />
      {lines}
      <Text dimColor wrap="truncate">
        {strip.length > shown.length ? `+${strip.length - shown.length} lines · ` : ''}H: pCPU grid, threads, history
      </Text>
    </Pane>
  );
}
