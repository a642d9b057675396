// The console pane through real keypresses on a real Simulation (paused clock, advanced by hand):
// golden frames after a boot and a login, keys reaching the guest, Ctrl+] detaching, full
// screen, a shut-off domain's console, scrollback search, resize, frame height.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, renderApp } from '../harness';
import { defaultWorld, type TestWorld } from '../world';
import { CTRL_RBRACKET, F2, SHIFT_F2, SHIFT_PGUP, advance, frameLines, golden, guestScreen, selectInTable, settle, untilBooted } from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.unmount();
  h = null;
});

async function open(columns: number, rows: number): Promise<{ h: Harness; w: TestWorld }> {
  const w = defaultWorld();
  h = await renderApp({ conn: w.sim, runner: w.runner, columns, rows });
  return { h, w };
}

/** Start a shut-off domain with `s`, open its console with `c`, watch it boot, log in. */
async function bootAndLogin(h: Harness, w: TestWorld, name: string): Promise<void> {
  await selectInTable(h, name);
  await h.press('s');
  await h.press('c');
  await untilBooted(h, w, name);
  expect(h.lastFrame()).toMatch(new RegExp(`${name} login:\\s*│`));
  await h.type('root\r');
  await h.type('virtyard\r');
}

describe('console pane', () => {
  it('80×24: boot to the login prompt, log in, uname -a (golden)', async () => {
    const { h, w } = await open(80, 24);
    await bootAndLogin(h, w, 'cirros-01');
    await h.type('uname -a\r');
    const frame = h.lastFrame();
    expect(frame).toContain('╭ console: cirros-01 (ttyS0) ─ attached ─ Ctrl+] detach');
    expect(frame).toMatch(/# uname -a\s*│\n│Linux cirros-01 /);
    expect(frame).not.toContain('DOMAINS');
    expect(frameLines(h).length).toBeLessThanOrEqual(23);
    golden('console-login-80x24', frame);
  });

  it('200×60: a Debian guest boots from its firmware (golden), logs in, runs a command', async () => {
    const { h, w } = await open(200, 60);
    h.controller.runLine('destroy web-01');
    await h.press();
    await bootAndLogin(h, w, 'web-01');
    await h.type('uname -a\r');
    const frame = h.lastFrame();
    expect(frame).toContain('console: web-01 (ttyS0) ─ attached ─ Ctrl+] detach · Shift+PgUp scrollback, / search');
    expect(frame).toContain('Hypervisor detected: KVM');
    expect(frame).toContain('Debian GNU/Linux 12 web-01 ttyS0');
    expect(frame).toMatch(/root@web-01:~# uname -a\s*│\n│Linux web-01 6\.1\./);
    expect(frameLines(h).length).toBeLessThanOrEqual(59);
    golden('console-boot-200x60', frame);
  });

  it('keys reach the guest: echo, history with ↑, Ctrl+U, Ctrl+C (not quit), Backspace', async () => {
    const { h, w } = await open(120, 40);
    await bootAndLogin(h, w, 'cirros-01');
    await h.type('echo one-two\r');
    expect(h.lastFrame()).toMatch(/# echo one-two\s*│\n│one-two\s*│/);
    await h.press('up', 'enter'); // shell history through the encoded arrow key
    expect(h.lastFrame().match(/│one-two\s*│/g)).toHaveLength(2);
    await h.type('garbage');
    await h.press('\x15'); // Ctrl+U kills the line
    await h.type('echo killed-ok\r');
    expect(h.lastFrame()).toContain('killed-ok');
    expect(h.lastFrame()).not.toContain('garbage');
    await h.type('sleepy');
    await h.press('ctrl+c');
    expect(h.exited()).toBe(false);
    expect(h.lastFrame()).toMatch(/# sleepy\^C\s*│\n│#/);
    await h.type('echo abcX');
    await h.press('backspace');
    await h.type('\r');
    expect(h.lastFrame()).toMatch(/│abc\s*│/);
    // The engine saw the same: a fresh console of the guest shows the typed commands.
    expect(guestScreen(w, 'cirros-01')).toContain('# echo killed-ok');
  });

  it('Ctrl+] detaches back to the main screen and closes the session; q then quits', async () => {
    const { h, w } = await open(120, 40);
    await selectInTable(h, 'web-01');
    await h.press('c');
    expect(w.sim.consoleState('web-01').attached).toBe(1);
    await h.type('q'); // typed into the guest, not "quit"
    expect(h.exited()).toBe(false);
    await h.press(CTRL_RBRACKET);
    const frame = h.lastFrame();
    expect(frame).toContain('DOMAINS');
    expect(frame).toContain('detached from web-01');
    expect(w.sim.consoleState('web-01').attached).toBe(0);
    await h.press('q');
    expect(h.exited()).toBe(true);
  });

  it('C opens the console full screen: no chrome, the Ctrl+] hint in its title', async () => {
    const { h } = await open(100, 30);
    await selectInTable(h, 'db-01');
    await h.press('C');
    const lines = frameLines(h);
    expect(lines[0]).toMatch(/^╭ console: db-01 \(ttyS0\) ─ attached ─ Ctrl\+\] detach/);
    expect(lines).toHaveLength(29);
    expect(h.lastFrame()).toContain('db-01 login:');
    expect(h.controller.consoles.session('db-01')!.rows).toBe(27);
    // f in scrollback goes back to the pane (header and hints around it).
    await h.press(SHIFT_PGUP, 'f');
    expect(frameLines(h)[0]).toContain('sim:///default');
    expect(h.controller.consoles.session('db-01')!.rows).toBe(30 - 1 - 4 - 2);
  });

  it('a shut-off domain shows its last output and says it is not running; s starts it', async () => {
    const { h, w } = await open(120, 40);
    await selectInTable(h, 'web-01');
    await h.press('c', CTRL_RBRACKET); // watched once: the engine records output lazily, on sight
    h.controller.runLine('destroy web-01');
    await h.press('c');
    let frame = h.lastFrame();
    expect(frame).toContain('console: web-01 (ttyS0) ─ not running ─ Ctrl+] close · s start');
    expect(frame).toContain('web-01 login:'); // its last output
    expect(w.sim.consoleState('web-01').running).toBe(false);
    await h.press('s');
    expect(w.sim.lookupDomain('web-01').state).toBe('running');
    await untilBooted(h, w, 'web-01');
    frame = h.lastFrame();
    expect(frame).toContain('console: web-01 (ttyS0) ─ attached');
    expect(frame).toMatch(/Debian GNU\/Linux 12 web-01 ttyS0/);
    // A guest that powers itself off: the console stays, says so, and q closes it.
    await h.type('root\rvirtyard\rpoweroff\r');
    await advance(h, w, 30_000);
    expect(w.sim.lookupDomain('web-01').state).toBe('shut off');
    expect(h.lastFrame()).toContain('console: web-01 (ttyS0) ─ not running');
    await h.press('q');
    expect(h.lastFrame()).toContain('DOMAINS');
  });

  it('a paused domain: its console says so, s resumes it and the console attaches', async () => {
    const { h, w } = await open(120, 40);
    await selectInTable(h, 'dev-01');
    await h.press('c');
    expect(h.lastFrame()).toContain('console: dev-01 (ttyS0) ─ not running (paused) ─ Ctrl+] close · s resume');
    await h.press('x'); // not sent anywhere: a paused guest reads nothing
    await h.press('s');
    expect(w.sim.lookupDomain('dev-01').state).toBe('running');
    expect(h.lastFrame()).toContain('virsh resume dev-01');
    expect(h.lastFrame()).toContain('console: dev-01 (ttyS0) ─ attached');
    await h.press(CTRL_RBRACKET, 'q');
    expect(h.exited()).toBe(true);
    expect(w.sim.consoleState('dev-01').attached).toBe(0);
  });

  it('a domain without a serial console says so and stays on the main screen', async () => {
    const { h } = await open(120, 40);
    await selectInTable(h, 'win-01');
    await h.press('c');
    expect(h.lastFrame()).toContain('win-01 has no serial console');
    expect(h.controller.getState().console).toBeNull();
  });

  it('scrollback: Shift+PgUp, / search with n/N (match count in the title), Esc back to live', async () => {
    const { h, w } = await open(100, 30);
    await bootAndLogin(h, w, 'cirros-01');
    for (let i = 0; i < 40; i++) await h.press(`echo marker-${i}\r`); // one chunk each, like a paste
    await h.press(SHIFT_PGUP);
    expect(h.lastFrame()).toMatch(/scrollback · \d+ lines up/);
    await h.press('/');
    await h.type('MARKER-1');
    expect(h.lastFrame()).toMatch(/│\/MARKER-1 /);
    await h.press('enter');
    const s = h.controller.getState().console!.slots[0].search!;
    expect(s.count).toBe(w.sim.openConsole('cirros-01', { cols: 98, rows: 25 }).search('marker-1').length);
    expect(h.lastFrame()).toContain(`"MARKER-1" ${s.index}/${s.count}`);
    await h.press('n');
    const older = h.controller.getState().console!.slots[0].search!;
    expect(older.index).toBe(s.index - 1);
    expect(older.match!.line).toBeLessThanOrEqual(s.match!.line);
    await h.press('N');
    expect(h.controller.getState().console!.slots[0].search!.index).toBe(s.index);
    await h.press('/');
    await h.type('no-such-text');
    await h.press('enter');
    expect(h.lastFrame()).toContain('"no-such-text" not found');
    await h.press('esc');
    expect(h.lastFrame()).toContain('─ attached ─');
    expect(h.controller.consoles.session('cirros-01')!.scrollOffset()).toBe(0);
    // Back live: keys go to the guest again (n is text now).
    await h.type('echo n\r');
    expect(h.lastFrame()).toMatch(/# echo n\s*│\n│n\s*│/);
  });

  it('resize follows the pane: the guest learns the new size through a cursor-position query', async () => {
    const { h, w } = await open(80, 24);
    await bootAndLogin(h, w, 'cirros-01');
    await h.resize(120, 40);
    const s = h.controller.consoles.session('cirros-01')!;
    expect([s.cols, s.rows]).toEqual([118, 40 - 1 - 4 - 2]);
    await h.type('resize\r');
    expect(h.lastFrame()).toContain('COLUMNS=118;');
    expect(h.lastFrame()).toContain('LINES=33;');
    expect(frameLines(h).length).toBeLessThanOrEqual(39);
  });

  it('the virtual clock keeps running while a console is open (output appears as time passes)', async () => {
    const { h, w } = await open(100, 30);
    await bootAndLogin(h, w, 'cirros-01');
    await h.type('stress --cpu 1 --timeout 5\r');
    expect(h.lastFrame()).not.toMatch(/completed in 5s/);
    await advance(h, w, 6000);
    expect(h.lastFrame()).toMatch(/completed in 5s/);
    expect(h.lastFrame()).toContain('2026-11-22 10:00:');
  });
});

describe('tiled consoles', () => {
  it('T tiles 4 consoles; keys go to the focused one only; F2 / Shift+F2 move the focus (not sent)', async () => {
    const { h, w } = await open(160, 50);
    await selectInTable(h, 'web-01');
    await h.press('T');
    const ui = h.controller.getState().console!;
    expect(ui.layout).toBe('tiled');
    expect(ui.slots.map((s) => s.domain)[0]).toBe('web-01');
    expect(ui.slots).toHaveLength(4);
    const [a, b] = ui.slots.map((s) => s.domain);
    for (const s of ui.slots) expect(w.sim.consoleState(s.domain).attached).toBe(1);
    const focusedTitle = () => h.lastFrame().split('\n')[1];
    expect(focusedTitle()).toMatch(new RegExp(`╭ (console: )?${a}[^╮]*attached[^╮]*Ctrl\\+\\] detach`));
    await h.press('root-for-a\r');
    await h.press(F2);
    expect(h.controller.getState().console!.focus).toBe(1);
    expect(h.lastFrame()).toMatch(new RegExp(`${b}[^╮]*attached`));
    await h.press('root-for-b\r');
    await h.press(SHIFT_F2);
    expect(h.controller.getState().console!.focus).toBe(0);
    await h.press(CTRL_RBRACKET);
    const screenA = guestScreen(w, a);
    const screenB = guestScreen(w, b);
    expect(screenA).toContain('login: root-for-a');
    expect(screenA).not.toContain('root-for-b');
    expect(screenB).toContain('login: root-for-b');
    expect(screenB).not.toContain('root-for-a');
    // F2 never reached a guest as a key: no stray escape text on either screen.
    expect(screenA + screenB).not.toMatch(/OQ|\[1;2Q/);
    expect(w.sim.consoleState(a).attached).toBe(0);
  });

  it('from one console: scrollback t tiles the consoles opened last, t again back to one', async () => {
    const { h } = await open(120, 40);
    for (const d of ['db-01', 'build-01', 'web-01']) {
      await selectInTable(h, d);
      await h.press('c', CTRL_RBRACKET);
    }
    await h.press('c', SHIFT_PGUP, 't');
    expect(h.controller.getState().console!.slots.map((s) => s.domain)).toEqual(['web-01', 'build-01', 'db-01']);
    expect(h.lastFrame()).toContain('console: db-01');
    await h.press('esc', SHIFT_PGUP, 't');
    expect(h.controller.getState().console!.slots.map((s) => s.domain)).toEqual(['web-01']);
    expect(h.lastFrame()).not.toContain('console: db-01');
  });
});

describe('frame height stays below the terminal height', () => {
  for (const [c, r] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ]) {
    it(`${c}×${r}: pane, search line, full screen, tiled`, async () => {
      const { h } = await open(c, r);
      await selectInTable(h, 'web-01');
      const check = () => {
        const lines = frameLines(h);
        expect(lines.length).toBeLessThanOrEqual(r - 1);
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(c);
      };
      await h.press('c');
      check();
      await h.press(SHIFT_PGUP, '/');
      check();
      await h.press('esc', 'f');
      check();
      await h.press(CTRL_RBRACKET, 'T');
      check();
      expect(h.controller.getState().console!.slots.length).toBe(4);
      await settle(h);
      check();
    });
  }
});
