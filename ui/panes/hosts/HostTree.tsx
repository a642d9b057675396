// The hosts tree pane: hosts (▾/▸ collapsible, "no VT-x" marked) with their domains; virtualized
// like the table (only the rows inside the window are rendered).
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { color, stateStyle } from '../../theme';
import { Pane } from '../../widgets/Pane';
import { treeLine } from './presenter';

export const HostTree = React.memo(function HostTree({ width, height }: { width: number; height: number }) {
  const c = useController();
  const hosts = useSnapshot((s) => s.hosts);
  const domains = useSnapshot((s) => s.domains);
  const collapsed = useUi((s) => s.collapsed);
  const focused = useUi((s) => s.focus === 'tree' && !s.dialog && !s.palette && !s.help);
  useUi((s) => s.tree);
  const rows = c.treeView(hosts, domains, collapsed);
  const visible = Math.max(0, height - 2);
  const cursor = c.treeCursor();
  const offset = c.treeOffset();
  const inner = width - 3;
  const lines = rows.slice(offset, offset + visible).map((row, k) => {
    const i = offset + k;
    const selected = i === cursor;
    const marker = selected ? (focused ? '▌' : '›') : ' ';
    const text = treeLine(row, inner);
    if (row.kind === 'host') {
      const warn = !row.host.cpu.hvm;
      return (
        <Text key={row.key} wrap="truncate" bold inverse={selected && focused} color={warn ? color('yellow') : undefined}>
          {marker + text}
        </Text>
      );
    }
    // Colour the glyph and state word (everything after the name).
    const split = text.search(/ [●◐◌○✗] /);
    return (
      <Text key={row.key} wrap="truncate" inverse={selected && focused} bold={selected}>
        {marker + (split > 0 ? text.slice(0, split) : text)}
        {split > 0 ? <Text {...stateStyle(row.domain.state)}>{text.slice(split)}</Text> : null}
      </Text>
    );
  });
  return (
    <Pane title="HOSTS" right={`${hosts.length}`} width={width} height={height} focused={focused}>
      {lines}
    </Pane>
  );
});
