// The shape of one entry in the command table shared by `virtyard virsh`, the TUI's `:`
// palette and its keys. Options follow virsh's model: boolean flags, and data options
// that take a value either as `--name VALUE` / `--name=VALUE` or, when positional, by position.

import type { Connection } from '../../engine/api/connection';

export type OptType =
  /** --flag */
  | 'bool'
  /** a string value */
  | 'string'
  /** an unsigned integer, parsed by the command (bad values are runtime errors, like virsh) */
  | 'number'
  /** a scaled integer such as 512M (help prints it as <number>) */
  | 'scaled';

export interface OptDef {
  name: string;
  type: OptType;
  help: string;
  /** Required options are positional in virsh and may be given without --name. */
  required?: boolean;
  /** May be filled by a bare word even though not required (help's <command>). */
  positional?: boolean;
  /** What completes this option's value. */
  complete?: 'domain' | 'command' | readonly string[];
}

export type CommandGroup = 'domain' | 'monitor' | 'host' | 'virsh' | 'virtyard';

export interface CommandDef {
  name: string;
  aliases?: string[];
  group: CommandGroup;
  /** One line, as virsh's `help` lists it. */
  summary: string;
  /** DESCRIPTION lines of `help <cmd>` (without indentation); omitted when empty. */
  description?: string[];
  options: OptDef[];
  /** Does not touch the world (help): runs without opening the state. */
  offline?: boolean;
  /**
   * Runs the command. Output goes through ctx.emit; failures are thrown as CommandError
   * (or VirError, which the dispatcher reports as a one-line error).
   */
  run(ctx: CommandContext, args: ParsedArgs): void;
}

/** Parsed option values: true for flags, the raw string for data options. */
export type ParsedArgs = Map<string, string | true>;

export interface CommandContext {
  conn: Connection;
  json: boolean;
  /**
   * Prints the command's result: `text` (virsh's exact output, without the blank line virsh's
   * shell adds after every command) or, in --json mode, `data` as one line of JSON.
   */
  emit(data: unknown, text: string): void;
}
