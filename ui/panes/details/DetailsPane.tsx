// Details pane: overview and devices side by side when wide, stacked when narrow. Lines carry no
// trailing padding (the pane is blank there anyway, and Ink tokenizes every space it is given).
import { Box, Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { fit, trimPad } from '../../format';
import { Pane } from '../../widgets/Pane';
import { type Details, detailText, domainDetails, hostDetails } from './presenter';

export const DetailsPane = React.memo(function DetailsPane({ width, height }: { width: number; height: number }) {
  const c = useController();
  useSnapshot((s) => s.version);
  useUi((s) => s); // the selection depends on focus, cursors, sort and filter
  const snap = c.store.getSnapshot();
  const sel = c.selection();
  let details: Details | null = null;
  if (sel.domain) details = domainDetails(sel.domain, sel.host, snap.clock.now, snap.samples);
  else if (sel.host) details = hostDetails(sel.host);
  const inner = width - 2;
  const rows = Math.max(0, height - 2);
  if (!details) {
    return (
      <Pane title="DETAILS" width={width} height={height}>
        <Text dimColor wrap="truncate">
          {trimPad(fit('Nothing selected', inner))}
        </Text>
      </Pane>
    );
  }
  const wide = inner >= 120;
  if (!wide) {
    const lines = [...details.overview, ...details.devices].slice(0, rows);
    return (
      <Pane title={details.title} width={width} height={height}>
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {trimPad(fit(detailText(l), inner))}
          </Text>
        ))}
      </Pane>
    );
  }
  const leftW = Math.floor(inner / 2) - 1;
  const rightW = inner - leftW - 2;
  const col = (lines: typeof details.overview, w: number) =>
    lines.slice(0, rows).map((l, i) => (
      <Text key={i} wrap="truncate">
        {trimPad(fit(detailText(l), w))}
      </Text>
    ));
  return (
    <Pane title={details.title} width={width} height={height}>
      <Box flexDirection="row" height={rows}>
        <Box flexDirection="column" width={leftW}>
          {col(details.overview, leftW)}
        </Box>
        <Box width={2} />
        <Box flexDirection="column" width={rightW}>
          {col(details.devices, rightW)}
        </Box>
      </Box>
    </Pane>
  );
});
