// A load bar: busy cells in the level's colour, steal in magenta, free dim (glyphs differ too, so
// it reads under NO_COLOR). One <Text> with at most three nested runs.
import { Text } from 'ink';
import React from 'react';
import { color } from '../theme';
import { LEVEL_COLOR, barCells, levelOf } from './bars';

export interface BarProps {
  /** Fractions of one pCPU, 0..1. */
  busy: number;
  steal?: number;
  width: number;
}

export function Bar({ busy, steal = 0, width }: BarProps): React.ReactElement {
  const c = barCells(busy, steal, width);
  return (
    <Text>
      <Text color={color(LEVEL_COLOR[levelOf(busy + steal)])}>{c.busy}</Text>
      {c.steal ? <Text color={color('magenta')}>{c.steal}</Text> : null}
      <Text dimColor>{c.free}</Text>
    </Text>
  );
}
