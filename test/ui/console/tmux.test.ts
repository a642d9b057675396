// End to end in a real terminal (tmux): the bundled CLI starts the TUI, we select a running Linux
// domain, press c, log in on its serial console (root / virtyard, the fixture's default login),
// run a command and see its output, scroll back with Shift+PgUp, detach with Ctrl+], quit with q
// and find the shell again (alternate screen left, terminal restored). Polls the pane until a
// condition holds or a generous deadline passes — waiting for a real process, not timing it.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';

const ROOT = resolve(__dirname, '../../..');
const SOCKET = `virtyard-console-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'vc');
const send = (...keys: string[]) => tmux('send-keys', '-t', 'vc', ...keys);

async function waitFor(what: string, ok: (pane: string) => boolean, ms = 15_000): Promise<string> {
  const end = Date.now() + ms;
  let pane = '';
  while (Date.now() < end) {
    pane = capture();
    if (ok(pane)) return pane;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; pane:\n${pane}`);
}

/**
 * `npm test` builds first. A lone run builds a missing bundle, and refuses a stale one rather than
 * rebuilding dist/ under another tmux test that may be starting the CLI at the same moment.
 */
function ensureBuilt(): void {
  const bundle = join(ROOT, 'dist/virtyard.js');
  if (!existsSync(bundle)) return void execSync('node esbuild.config.mjs', { cwd: ROOT });
  const sources = ['ui/panes/console/manager.ts', 'ui/panes/console/ConsoleScreen.tsx', 'ui/App.tsx'];
  const newest = Math.max(...sources.map((f) => statSync(join(ROOT, f)).mtimeMs));
  if (statSync(bundle).mtimeMs < newest) throw new Error('dist/virtyard.js is older than the console code: npm run build (npm test does it first)');
}

describe.skipIf(!hasTool('tmux'))('console in tmux', () => {
  let state = '';
  beforeAll(() => {
    ensureBuilt();
    state = mkdtempSync(join(tmpdir(), 'virtyard-console-tmux-'));
    tmux('new-session', '-d', '-s', 'vc', '-x', '120', '-y', '40', '-c', ROOT, 'env -u CI PS1="shell$ " bash --norc --noprofile');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  });

  it('c attaches to web-01, log in, uname -a, Shift+PgUp, Ctrl+] detaches, q quits to the shell', async () => {
    await waitFor('the shell prompt', (p) => p.includes('shell$'));
    send(`clear; node dist/virtyard.js --state ${state}`, 'Enter');
    await waitFor('the main screen', (p) => p.includes('DOMAINS') && p.includes('HOSTS'));
    send('/');
    send('-l', 'web-01');
    send('Enter');
    await waitFor('the filtered table', (p) => p.includes('/web-01'));
    send('c');
    await waitFor('the console with its Ctrl+] hint', (p) => p.includes('console: web-01 (ttyS0) ─ attached ─ Ctrl+] detach') && p.includes('web-01 login:'));
    send('-l', 'root');
    send('Enter');
    await waitFor('the password prompt', (p) => p.includes('Password:'));
    send('-l', 'virtyard');
    send('Enter');
    await waitFor('the shell prompt of the guest', (p) => /│root@web-01:~#\s*│/.test(p));
    send('-l', 'uname -a');
    send('Enter');
    // (the login's motd starts with the same uname line: wait for the command's own output)
    await waitFor('the command output', (p) => /root@web-01:~# uname -a\s*│\n│Linux web-01 6\.1\.0-27-amd64 .*x86_64/.test(p));
    // q, : and ? are typed into the guest while attached.
    send('-l', 'echo q:?');
    send('Enter');
    await waitFor('the echoed text', (p) => /│q:\?\s*│/.test(p));
    send('S-PPage');
    await waitFor('scrollback', (p) => /scrollback · \d+ lines? up/.test(p));
    send('Escape');
    await waitFor('live again', (p) => p.includes('─ attached ─'));
    send('C-]');
    await waitFor('the main screen again', (p) => p.includes('DOMAINS') && p.includes('detached from web-01'));
    send('q');
    const after = await waitFor('the shell again', (p) => !p.includes('DOMAINS') && /shell\$\s*$/m.test(p));
    expect(after).not.toContain('console: web-01');
    // The terminal is usable: the shell echoes and runs a command.
    send('-l', 'echo restored-$((6*7))');
    send('Enter');
    await waitFor('the shell working', (p) => p.includes('restored-42'));
  });
});
