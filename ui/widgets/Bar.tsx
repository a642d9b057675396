// A load bar: busy cells in the level's colour, steal in magenta, free dim (glyphs differ too, so
// it reads under NO_COLOR). Painted as one string (see paint.ts), for use inside a line's <Text>.
import { Text } from 'ink';
import React from 'react';
import { color } from '../theme';
import { LEVEL_COLOR, barCells, levelOf } from './bars';
import { paint } from './paint';

export interface BarProps {
  /** Fractions of one pCPU, 0..1. */
  busy: number;
  steal?: number;
  width: number;
}

export function barText({ busy, steal = 0, width }: BarProps): string {
  const c = barCells(busy, steal, width);
  return paint(c.busy, { color: color(LEVEL_COLOR[levelOf(busy + steal)]) }) + paint(c.steal, { color: color('magenta') }) + paint(c.free, { dimColor: true });
}

export function Bar(props: BarProps): React.ReactElement {
  return <Text>{barText(props)}</Text>;
}
