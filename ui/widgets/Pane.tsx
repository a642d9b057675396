// A bordered pane with its title in the top border ("╭ HOSTS ────╮"). Exactly `height` lines
// tall and `width` wide; the focused pane's border is bright (heavy when NO_COLOR is set).
import { Box, Text } from 'ink';
import React from 'react';
import { ruleWithTitle } from '../format';
import { color, noColor } from '../theme';

export interface PaneProps {
  title: string;
  width: number;
  height: number;
  focused?: boolean;
  /** Right-aligned text in the top border (e.g. "9 of 9"). */
  right?: string;
  children?: React.ReactNode;
}

export function Pane({ title, width, height, focused = false, right, children }: PaneProps): React.ReactElement {
  const heavy = focused && noColor();
  const [tl, tr, h] = heavy ? ['┏', '┓', '━'] : ['╭', '╮', '─'];
  let top = ruleWithTitle(tl, title, tr, width, h);
  if (right && width > title.length + right.length + 8) {
    const r = ` ${right} `;
    top = top.slice(0, width - 2 - r.length) + r + h + tr;
  }
  const borderColor = color(focused ? 'cyanBright' : 'gray');
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text color={borderColor} bold={focused} wrap="truncate">
        {top}
      </Text>
      <Box
        flexDirection="column"
        width={width}
        height={height - 1}
        borderStyle={heavy ? 'bold' : 'round'}
        borderTop={false}
        borderColor={borderColor}
      >
        {children}
      </Box>
    </Box>
  );
}

/** A line of exactly the pane's inner width. */
export function Line({ children, ...style }: { children: React.ReactNode } & React.ComponentProps<typeof Text>): React.ReactElement {
  return (
    <Text wrap="truncate" {...style}>
      {children}
    </Text>
  );
}
