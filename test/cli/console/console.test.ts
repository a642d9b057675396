// virsh console end to end: without a TTY it errors like virsh; in a real terminal (tmux) it
// attaches, shows the guest's prompt, logs in, runs a command, detaches with Ctrl+] and gives
// the shell back; the world (with the console's history) is saved on detach.
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/virtyard.js');

beforeAll(() => {
  if (!existsSync(CLI)) execSync('node esbuild.config.mjs', { cwd: ROOT });
});

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

const SOCKET = `virtyard-console-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'vc');
const send = (...keys: string[]) => tmux('send-keys', '-t', 'vc', ...keys);

const lastLine = (pane: string) => pane.trimEnd().split('\n').pop() ?? '';

async function waitFor(what: string, ok: (pane: string) => boolean, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let pane = '';
  while (Date.now() < end) {
    pane = capture();
    if (ok(pane)) return pane;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; pane:\n${pane}`);
}

describe.skipIf(!hasTool('tmux'))('virsh console in tmux', () => {
  let state = '';
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), 'virtyard-console-tmux-'));
    tmux('new-session', '-d', '-s', 'vc', '-x', '100', '-y', '30', '-c', ROOT, 'env -u CI PS1="shell$ " bash --norc --noprofile');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  });

  it('attach, log in, run a command, detach with Ctrl+]', async () => {
    await waitFor('the shell prompt', (p) => p.includes('shell$'));
    send(`clear; node dist/virtyard.js --state ${state} virsh console web-01`, 'Enter');
    await waitFor('the banner and the login prompt', (p) => p.includes("Connected to domain 'web-01'") && p.includes('Escape character is ^]') && /web-01 login: ?$/m.test(p));
    send('root', 'Enter');
    await waitFor('the password prompt', (p) => /Password: ?$/m.test(p));
    send('virtyard', 'Enter');
    await waitFor('the guest shell', (p) => /root@web-01:~# ?$/m.test(p));
    send('nproc; hostname', 'Enter'); // the guest shell has no ';': an unknown command
    send('hostname', 'Enter');
    const pane = await waitFor('hostname output', (p) => /root@web-01:~# hostname\nweb-01\nroot@web-01:~# ?$/m.test(p));
    expect(pane).toContain('-bash: nproc;: command not found');
    send('C-]');
    await waitFor('the shell prompt as the last line', (p) => /^shell\$ ?$/.test(lastLine(p)));
    send('echo still-$((6*7))', 'Enter');
    await waitFor('a working host terminal', (p) => p.includes('still-42'));
    // Saved on detach: a new attach replays the session, and the domain still runs.
    expect(virsh(state, 'domstate', 'web-01').out.trim()).toBe('running');
    // Clear the screen first and see it empty: the old attach's banner and prompt are still on it
    // and would satisfy the wait below before the new process had even started.
    send('clear', 'Enter');
    await waitFor('an empty screen', (p) => p.trim() === 'shell$');
    send(`node dist/virtyard.js --state ${state} virsh console web-01`, 'Enter');
    await waitFor('the previous session on screen', (p) => p.includes("Connected to domain 'web-01'") && /root@web-01:~# ?$/m.test(p));
    send('C-]');
    await waitFor('the shell again', (p) => /^shell\$ ?$/.test(lastLine(p)));
  });
});
