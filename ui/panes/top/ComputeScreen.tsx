// A compute screen in the body (virt-top table, fleet heatmap or host view), with the dialog or
// the palette below it when one is open — as the main screen shows them in its details slot.
import { Box } from 'ink';
import React from 'react';
import { useUi } from '../../context';
import { DialogView, Palette } from '../../overlays/Overlays';
import { ErrorBoundary } from '../../widgets/ErrorBoundary';
import { HeatmapScreen } from '../heatmap/HeatmapScreen';
import { HostCpuScreen } from '../hostcpu/HostCpuScreen';
import { FormDialog } from '../vcpu/FormDialog';
import type { ScreenId } from './model';
import { TopScreen } from './TopScreen';

export function ComputeScreen({ screen, width, height }: { screen: Exclude<ScreenId, 'main'>; width: number; height: number }) {
  const dialog = useUi((s) => (s.dialog && s.dialog.kind !== 'filter' ? s.dialog.kind : null));
  const palette = useUi((s) => s.palette !== null);
  const overlay = dialog !== null || palette;
  const below = overlay ? Math.min(12, Math.max(6, height - 8)) : 0;
  const main = height - below;
  const Screen = screen === 'top' ? TopScreen : screen === 'heatmap' ? HeatmapScreen : HostCpuScreen;
  return (
    <Box flexDirection="column" height={height}>
      <ErrorBoundary name={screen}>
        <Screen width={width} height={main} />
      </ErrorBoundary>
      {below > 0 ? (
        <ErrorBoundary name="dialog">
          {dialog === 'form' ? <FormDialog width={width} height={below} /> : dialog ? <DialogView width={width} height={below} /> : <Palette width={width} height={below} />}
        </ErrorBoundary>
      ) : null}
    </Box>
  );
}
