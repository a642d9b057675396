// The TUI's CommandRunner (ui/runner.ts) over the command table: each line runs exactly as
// `virtyard virsh '<line>'` would, inside the world store's transaction when one is given,
// with stdout/stderr captured.

import type { Connection } from '../../engine/api/connection';
import type { CommandResult, CommandRunner } from '../../ui/runner';
import { completeLine } from './complete';
import { COMMANDS } from './index';
import { runScript } from './run';

export interface RunnerContext {
  conn: Connection;
  /** Wraps each command line (lock, reload, save); defaults to running it directly. */
  transact?: <T>(fn: () => T) => T;
  json?: boolean;
}

export function createRunner(ctx: RunnerContext): CommandRunner {
  const transact = ctx.transact ?? (<T>(fn: () => T) => fn());
  return {
    run(line: string): CommandResult {
      let stdout = '';
      let stderr = '';
      const io = { out: (s: string) => void (stdout += s), err: (s: string) => void (stderr += s) };
      let exitCode: number;
      try {
        exitCode = transact(() => runScript(line, ctx.conn, !!ctx.json, io));
      } catch (e) {
        // A failure of the store itself (lock timeout, unreadable state): never throw at the UI.
        stderr += `error: ${e instanceof Error ? e.message : String(e)}\n`;
        exitCode = 1;
      }
      return { stdout, stderr, exitCode };
    },
    complete: (line) => completeLine(line, ctx.conn),
    commands: () => COMMANDS.map((c) => ({ name: c.name, summary: c.summary })),
  };
}
