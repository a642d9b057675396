// virsh console end to end: without a TTY it errors like virsh; in a real terminal (tmux) it
// attaches, shows the guest's prompt, logs in, runs a command, detaches with Ctrl+] and gives
// the shell back; the world (with the console's history) is saved on detach.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { ROOT, startShell, type TmuxShell } from '../../helpers/tmux';

const CLI = join(ROOT, 'dist/virtyard.js');

function virsh(state: string, ...args: string[]) {
  const r = spawnSync('node', [CLI, '--state', state, 'virsh', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('virsh console without a terminal', () => {
  let state = '';
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), 'virtyard-console-'));
  });
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('a running domain: no controlling TTY', () => {
    expect(virsh(state, 'console', 'web-01')).toEqual({ status: 1, out: '', err: 'error: Cannot run interactive console without a controlling TTY\n' });
  });
  it('a shut-off domain: not running (checked before the TTY, as virsh does)', () => {
    expect(virsh(state, 'console', 'cirros-01')).toEqual({ status: 1, out: '', err: 'error: The domain is not running\n' });
  });
  it('an unknown domain', () => {
    expect(virsh(state, 'console', 'nosuch').err).toBe("error: failed to get domain 'nosuch'\n");
  });
});

const lastLine = (pane: string) => pane.trimEnd().split('\n').pop() ?? '';

describe.skipIf(!hasTool('tmux'))('virsh console in tmux', () => {
  let state = '';
  let sh: TmuxShell;
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), 'virtyard-console-tmux-'));
    sh = startShell('cli-console', 100, 30);
  });
  afterAll(() => {
    sh.kill();
    rmSync(state, { recursive: true, force: true });
  });

  it('attach, log in, run a command, detach with Ctrl+]', async () => {
    await sh.waitFor('the shell prompt', (p) => p.includes('shell$'));
    sh.send(`clear; node dist/virtyard.js --state ${state} virsh console web-01`, 'Enter');
    await sh.waitFor('the banner and the login prompt', (p) => p.includes("Connected to domain 'web-01'") && p.includes('Escape character is ^]') && /web-01 login: ?$/m.test(p));
    sh.send('root', 'Enter');
    await sh.waitFor('the password prompt', (p) => /Password: ?$/m.test(p));
    sh.send('virtyard', 'Enter');
    await sh.waitFor('the guest shell', (p) => /root@web-01:~# ?$/m.test(p));
    sh.send('nproc; hostname', 'Enter'); // the guest shell has no ';': an unknown command
    sh.send('hostname', 'Enter');
    const pane = await sh.waitFor('hostname output', (p) => /root@web-01:~# hostname\nweb-01\nroot@web-01:~# ?$/m.test(p));
    expect(pane).toContain('-bash: nproc;: command not found');
    sh.send('C-]');
    await sh.waitFor('the shell prompt as the last line', (p) => /^shell\$ ?$/.test(lastLine(p)));
    sh.send('echo still-$((6*7))', 'Enter');
    await sh.waitFor('a working host terminal', (p) => p.includes('still-42'));
    // Saved on detach: a new attach replays the session, and the domain still runs.
    expect(virsh(state, 'domstate', 'web-01').out.trim()).toBe('running');
    // Clear the screen first and see it empty: the old attach's banner and prompt are still on it
    // and would satisfy the wait below before the new process had even started.
    sh.send('clear', 'Enter');
    await sh.waitFor('an empty screen', (p) => p.trim() === 'shell$');
    sh.send(`node dist/virtyard.js --state ${state} virsh console web-01`, 'Enter');
    await sh.waitFor('the previous session on screen', (p) => p.includes("Connected to domain 'web-01'") && /root@web-01:~# ?$/m.test(p));
    sh.send('C-]');
    await sh.waitFor('the shell again', (p) => /^shell\$ ?$/.test(lastLine(p)));
    // With the clock paused the guest cannot answer, and the banner says why.
    expect(virsh(state, 'clock', 'pause').status).toBe(0);
    sh.send('clear', 'Enter');
    await sh.waitFor('an empty screen', (p) => p.trim() === 'shell$');
    sh.send(`node dist/virtyard.js --state ${state} virsh console web-01`, 'Enter');
    await sh.waitFor('the paused-clock notice', (p) => p.includes("The world's clock is paused: the guest answers once it runs"));
    sh.send('C-]');
    await sh.waitFor('the shell once more', (p) => /^shell\$ ?$/.test(lastLine(p)));
  });
});
