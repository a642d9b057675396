// The compute dialogs' view: the workload picker (the 7 profiles with what each does) or the text
// fields of the vcpupin / setmem forms, the command line it will run, and the reason when a field
// is wrong.
import { Text } from 'ink';
import React from 'react';
import { useUi } from '../../context';
import { fit, trimPad } from '../../format';
import type { WorkloadProfile } from '../../../engine/index';
import { shellEquivalent } from '../../palette';
import { color } from '../../theme';
import { Pane } from '../../widgets/Pane';
import { type FormField, WORKLOAD_NOTES, formCommand } from './forms';

function choiceLines(f: FormField & { kind: 'choice' }, rows: number, width: number): React.ReactNode[] {
  // A window of options around the selected one when the slot is short.
  const n = f.options.length;
  const from = Math.max(0, Math.min(f.index - Math.floor(rows / 2), n - rows));
  return f.options.slice(from, from + rows).map((o, k) => {
    const i = from + k;
    const sel = i === f.index;
    const note = WORKLOAD_NOTES[o as WorkloadProfile] ?? '';
    return (
      <Text key={o} wrap="truncate" inverse={sel} bold={sel}>
        {fit(`${sel ? '▸' : ' '} ${o.padEnd(9)} ${note}`, width)}
      </Text>
    );
  });
}

export function FormDialog({ width, height }: { width: number; height: number }) {
  const d = useUi((s) => s.dialog);
  if (d?.kind !== 'form') return null;
  const f = d.form;
  const inner = width - 2;
  const rows = Math.max(0, height - 2);
  const cmd = formCommand(f);
  const tail = 2; // the command line and the help line
  const body: React.ReactNode[] = [];
  f.fields.forEach((field, i) => {
    if (field.kind === 'choice') body.push(...choiceLines(field, Math.max(1, rows - tail - (f.error ? 1 : 0) - (f.fields.length - 1)), inner));
    else {
      const focus = i === f.focus;
      body.push(
        <Text key={field.label} wrap="truncate">
          <Text bold={focus}>{`${focus ? '▸' : ' '} ${field.label.padEnd(6)} `}</Text>
          <Text inverse={focus}>{`${field.value}${focus ? '█' : ''}`}</Text>
        </Text>,
      );
    }
  });
  return (
    <Pane title={`${f.title} ─ Enter runs · Esc cancels`} width={width} height={height} focused>
      {body}
      {f.error ? (
        <Text color={color('red')} wrap="truncate">
          {trimPad(`✗ ${f.error} — nothing changed`)}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {trimPad('line' in cmd ? `runs: ${shellEquivalent(cmd.line)}` : `runs: (fix the field) ${cmd.error}`)}
      </Text>
      <Text dimColor wrap="truncate">
        {trimPad(f.help)}
      </Text>
    </Pane>
  );
}
