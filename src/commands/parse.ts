// Parses one command's words against its definition, with virsh's rules and messages
// (vshCommandParse): unknown commands and options, '=' forms, repeated options, positional
// data filling the first unset required option, and missing required options.

import type { CommandDef, OptDef, ParsedArgs } from './types';
import { CommandError, UsageError } from './errors';

export interface ParsedCommand {
  def: CommandDef;
  args: ParsedArgs;
}

export function parseCommand(words: string[], lookup: (name: string) => CommandDef | undefined): ParsedCommand {
  const [name, ...rest] = words;
  const def = lookup(name);
  if (!def) throw new UsageError(`unknown command: '${name}'`);
  const args: ParsedArgs = new Map();
  const positional = def.options.filter((o) => o.type !== 'bool' && (o.required || o.positional));
  let dataOnly = false;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!dataOnly && word === '--') {
      dataOnly = true;
      continue;
    }
    if (!dataOnly && word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const optName = eq >= 0 ? word.slice(2, eq) : word.slice(2);
      const opt = def.options.find((o) => o.name === optName);
      if (!opt) throw new UsageError(`command '${def.name}' doesn't support option --${optName}`);
      if (args.has(opt.name)) throw new UsageError(`option --${opt.name} already seen`);
      if (opt.type === 'bool') {
        if (eq >= 0) throw new UsageError(`invalid '=' after option --${opt.name}`);
        args.set(opt.name, true);
        continue;
      }
      let value: string;
      if (eq >= 0) value = word.slice(eq + 1);
      else if (i + 1 < rest.length) value = rest[++i];
      else throw new UsageError(`expected syntax: --${opt.name} <${typeWord(opt)}>`);
      args.set(opt.name, value);
      continue;
    }
    const slot = positional.find((o) => !args.has(o.name));
    if (!slot) throw new UsageError(`unexpected data '${word}'`);
    args.set(slot.name, word);
  }
  for (const opt of def.options) {
    if (opt.required && !args.has(opt.name)) {
      throw new UsageError(`command '${def.name}' requires <${opt.name}> option`);
    }
  }
  return { def, args };
}

/** How help and syntax errors name an option's value type. */
export function typeWord(opt: OptDef): string {
  return opt.type === 'number' || opt.type === 'scaled' ? 'number' : 'string';
}

/** Accessors used by command implementations. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.get(name);
  return typeof v === 'string' ? v : undefined;
}

/**
 * A string option's value as virsh's vshCommandOptStringReq reads it: an empty value is a
 * runtime error ("Failed to get option 'domain': Option argument is empty").
 */
export function strReq(args: ParsedArgs, name: string): string {
  const v = str(args, name) ?? '';
  if (v === '') throw CommandError.plain('VIR_ERR_INVALID_ARG', `Failed to get option '${name}': Option argument is empty`);
  return v;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.get(name) === true;
}
