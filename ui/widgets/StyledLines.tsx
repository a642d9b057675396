// Styled terminal lines (a console's screen) as Ink Text: each run's colours and attributes become
// Text props, so the only escape sequences that reach the host terminal are Ink's own SGR codes.
// Run text is plain by the engine's contract; control characters are still blanked here so a
// broken producer can never move the host's cursor. Marks overlay search hits and the cursor.
import { Text } from 'ink';
import React from 'react';
import type { StyledLine, StyledRun, TermColor } from '../../engine/index';
import { noColor } from '../theme';

const NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

/** A terminal colour as an Ink colour (undefined: the default, or NO_COLOR). */
export function inkColor(c: TermColor | undefined): string | undefined {
  if (!c || c.kind === 'default' || noColor()) return undefined;
  if (c.kind === 'palette') return c.index < 16 ? NAMES[c.index] : `ansi256(${c.index})`;
  return `#${(c.rgb & 0xffffff).toString(16).padStart(6, '0')}`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A highlighted span of one line: search hits and the cursor cell. */
export interface Mark {
  row: number;
  col: number;
  length: number;
  kind: 'match' | 'current' | 'cursor';
}

const MARK_STYLE: Record<Mark['kind'], Partial<StyledRun>> = {
  match: { bg: { kind: 'palette', index: 3 }, fg: { kind: 'palette', index: 0 } },
  current: { bg: { kind: 'palette', index: 11 }, fg: { kind: 'palette', index: 0 }, bold: true },
  cursor: { inverse: true },
};

/** The line's runs with marks applied (splitting runs at their edges; padding past the end). */
export function markRuns(line: StyledLine, marks: Mark[]): StyledRun[] {
  if (!marks.length) return line.runs;
  const cells: StyledRun[] = [];
  for (const r of line.runs) for (const ch of r.text) cells.push({ ...r, text: ch });
  for (const m of marks) {
    while (cells.length < m.col + m.length) cells.push({ text: ' ' });
    for (let i = m.col; i < m.col + m.length; i++) {
      const style = MARK_STYLE[m.kind];
      // NO_COLOR: hits are inverse instead of coloured.
      cells[i] = noColor() && m.kind !== 'cursor' ? { ...cells[i], inverse: !cells[i].inverse, bold: m.kind === 'current' } : { ...cells[i], ...style };
    }
  }
  const out: StyledRun[] = [];
  for (const c of cells) {
    const last = out[out.length - 1];
    if (last && sameStyle(last, c)) last.text += c.text;
    else out.push({ ...c });
  }
  return out;
}

function sameStyle(a: StyledRun, b: StyledRun): boolean {
  return (
    JSON.stringify(a.fg) === JSON.stringify(b.fg) && JSON.stringify(a.bg) === JSON.stringify(b.bg) &&
    !!a.bold === !!b.bold && !!a.dim === !!b.dim && !!a.italic === !!b.italic && !!a.underline === !!b.underline && !!a.inverse === !!b.inverse
  );
}

function Run({ run }: { run: StyledRun }): React.ReactElement {
  return (
    <Text
      color={inkColor(run.fg)}
      backgroundColor={inkColor(run.bg)}
      bold={run.bold}
      dimColor={run.dim}
      italic={run.italic}
      underline={run.underline}
      inverse={run.inverse}
    >
      {run.text.replace(CONTROL, ' ')}
    </Text>
  );
}

export interface StyledLinesProps {
  lines: StyledLine[];
  /** Exactly this many rows are drawn (blank rows pad a short screen). */
  height: number;
  marks?: Mark[];
  dim?: boolean;
}

export function StyledLines({ lines, height, marks = [], dim = false }: StyledLinesProps): React.ReactElement {
  const rows: React.ReactElement[] = [];
  for (let y = 0; y < height; y++) {
    const line = lines[y] ?? { runs: [] };
    const runs = markRuns(line, marks.filter((m) => m.row === y));
    rows.push(
      <Text key={y} wrap="truncate" dimColor={dim}>
        {runs.length ? runs.map((r, i) => <Run key={i} run={r} />) : ' '}
      </Text>,
    );
  }
  return <>{rows}</>;
}
