// Modal surfaces: the full-screen help, the `:` palette with completions, confirmation dialogs
// (y/n and typed-name) and the scrollable output of a palette command.
import { Text } from 'ink';
import React from 'react';
import { useController, useUi } from '../context';
import { fit } from '../format';
import { helpLines } from '../keys/help';
import { shellEquivalent } from '../palette';
import { color } from '../theme';
import { Pane } from '../widgets/Pane';

interface Size {
  width: number;
  height: number;
}

export function Help({ width, height }: Size) {
  const offset = useUi((s) => s.help?.offset ?? 0);
  const lines = helpLines();
  const rows = Math.max(0, height - 2);
  const inner = width - 2;
  return (
    <Pane title="HELP ─ keys (generated from the keymap)" right={`${Math.min(lines.length, offset + rows)} of ${lines.length}`} width={width} height={height} focused>
      {lines.slice(offset, offset + rows).map((l, i) => (
        <Text key={i} bold={l.heading} color={l.heading ? color('cyan') : undefined} wrap="truncate">
          {fit(l.text, inner)}
        </Text>
      ))}
    </Pane>
  );
}

export function Palette({ width, height }: Size) {
  const c = useController();
  const p = useUi((s) => s.palette);
  if (!p) return null;
  const inner = width - 2;
  const rows = Math.max(0, height - 3);
  const names = c.runner.commands();
  const cands = p.text.trim() || p.completions.length ? p.completions : names.map((n) => n.name);
  // Completion candidates packed into lines, as a shell lists them.
  const packed: string[] = [];
  const perLine: number[] = [];
  let line = '';
  let n = 0;
  for (const w of cands) {
    const cell = w.padEnd(Math.min(24, Math.max(12, w.length + 2)));
    if (line && (line + cell).length > inner - 1) {
      packed.push(line);
      perLine.push(n);
      line = '';
      n = 0;
    }
    line += cell;
    n++;
  }
  if (line) {
    packed.push(line);
    perLine.push(n);
  }
  const shown = packed.slice(0, rows);
  const hidden = cands.length - perLine.slice(0, rows).reduce((a, b) => a + b, 0);
  const more = hidden > 0 ? ` (+${hidden} more)` : '';
  return (
    <Pane title={`: command ─ Tab completes · ↑/↓ history · Enter runs · Esc closes${more}`} width={width} height={height} focused>
      <Text wrap="truncate">{fit(`: ${p.text}█`, inner)}</Text>
      {shown.map((l, i) => (
        <Text key={i} dimColor wrap="truncate">
          {fit(' ' + l, inner)}
        </Text>
      ))}
    </Pane>
  );
}

export function DialogView({ width, height }: Size) {
  const d = useUi((s) => s.dialog);
  if (!d || d.kind === 'filter' || d.kind === 'form') return null;
  const inner = width - 2;
  if (d.kind === 'output') {
    const rows = Math.max(0, height - 2);
    const title = `${shellEquivalent(d.title)} ─ Esc closes`;
    return (
      <Pane title={title} right={`${Math.min(d.lines.length, d.offset + rows)} of ${d.lines.length}`} width={width} height={height} focused>
        {d.lines.slice(d.offset, d.offset + rows).map((l, i) => (
          <Text key={i} color={l.error ? color('red') : undefined} wrap="truncate">
            {fit(l.text, inner)}
          </Text>
        ))}
      </Pane>
    );
  }
  const cmd = `runs: ${shellEquivalent(d.command)}`;
  const prompt = d.kind === 'confirm' ? 'y = yes, n / Esc = cancel' : `> ${d.text}█   (Enter confirms, Esc cancels)`;
  return (
    <Pane title={`! ${d.title}`} width={width} height={height} focused>
      <Text color={color('yellow')} bold wrap="truncate">
        {fit(d.message, inner)}
      </Text>
      <Text dimColor wrap="truncate">
        {fit(cmd, inner)}
      </Text>
      <Text wrap="truncate">{fit(prompt, inner)}</Text>
    </Pane>
  );
}
