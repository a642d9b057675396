// The per-vCPU load pane of the selected domain: one bar per vCPU (busy, then steal), its
// sparkline, the steal share and the pinning; "+N more" when the pane is short.
import React from 'react';
import type { DomainInfo, HostInfo } from '../../../engine/index';
import { fit, trimPad } from '../../format';
import { joinMeasured, simpleWidest } from '../../ink/simple-text';
import { color } from '../../theme';
import { barText } from '../../widgets/Bar';
import { MemoText } from '../../widgets/MemoText';
import { paint } from '../../widgets/paint';
import { Pane } from '../../widgets/Pane';
import { sparklineText } from '../../widgets/Sparkline';
import { type VcpuLayout, type VcpuRow, moreText, vcpuLineParts, vcpuModel } from './presenter';
import type { VcpuReads } from './reads';

/** One vCPU as a single painted line (it fits the layout's width: vcpuLayout sizes it so). */
function vcpuLine(row: VcpuRow, layout: VcpuLayout): string {
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
  return line;
}

export interface VcpuPaneProps {
  domain: DomainInfo;
  host: HostInfo | null;
  runnable: number;
  reads: VcpuReads;
  width: number;
  height: number;
}

export function VcpuPane(props: VcpuPaneProps): React.ReactElement {
  const { title, text } = painted(props);
  return (
    <Pane title={title} width={props.width} height={props.height}>
      <MemoText text={text} />
    </Pane>
  );
}

// A domain's painted pane, kept with its reads (one per published sample and domain): moving the
// cursor back and forth repaints nothing until the next sample.
const paintedPanes = new WeakMap<VcpuReads, VcpuPaneProps & { title: string; text: string }>();

function painted(props: VcpuPaneProps): { title: string; text: string } {
  const { domain, host, runnable, reads, width, height } = props;
  const hit = paintedPanes.get(reads);
  if (hit && hit.domain === domain && hit.host === host && hit.runnable === runnable && hit.width === width && hit.height === height) return hit;
  const inner = width - 2;
  const m = vcpuModel(domain, host, runnable, reads, inner, Math.max(0, height - 2));
  const pane = { ...props, title: m.title, text: paneText(m, inner) };
  paintedPanes.set(reads, pane);
  return pane;
}

/**
 * The note, every vCPU's line and "+N more" in one <Text> (MemoText): a pane of 16 vCPUs is one node, not 16
 * (or 160), and moving between domains with and without a note changes no element. The note and
 * "+N more" are cut to the pane as wrap="truncate" cuts them. Each line is measured as it is
 * painted (joinMeasured): Ink need not scan the pane's text again.
 */
function paneText(m: ReturnType<typeof vcpuModel>, inner: number): string {
  const dim = (line: string) => paint(trimPad(fit(line, inner)), { dimColor: true });
  const lines = m.rows.map((r) => vcpuLine(r, m.layout));
  if (m.note) lines.unshift(dim(m.note));
  if (m.more > 0) lines.push(dim(moreText(m.more)));
  return joinMeasured(lines.map((line) => ({ line, width: simpleWidest(line) })));
}
