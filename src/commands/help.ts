// `help`, `help <command>` and `help <group>` in virsh's layouts (vshCmdGrpHelp, vshCmddefHelp).

import { CommandError } from './errors';
import { str, typeWord } from './parse';
import type { CommandDef, CommandGroup, OptDef } from './types';

export const GROUPS: Array<{ id: CommandGroup; title: string }> = [
  { id: 'domain', title: 'Domain Management' },
  { id: 'monitor', title: 'Domain Monitoring' },
  { id: 'host', title: 'Host and Hypervisor' },
  { id: 'virsh', title: 'Virsh itself' },
  { id: 'virtyard', title: 'virtyard additions' },
];

function groupText(title: string, id: string, cmds: CommandDef[]): string {
  const lines = cmds
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => `    ${c.name.padEnd(30)} ${c.summary}\n`);
  return ` ${title} (help keyword '${id}'):\n${lines.join('')}\n`;
}

function optionLabel(o: OptDef): string {
  if (o.type === 'bool') return `--${o.name}`;
  if (o.required) return `[--${o.name}] <${typeWord(o)}>`;
  return `--${o.name} <${typeWord(o)}>`;
}

function synopsisPart(o: OptDef): string {
  if (o.type === 'bool') return `[--${o.name}]`;
  if (o.required) return `<${o.name}>`;
  return `[--${o.name} <${typeWord(o)}>]`;
}

export function commandHelp(def: CommandDef): string {
  let text = `  NAME\n    ${def.name} - ${def.summary}\n\n`;
  text += `  SYNOPSIS\n    ${[def.name, ...def.options.map(synopsisPart)].join(' ')}\n\n`;
  if (def.description?.length) text += `  DESCRIPTION\n${def.description.map((l) => `    ${l}\n`).join('')}\n`;
  if (def.options.length) {
    text += `  OPTIONS\n${def.options.map((o) => `    ${optionLabel(o).padEnd(15)}  ${o.help}\n`).join('')}\n`;
  }
  return text;
}

export function makeHelpCommand(all: () => CommandDef[], find: (name: string) => CommandDef | undefined): CommandDef {
  return {
    name: 'help',
    group: 'virsh',
    summary: 'print help',
    description: ['Prints global help, command specific help, or help for a', 'group of related commands'],
    options: [
      {
        name: 'command',
        type: 'string',
        positional: true,
        help: 'Prints global help, command specific help, or help for a group of related commands',
        complete: 'command',
      },
    ],
    offline: true,
    run(ctx, args) {
      const name = str(args, 'command');
      const cmds = all();
      if (name === undefined) {
        const text = 'Grouped commands:\n\n' + GROUPS.map((g) => groupText(g.title, g.id, cmds.filter((c) => c.group === g.id))).join('');
        ctx.emit({ groups: GROUPS.map((g) => ({ ...g, commands: cmds.filter((c) => c.group === g.id).map((c) => ({ name: c.name, summary: c.summary })) })) }, text);
        return;
      }
      const def = find(name);
      if (def) {
        ctx.emit(
          {
            name: def.name,
            aliases: def.aliases ?? [],
            summary: def.summary,
            synopsis: [def.name, ...def.options.map(synopsisPart)].join(' '),
            description: def.description ?? [],
            options: def.options.map((o) => ({ name: o.name, type: o.type, required: !!o.required, help: o.help })),
          },
          commandHelp(def),
        );
        return;
      }
      const group = GROUPS.find((g) => g.id === name);
      if (group) {
        const members = cmds.filter((c) => c.group === group.id);
        ctx.emit({ groups: [{ ...group, commands: members.map((c) => ({ name: c.name, summary: c.summary })) }] }, groupText(group.title, group.id, members));
        return;
      }
      throw CommandError.plain('VIR_ERR_INVALID_ARG', `command or command group '${name}' doesn't exist`);
    },
  };
}
