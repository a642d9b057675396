// The compute screens' UI state (part of UiState): which screen shows, and each screen's cursor,
// scroll, sort and mode. Plain data; the actions in ./screens.ts replace it.
import type { Agg, Metric } from '../heatmap/presenter';
import type { TopSort } from './presenter';

export type ScreenId = 'main' | 'top' | 'heatmap' | 'hostcpu';

export interface ComputeUi {
  screen: ScreenId;
  top: { cursor: number; offset: number; key: string | null; sort: TopSort };
  heat: { row: number; col: number; offset: number; agg: Agg; metric: Metric };
  host: { name: string | null; offset: number };
}

export function initialComputeUi(): ComputeUi {
  return {
    screen: 'main',
    top: { cursor: 0, offset: 0, key: null, sort: { key: 'cpu', desc: true } },
    heat: { row: 0, col: 0, offset: 0, agg: 'max', metric: 'busy' },
    host: { name: null, offset: 0 },
  };
}

