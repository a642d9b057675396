// The main screen: header, hosts tree + domain table, details (or a dialog / the palette in its
// slot), recent events, status line and key hints. ONE useInput for the whole app feeds the
// controller's router; panes only render.
import { Box, type Key, Text, useApp, useInput, useStdout } from 'ink';
import React, { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { ControllerProvider, useController, useUi } from './context';
import type { Controller } from './controller';
import { fit } from './format';
import { computeLayout } from './layout';
import { DialogView, Help, Palette } from './overlays/Overlays';
import { ConsoleScreen, useConsoleKeys } from './panes/console/ConsoleScreen';
import { EventLine, Footer, Header, StatusLine } from './panes/chrome/Chrome';
import { DetailsPane } from './panes/details/DetailsPane';
import { DomainTable } from './panes/domains/DomainTable';
import { HostTree } from './panes/hosts/HostTree';
import { ComputeScreen } from './panes/top/ComputeScreen';
import { ComputeSide, computeSideWidth } from './panes/vcpu/ComputeSide';
import { FormDialog } from './panes/vcpu/FormDialog';
import { ErrorBoundary } from './widgets/ErrorBoundary';

/**
 * Terminal size from stdout, re-read on 'resize' (Ink itself ignores resizes under CI=true).
 * An external store, so a resize re-lays out synchronously like every other update.
 */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const cache = useMemo(() => ({ key: '', size: { columns: 80, rows: 24 } }), [stdout]);
  const subscribe = useCallback(
    (onChange: () => void) => {
      stdout.on('resize', onChange);
      return () => {
        stdout.off('resize', onChange);
      };
    },
    [stdout],
  );
  return useSyncExternalStore(subscribe, () => {
    const columns = stdout.columns || 80;
    const rows = stdout.rows || 24;
    if (cache.key !== `${columns}x${rows}`) cache.size = { columns, rows };
    cache.key = `${columns}x${rows}`;
    return cache.size;
  });
}

function Screen() {
  const c = useController();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const help = useUi((s) => s.help !== null);
  const palette = useUi((s) => s.palette !== null);
  const dialog = useUi((s) => (s.dialog && s.dialog.kind !== 'filter' ? s.dialog.kind : null));
  const quit = useUi((s) => s.quit);
  const screen = useUi((s) => s.compute.screen);
  const consoleLayout = useUi((s) => s.console?.layout ?? null);

  useConsoleKeys(c);
  // One handler for the App's life: with a new closure each render, Ink's useInput would
  // unsubscribe and subscribe again every frame.
  const onKey = useCallback((input: string, key: Key) => c.handleKey(input, key), [c]);
  useInput(onKey);
  useEffect(() => {
    if (quit) exit();
  }, [quit, exit]);

  const L = computeLayout(columns, rows, palette || dialog !== null);
  // The controller pages and scrolls by what is visible.
  c.viewport = {
    table: Math.max(1, L.topHeight - 3),
    tree: Math.max(1, L.topHeight - 2),
    help: Math.max(1, L.bodyHeight - 2),
    output: Math.max(1, L.bottomHeight - 2),
  };
  c.consoles.fit(columns, rows);

  if (L.tooSmall) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        <Text wrap="truncate">{fit(`virtyard needs at least 40×11 (now ${columns}×${rows}); q quits`, L.width)}</Text>
      </Box>
    );
  }

  if (consoleLayout === 'full') {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        <ErrorBoundary name="console">
          <ConsoleScreen width={L.width} height={L.height} />
        </ErrorBoundary>
      </Box>
    );
  }

  let body: React.ReactNode;
  if (help) {
    body = <Help width={L.width} height={L.bodyHeight} />;
  } else if (consoleLayout) {
    body = (
      <ErrorBoundary name="console">
        <ConsoleScreen width={L.width} height={L.bodyHeight} />
      </ErrorBoundary>
    );
  } else if (screen !== 'main') {
    body = <ComputeScreen screen={screen} width={L.width} height={L.bodyHeight} />;
  } else {
    let bottom: React.ReactNode = null;
    if (L.bottomHeight > 0) {
      if (dialog === 'form') bottom = <FormDialog width={L.width} height={L.bottomHeight} />;
      else if (dialog) bottom = <DialogView width={L.width} height={L.bottomHeight} />;
      else if (palette) bottom = <Palette width={L.width} height={L.bottomHeight} />;
      else {
        // Details on the left, the selection's per-vCPU load (or host summary) on the right.
        const side = computeSideWidth(L.width);
        bottom = (
          <Box flexDirection="row" height={L.bottomHeight}>
            <DetailsPane width={L.width - side} height={L.bottomHeight} />
            <ErrorBoundary name="vcpu">
              <ComputeSide width={side} height={L.bottomHeight} />
            </ErrorBoundary>
          </Box>
        );
      }
    }
    body = (
      <>
        <Box flexDirection="row" height={L.topHeight}>
          <ErrorBoundary name="hosts">
            <HostTree width={L.treeWidth} height={L.topHeight} />
          </ErrorBoundary>
          <ErrorBoundary name="domains">
            <DomainTable width={L.tableWidth} height={L.topHeight} />
          </ErrorBoundary>
        </Box>
        {bottom && <ErrorBoundary name="details">{bottom}</ErrorBoundary>}
      </>
    );
  }
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <Header width={L.width} />
      {body}
      <ErrorBoundary name="events">
        <EventLine width={L.width} />
      </ErrorBoundary>
      <StatusLine width={L.width} />
      <Footer width={L.width} />
    </Box>
  );
}

export function App({ controller }: { controller: Controller }) {
  return (
    <ControllerProvider controller={controller}>
      <Screen />
    </ControllerProvider>
  );
}
