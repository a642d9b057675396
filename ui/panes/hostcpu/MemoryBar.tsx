// A host's memory bar: resident (█), committed but not resident (▒), free (░); the label says
// committed/resident/free/limit and the pressure (coloured: none green … critical red).
import { Text } from 'ink';
import React from 'react';
import type { HostInfo } from '../../../engine/index';
import { color } from '../../theme';
import { memoryModel } from './presenter';

const PRESSURE_COLOR: Record<string, string> = { none: 'green', moderate: 'yellow', high: 'red', critical: 'red' };

export function MemoryBar({ host, width, compact = false }: { host: HostInfo; width: number; compact?: boolean }) {
  const barWidth = compact ? Math.max(4, Math.min(20, width - 18)) : Math.max(8, Math.min(60, Math.floor(width * 0.3)));
  const m = memoryModel(host, barWidth);
  const c = color(PRESSURE_COLOR[m.pressure] ?? 'green');
  const pct = Math.round((100 * (host.memoryResidentKiB ?? host.memoryUsedKiB)) / Math.max(1, host.memoryKiB));
  return (
    <Text wrap="truncate">
      {'mem '}
      <Text color={c}>{m.bar.busy}</Text>
      <Text color={color('cyan')}>{m.bar.steal}</Text>
      <Text dimColor>{m.bar.free}</Text>
      {compact ? ` ${pct}% · ` : ' '}
      <Text color={c} bold={m.pressure !== 'none'}>
        {compact ? m.pressure : ''}
      </Text>
      {compact ? '' : m.text}
    </Text>
  );
}
