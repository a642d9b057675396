// THE command table: one list of commands for `virtyard virsh`, the TUI's palette and its keys.

import { QUERY_COMMANDS } from './domain-query';
import { LIFECYCLE_COMMANDS } from './domain-lifecycle';
import { RESOURCE_COMMANDS } from './domain-resources';
import { HOST_COMMANDS } from './host';
import { CONSOLE_COMMANDS } from './console';
import { SIM_COMMANDS } from './sim';
import { COMPUTE_COMMANDS } from './compute';
import { makeHelpCommand } from './help';
import type { CommandDef } from './types';

export const COMMANDS: CommandDef[] = [];

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

COMMANDS.push(
  ...QUERY_COMMANDS,
  ...LIFECYCLE_COMMANDS,
  ...RESOURCE_COMMANDS,
  ...CONSOLE_COMMANDS,
  ...HOST_COMMANDS,
  ...COMPUTE_COMMANDS,
  ...SIM_COMMANDS,
  makeHelpCommand(() => COMMANDS, findCommand),
);

export type { CommandDef, CommandContext, OptDef, ParsedArgs } from './types';
