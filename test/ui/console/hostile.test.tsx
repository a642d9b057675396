// Hostile guest output never reaches the host terminal through the TUI: a console fed with OSC 52
// clipboard writes, title changes, alternate screen, mouse modes, DCS/APC strings, C1 controls and
// bell floods renders frames whose only escape sequences are Ink's own SGR colouring — while the
// guest's legitimate colours still show (as Ink colours). Colour support is decided when chalk
// loads, so force it before importing the UI (this file runs in its own process).
import { afterEach, describe, expect, it } from 'vitest';

process.env.FORCE_COLOR = '1';
const { renderApp } = await import('../harness');
const { defaultWorld } = await import('../world');
const { selectInTable, settle } = await import('./helpers');

const ESC = '\x1b';
const HOSTILE = [
  `${ESC}]0;pwned-title\x07title-ok`,
  `${ESC}]2;pwned${ESC}\\st-ok`,
  `${ESC}]52;c;cm0gLXJmIC8K\x07clip-ok`,
  `${ESC}]8;;https://evil.example${ESC}\\link-ok${ESC}]8;;${ESC}\\`,
  `${ESC}]4;1;rgb:00/00/00\x07palette-ok`,
  `${ESC}[?1049h${ESC}[?1049lalt-ok`, // (the headless terminal switches screens and back; the host never does)
  `${ESC}[?1000h${ESC}[?1003h${ESC}[?1006hmouse-ok`,
  `${ESC}[?2004hpaste-ok`,
  `${ESC}[?25l${ESC}[?12hcursor-ok`,
  `${ESC}P$q"p${ESC}\\dcs-ok`,
  `${ESC}_kitty${ESC}\\apc-ok`,
  `${ESC}[8;100;300t${ESC}[2twin-ok`,
  `\u009b?1049h\u009d0;t\u0007\u009b?1049lc1-ok`,
  `${'\x07'.repeat(500)}bell-ok`,
  `${ESC}[31mred-ok${ESC}[0m ${ESC}[1;38;5;208mbold256-ok${ESC}[0m ${ESC}[48;2;1;2;3mrgb-ok${ESC}[0m`,
].join('\r\n');

// eslint-disable-next-line no-control-regex
const ANY_ESCAPE = /\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[P_X^][^\x1b]*(\x1b\\)?|.)/g;
const SGR = /^\x1b\[[0-9;]*m$/;

let done: (() => Promise<void>) | null = null;
afterEach(async () => {
  await done?.();
  done = null;
});

describe('hostile guest output', () => {
  it('reaches the frame as text only: no escape but SGR, no C1/BEL, colours as Ink colours', async () => {
    const w = defaultWorld();
    const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    done = () => h.unmount();
    await selectInTable(h, 'web-01');
    await h.press('c');
    const before = h.stdout.frames.length;
    w.sim.injectConsoleOutput('web-01', HOSTILE + '\r\n');
    await settle(h);
    const written = h.stdout.frames.slice(before).join('');
    expect(written.length).toBeGreaterThan(0);
    const escapes = written.match(ANY_ESCAPE) ?? [];
    expect(escapes.length).toBeGreaterThan(0); // Ink's colours are there…
    for (const e of escapes) expect(e, JSON.stringify(e)).toMatch(SGR); // …and nothing else
    expect(written).not.toMatch(/[\u0080-\u009f\x07\x0e\x0f]/);
    expect(written).not.toContain('pwned');
    expect(written).not.toContain('evil.example');
    const frame = h.lastFrame();
    for (const ok of ['title-ok', 'st-ok', 'clip-ok', 'link-ok', 'palette-ok', 'alt-ok', 'mouse-ok', 'paste-ok', 'cursor-ok', 'dcs-ok', 'apc-ok', 'win-ok', 'c1-ok', 'bell-ok']) {
      expect(frame).toContain(ok);
    }
    // The guest's colours, re-expressed by Ink: red (31), 256-colour 208 bold, RGB background.
    expect(h.rawFrame()).toMatch(/\x1b\[31mred-ok/);
    expect(h.rawFrame()).toMatch(/\x1b\[38;5;208m[^\n]*bold256-ok|\x1b\[1m\x1b\[38;5;208mbold256-ok/);
    expect(h.rawFrame()).toMatch(/\x1b\[(4\d|48;[\d;]+)mrgb-ok/); // (chalk maps RGB down to the level it detected)
    // The TUI still works: Ctrl+] detaches (the guest could not switch modes on us).
    await h.press('\x1d');
    expect(h.lastFrame()).toContain('DOMAINS');
  });

  it('search hits are highlighted (the current one brighter), the live cursor is an inverse cell', async () => {
    const w = defaultWorld();
    const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    done = () => h.unmount();
    await selectInTable(h, 'web-01');
    await h.press('c');
    expect(h.rawFrame()).toMatch(/web-01 login: \x1b\[7m \x1b\[27m/); // the cursor after the prompt
    await h.press('\x1b[5;2~', '/');
    await h.type('target');
    await h.press('enter');
    expect(h.lastFrame()).toMatch(/"target" (\d+)\/\1 /); // the latest of the systemd "….target" lines
    const raw = h.rawFrame();
    expect(raw).toMatch(/\x1b\[103m(\x1b\[1m)?(\x1b\[30m)?(\x1b\[1m)?target/); // current: bright yellow
    expect(raw).toMatch(/\x1b\[43m(\x1b\[30m)?target/); // the other hit: yellow
    expect(raw).not.toMatch(/login: \x1b\[7m/); // no cursor while scrolled back
  });

  it('NO_COLOR: the guest colours are dropped, attributes kept, still no foreign escapes', async () => {
    process.env.NO_COLOR = '1';
    try {
      const w = defaultWorld();
      const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 100, rows: 30 });
      done = () => h.unmount();
      await selectInTable(h, 'web-01');
      await h.press('c');
      w.sim.injectConsoleOutput('web-01', HOSTILE + '\r\n');
      await settle(h);
      const raw = h.rawFrame();
      expect(raw).not.toMatch(/\x1b\[3[0-9]m|\x1b\[38;|\x1b\[48;/);
      expect(raw).toMatch(/\x1b\[1mbold256-ok/);
      for (const e of raw.match(ANY_ESCAPE) ?? []) expect(e).toMatch(SGR);
    } finally {
      delete process.env.NO_COLOR;
    }
  });
});
