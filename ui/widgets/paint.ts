// Text styled as Ink's <Text> styles it (the same chalk instance, the same order of attributes),
// as a string: a line of many coloured runs becomes one <Text> instead of one per run. Each
// <Text> is a component, a host node and a transform every frame; the vCPU pane's lines were
// ten of them each. Ink keeps SGR codes in text and composes the frame cell by cell, so a line
// painted here writes the same frame as nested <Text>s (test/ui/compute/colour.test.tsx).
import chalk from 'chalk';
import type { Style } from '../theme';

const named = chalk as unknown as Record<string, ((t: string) => string) | undefined>;

/** `style.color` is a named colour (green, magentaBright…), the only kind the panes use. */
export function paint(text: string, style: Style & { inverse?: boolean }): string {
  if (!text) return text;
  let s = text;
  if (style.dimColor) s = chalk.dim(s);
  const colour = style.color ? named[style.color] : undefined;
  if (colour) s = colour(s);
  if (style.bold) s = chalk.bold(s);
  if (style.inverse) s = chalk.inverse(s);
  return s;
}
