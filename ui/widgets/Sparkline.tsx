// A sparkline of recent samples (percent), newest on the right, in the colour of the latest level.
import { Text } from 'ink';
import React from 'react';
import { color } from '../theme';
import { LEVEL_COLOR, levelOf, sparkline } from './bars';

export interface SparklineProps {
  samples: ReadonlyArray<number | null>;
  width: number;
  /** Value of a full cell (default 100: percent). */
  max?: number;
}

export function Sparkline({ samples, width, max = 100 }: SparklineProps): React.ReactElement {
  let last = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const v = samples[i];
    if (v !== null) {
      last = v / max;
      break;
    }
  }
  return <Text color={color(LEVEL_COLOR[levelOf(last)])}>{sparkline(samples, width, max)}</Text>;
}
