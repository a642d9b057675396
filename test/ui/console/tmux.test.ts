// End to end in a real terminal (tmux): the bundled CLI starts the TUI, we select a running Linux
// domain, press c, log in on its serial console (root / virtyard, the fixture's default login),
// run a command and see its output, scroll back with Shift+PgUp, detach with Ctrl+], quit with q
// and find the shell again (alternate screen left, terminal restored). Polls the pane until a
// condition holds or a generous deadline passes — waiting for a real process, not timing it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { startShell, type TmuxShell } from '../../helpers/tmux';

describe.skipIf(!hasTool('tmux'))('console in tmux', () => {
  let state = '';
  let sh: TmuxShell;
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), 'virtyard-console-tmux-'));
    sh = startShell('ui-console', 120, 40);
  });
  afterAll(() => {
    sh.kill();
    rmSync(state, { recursive: true, force: true });
  });

  it('c attaches to web-01, log in, uname -a, Shift+PgUp, Ctrl+] detaches, q quits to the shell', async () => {
    await sh.waitFor('the shell prompt', (p) => p.includes('shell$'));
    sh.send(`clear; node dist/virtyard.js --state ${state}`, 'Enter');
    await sh.waitFor('the main screen', (p) => p.includes('DOMAINS') && p.includes('HOSTS'));
    sh.send('/');
    sh.send('-l', 'web-01');
    sh.send('Enter');
    await sh.waitFor('the filtered table', (p) => p.includes('/web-01'));
    sh.send('c');
    await sh.waitFor('the console with its Ctrl+] hint', (p) => p.includes('console: web-01 (ttyS0) ─ attached ─ Ctrl+] detach') && p.includes('web-01 login:'));
    sh.send('-l', 'root');
    sh.send('Enter');
    await sh.waitFor('the password prompt', (p) => p.includes('Password:'));
    sh.send('-l', 'virtyard');
    sh.send('Enter');
    await sh.waitFor('the shell prompt of the guest', (p) => /│root@web-01:~#\s*│/.test(p));
    sh.send('-l', 'uname -a');
    sh.send('Enter');
    // (the login's motd starts with the same uname line: wait for the command's own output)
    await sh.waitFor('the command output', (p) => /root@web-01:~# uname -a\s*│\n│Linux web-01 6\.1\.0-27-amd64 .*x86_64/.test(p));
    // q, : and ? are typed into the guest while attached.
    sh.send('-l', 'echo q:?');
    sh.send('Enter');
    await sh.waitFor('the echoed text', (p) => /│q:\?\s*│/.test(p));
    sh.send('S-PPage');
    await sh.waitFor('scrollback', (p) => /scrollback · \d+ lines? up/.test(p));
    sh.send('Escape');
    await sh.waitFor('live again', (p) => p.includes('─ attached ─'));
    sh.send('C-]');
    await sh.waitFor('the main screen again', (p) => p.includes('DOMAINS') && p.includes('detached from web-01'));
    sh.send('q');
    const after = await sh.waitFor('the shell again', (p) => !p.includes('DOMAINS') && /shell\$\s*$/m.test(p));
    expect(after).not.toContain('console: web-01');
    // The terminal is usable: the shell echoes and runs a command.
    sh.send('-l', 'echo restored-$((6*7))');
    sh.send('Enter');
    await sh.waitFor('the shell working', (p) => p.includes('restored-42'));
  });
});
