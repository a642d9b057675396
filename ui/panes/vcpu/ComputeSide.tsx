// The main screen's compute pane beside the details: the selected domain's per-vCPU load, or,
// with a host selected in the tree, that host's summary (overcommit, memory, pCPU strip).
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { Pane } from '../../widgets/Pane';
import { HostSummary } from '../hostcpu/HostSummary';
import { computeReads } from './reads';
import { VcpuPane } from './VcpuPane';

/** Width of the compute pane for a terminal width (the details pane gets the rest). */
export function computeSideWidth(width: number): number {
  if (width >= 120) return Math.min(64, Math.round(width * 0.42));
  return Math.max(34, Math.round(width * 0.5));
}

export const ComputeSide = React.memo(function ComputeSide({ width, height }: { width: number; height: number }) {
  const c = useController();
  const version = useSnapshot((s) => s.version);
  useUi((s) => s); // the selection depends on focus, cursors, sort and filter
  const sel = c.selection();
  const reads = computeReads(c.store);
  if (sel.domain) {
    return <VcpuPane domain={sel.domain} host={sel.host} runnable={sel.host?.runnableVcpus ?? 0} reads={reads.vcpu(version, sel.domain)} width={width} height={height} />;
  }
  if (sel.host) {
    return <HostSummary host={sel.host} runnable={sel.host.runnableVcpus} map={reads.hostMap(version, sel.host.name)} width={width} height={height} />;
  }
  return (
    <Pane title="vCPU load" width={width} height={height}>
      <Text dimColor wrap="truncate">
        Nothing selected
      </Text>
    </Pane>
  );
});
