// A sparkline of recent samples (percent), newest on the right, in the colour of the latest level.
// Painted as one string (see paint.ts), for use inside a line's <Text>.
import { Text } from 'ink';
import React from 'react';
import { color } from '../theme';
import { LEVEL_COLOR, levelOf, sparkline } from './bars';
import { paint } from './paint';

export interface SparklineProps {
  samples: ReadonlyArray<number | null>;
  width: number;
  /** Value of a full cell (default 100: percent). */
  max?: number;
}

export function sparklineText({ samples, width, max = 100 }: SparklineProps): string {
  let last = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const v = samples[i];
    if (v !== null) {
      last = v / max;
      break;
    }
  }
  return paint(sparkline(samples, width, max), { color: color(LEVEL_COLOR[levelOf(last)]) });
}

export function Sparkline(props: SparklineProps): React.ReactElement {
  return <Text>{sparklineText(props)}</Text>;
}
