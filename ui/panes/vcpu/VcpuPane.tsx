// The per-vCPU load pane of the selected domain: one bar per vCPU (busy, then steal), its
// sparkline, the steal share and the pinning; "+N more" when the pane is short.
import { Text } from 'ink';
import React from 'react';
import type { DomainInfo, HostInfo } from '../../../engine/index';
import { trimPad } from '../../format';
import { color } from '../../theme';
import { barText } from '../../widgets/Bar';
import { paint } from '../../widgets/paint';
import { Pane } from '../../widgets/Pane';
import { sparklineText } from '../../widgets/Sparkline';
import { type VcpuLayout, type VcpuRow, moreText, vcpuLineParts, vcpuModel } from './presenter';
import type { VcpuReads } from './reads';

/** One vCPU as a single painted line: a pane of 16 vCPUs is 16 <Text>s, not 160. */
function VcpuLine({ row, layout }: { row: VcpuRow; layout: VcpuLayout }) {
  const p = vcpuLineParts(row, layout);
  const stolen = (row.steal ?? 0) >= 0.005;
  const line =
    p.label +
    ' ' +
    barText({ busy: row.busy ?? 0, steal: row.steal ?? 0, width: layout.bar }) +
    ' ' +
    p.pct +
    ' ' +
    (p.spark ? sparklineText({ samples: row.history, width: layout.spark }) + ' ' : '') +
    paint(p.steal, { color: stolen ? color('magenta') : undefined, dimColor: !stolen }) +
    (p.pin ? paint(' ' + p.pin.trimEnd(), { dimColor: !row.pinned, bold: row.pinned }) : '');
  return <Text wrap="truncate">{line}</Text>;
}

export interface VcpuPaneProps {
  domain: DomainInfo;
  host: HostInfo | null;
  runnable: number;
  reads: VcpuReads;
  width: number;
  height: number;
}

export function VcpuPane({ domain, host, runnable, reads, width, height }: VcpuPaneProps): React.ReactElement {
  const inner = width - 2;
  const m = vcpuModel(domain, host, runnable, reads, inner, Math.max(0, height - 2));
  return (
    <Pane title={m.title} width={width} height={height}>
      {m.note ? (
        <Text dimColor wrap="truncate">
          {trimPad(m.note)}
        </Text>
      ) : null}
      {m.rows.map((r) => (
        <VcpuLine key={r.vcpu} row={r} layout={m.layout} />
      ))}
      {m.more > 0 ? (
        <Text dimColor wrap="truncate">
          {moreText(m.more)}
        </Text>
      ) : null}
    </Pane>
  );
}
