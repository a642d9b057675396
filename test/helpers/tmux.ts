// A shell in a private tmux server, for end-to-end tests in a real terminal. Tests poll the pane
// until a condition holds or a generous deadline passes: they wait for a real process, they do
// not time it. dist/ is built once by the global setup (test/cli/global-build.ts), never here.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface TmuxShell {
  send(...keys: string[]): void;
  capture(): string;
  waitFor(what: string, ok: (pane: string) => boolean, ms?: number): Promise<string>;
  kill(): void;
}

/** Starts `bash` with the prompt "shell$ " in the project root, CI unset so Ink renders interactively. */
export function startShell(name: string, cols: number, rows: number): TmuxShell {
  const socket = `virtyard-${name}-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'vy', '-x', String(cols), '-y', String(rows), '-c', ROOT, 'env -u CI PS1="shell$ " bash --norc --noprofile');
  const capture = () => tmux('capture-pane', '-p', '-t', 'vy');
  return {
    send: (...keys) => void tmux('send-keys', '-t', 'vy', ...keys),
    capture,
    async waitFor(what, ok, ms = 30_000) {
      const end = Date.now() + ms;
      let pane = '';
      while (Date.now() < end) {
        pane = capture();
        if (ok(pane)) return pane;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; pane:\n${pane}`);
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
