// End to end in a real terminal (tmux): the bundled CLI starts the TUI on the alternate screen,
// we start a shut-off domain with its key, see it running, quit with q and find the shell again
// (alternate screen left, terminal restored). Polls the pane until a condition holds or a
// generous deadline passes — waiting for a real process, not asserting on timing.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';

const ROOT = resolve(__dirname, '../..');
const SOCKET = `virtyard-ui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'vy');
const send = (...keys: string[]) => tmux('send-keys', '-t', 'vy', ...keys);

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

describe.skipIf(!hasTool('tmux'))('TUI in tmux', () => {
  let state = '';
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/virtyard.js'))) execSync('node esbuild.config.mjs', { cwd: ROOT });
    state = mkdtempSync(join(tmpdir(), 'virtyard-tmux-'));
    // A plain shell with a known prompt; CI is unset inside so Ink renders interactively.
    tmux('new-session', '-d', '-s', 'vy', '-x', '120', '-y', '40', '-c', ROOT, 'env -u CI PS1="shell$ " bash --norc --noprofile');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  });

  it('start a shut-off domain, see it running, quit back to the shell', async () => {
    await waitFor('the shell prompt', (p) => p.includes('shell$'));
    send(`clear; node dist/virtyard.js --state ${state}`, 'Enter');
    await waitFor('the main screen', (p) => p.includes('DOMAINS') && p.includes('HOSTS'));
    send('/');
    send('-l', 'shut off');
    send('Enter');
    // The filter applies while it is typed: wait until Enter has closed the field (no cursor █)
    // and the table has its selection mark back, not just for the filtered title.
    const SELECTED_OFF = /│▌\s+-\s+(\S+)\s+shut off/;
    const filtered = await waitFor('the filter applied and the table focused', (p) => p.includes('/shut off ') && !p.includes('/shut off█') && SELECTED_OFF.test(p));
    const name = SELECTED_OFF.exec(filtered)?.[1];
    expect(name, filtered).toBe('cirros-01'); // the only shut-off domain (by name) on a host with VT-x
    send('s');
    await waitFor('the status line', (p) => p.includes(`virsh start ${name} → Domain '${name}' started`));
    send('Escape');
    await waitFor(`${name} running`, (p) => new RegExp(`\\d+\\s+${name}\\s+running`).test(p));
    send('q');
    const after = await waitFor('the shell again', (p) => !p.includes('DOMAINS') && /shell\$\s*$/m.test(p));
    expect(after).not.toContain('HOSTS');
    // The world was saved: the CLI sees the domain running.
    const out = execFileSync('node', ['dist/virtyard.js', '--state', state, 'virsh', 'domstate', name!], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe('running');
  });
});
