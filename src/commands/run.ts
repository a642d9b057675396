// Runs virsh command lists against a Connection with virsh's plumbing: the whole list is parsed
// before anything runs (a syntax error rejects it all, exit 1); each command's output is
// followed by the blank line virsh's shell prints; errors are `error:` lines on stderr; the
// exit status is the last command's. In --json mode each command prints one JSON line on
// stdout, or one {"error": …} line on stderr, and no blank lines.

import type { Connection } from '../../engine/api/connection';
import { splitCommands, TokenizeError } from '../virsh/tokenize';
import { CommandError, toCommandError, UsageError } from './errors';
import { findCommand } from './index';
import { parseCommand, type ParsedCommand } from './parse';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A list of commands: a single string is split like virsh's command string ("list; dominfo x"),
 * an argv array of several words is one command (like `virsh dominfo x`).
 */
export function parseScript(input: string | string[]): ParsedCommand[] {
  let commands: string[][];
  if (typeof input === 'string') commands = tokenize(input);
  else if (input.length === 1) commands = tokenize(input[0]);
  else commands = input.length > 0 ? [input] : [];
  return commands.map((words) => parseCommand(words, findCommand));
}

function tokenize(s: string): string[][] {
  try {
    return splitCommands(s);
  } catch (e) {
    if (e instanceof TokenizeError) throw new UsageError(e.message);
    throw e;
  }
}

export function reportError(e: CommandError, json: boolean, io: Io): void {
  if (json) io.err(JSON.stringify(e.toJSON()) + '\n');
  else io.err(e.lines().map((l) => `error: ${l}\n`).join(''));
}

/** Runs parsed commands in order; returns the last one's exit status (0 for an empty list). */
export function runParsed(cmds: ParsedCommand[], conn: Connection, json: boolean, io: Io): number {
  let status = 0;
  for (const { def, args } of cmds) {
    const ctx = {
      conn,
      json,
      emit(data: unknown, text: string) {
        io.out(json ? JSON.stringify(data) + '\n' : text);
      },
    };
    try {
      def.run(ctx, args);
      status = 0;
    } catch (e) {
      const err = toCommandError(e);
      if (err.code === 'VIR_ERR_INTERNAL_ERROR' && !(e instanceof CommandError) && process.env.VIRTYARD_DEBUG === '1') {
        io.err(String((e as Error)?.stack ?? e) + '\n');
      }
      reportError(err, json, io);
      status = 1;
    }
    if (!json) io.out('\n');
  }
  return status;
}

/** Parses then runs; syntax errors are reported and nothing runs. */
export function runScript(input: string | string[], conn: Connection, json: boolean, io: Io): number {
  let cmds: ParsedCommand[];
  try {
    cmds = parseScript(input);
  } catch (e) {
    reportError(toCommandError(e), json, io);
    return 1;
  }
  return runParsed(cmds, conn, json, io);
}
