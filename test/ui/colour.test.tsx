// Colours: errors red, states coloured; NO_COLOR turns colour off. Colour support is decided when
// chalk loads, so force it before importing the UI (this file runs in its own process).
import { afterEach, describe, expect, it } from 'vitest';

process.env.FORCE_COLOR = '1';
const { renderApp } = await import('./harness');
const { defaultWorld } = await import('./world');

afterEach(() => {
  delete process.env.NO_COLOR;
});

describe('colour', () => {
  it('a failed command is red in the status line; running rows are green', async () => {
    const w = defaultWorld();
    const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    expect(h.rawFrame()).toMatch(/\x1b\[32mrunning/);
    const off = w.sim.listDomains().find((d) => d.state === 'shut off')!;
    h.controller.runLine(`suspend ${off.name}`);
    await h.press();
    expect(h.rawFrame()).toMatch(/\x1b\[31m[^\n]*virsh suspend/);
    await h.unmount();
  });

  it('NO_COLOR removes colours but keeps the focused pane visible (heavy border)', async () => {
    process.env.NO_COLOR = '1';
    const w = defaultWorld();
    const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 120, rows: 40 });
    expect(h.rawFrame()).not.toMatch(/\x1b\[3[0-9]m/);
    expect(h.lastFrame()).toContain('┏ DOMAINS');
    await h.unmount();
  });
});
