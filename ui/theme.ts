// State colours and the NO_COLOR switch (https://no-color.org: any non-empty value disables colour).
import type { DomainState } from '../engine/index';

export const noColor = (): boolean => Boolean(process.env.NO_COLOR);

const STATE_COLOR: Record<DomainState, string | undefined> = {
  running: 'green',
  blocked: 'green',
  paused: 'yellow',
  'in shutdown': 'cyan',
  'shut off': undefined, // rendered dim
  crashed: 'red',
  pmsuspended: 'yellow',
};

export interface Style {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

export function stateStyle(state: DomainState): Style {
  if (state === 'shut off') return { dimColor: !noColor() };
  return noColor() ? {} : { color: STATE_COLOR[state] };
}

export function color(name: string): string | undefined {
  return noColor() ? undefined : name;
}

export const STATE_GLYPH: Record<DomainState, string> = {
  running: '●',
  blocked: '●',
  paused: '◐',
  'in shutdown': '◌',
  'shut off': '○',
  crashed: '✗',
  pmsuspended: '◐',
};
