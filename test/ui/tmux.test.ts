// End to end in a real terminal (tmux): the bundled CLI starts the TUI on the alternate screen,
// we start a shut-off domain with its key, see it running, quit with q and find the shell again
// (alternate screen left, terminal restored). Polls the pane until a condition holds or a
// generous deadline passes — waiting for a real process, not asserting on timing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';
import { ROOT, startShell, type TmuxShell } from '../helpers/tmux';

describe.skipIf(!hasTool('tmux'))('TUI in tmux', () => {
  let state = '';
  let sh: TmuxShell;
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), 'virtyard-tmux-'));
    sh = startShell('ui', 120, 40);
  });
  afterAll(() => {
    sh.kill();
    rmSync(state, { recursive: true, force: true });
  });

  it('start a shut-off domain, see it running, quit back to the shell', async () => {
    await sh.waitFor('the shell prompt', (p) => p.includes('shell$'));
    sh.send(`clear; node dist/virtyard.js --state ${state}`, 'Enter');
    await sh.waitFor('the main screen', (p) => p.includes('DOMAINS') && p.includes('HOSTS'));
    sh.send('/');
    sh.send('-l', 'shut off');
    sh.send('Enter');
    // The filter applies while it is typed: wait until Enter has closed the field (no cursor █)
    // and the table has its selection mark back, not just for the filtered title.
    const SELECTED_OFF = /│▌\s+-\s+(\S+)\s+shut off/;
    const filtered = await sh.waitFor('the filter applied and the table focused', (p) => p.includes('/shut off ') && !p.includes('/shut off█') && SELECTED_OFF.test(p));
    const name = SELECTED_OFF.exec(filtered)?.[1];
    expect(name, filtered).toBe('cirros-01'); // the only shut-off domain (by name) on a host with VT-x
    sh.send('s');
    await sh.waitFor('the status line', (p) => p.includes(`virsh start ${name} → Domain '${name}' started`));
    sh.send('Escape');
    await sh.waitFor(`${name} running`, (p) => new RegExp(`\\d+\\s+${name}\\s+running`).test(p));
    sh.send('q');
    const after = await sh.waitFor('the shell again', (p) => !p.includes('DOMAINS') && /shell\$\s*$/m.test(p));
    expect(after).not.toContain('HOSTS');
    // The world was saved: the CLI sees the domain running.
    const out = execFileSync('node', ['dist/virtyard.js', '--state', state, 'virsh', 'domstate', name!], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe('running');
  });
});
