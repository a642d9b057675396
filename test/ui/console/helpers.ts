// Shared steps for the console tests: select a domain, boot it on the virtual clock, publish the
// console's output, golden frames (UPDATE_GOLDENS=1 rewrites them; CI never writes them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Harness } from '../harness';
import type { TestWorld } from '../world';

const GOLDENS = join(__dirname, 'goldens');

export function golden(name: string, frame: string): void {
  const file = join(GOLDENS, `${name}.txt`);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) {
    if (process.env.CI === 'true') throw new Error(`golden ${name}.txt missing (CI never writes goldens)`);
    mkdirSync(GOLDENS, { recursive: true });
    writeFileSync(file, frame + '\n');
  }
  expect(frame + '\n').toBe(readFileSync(file, 'utf8'));
}

export const CTRL_RBRACKET = '\x1d';
export const SHIFT_PGUP = '\x1b[5;2~';
export const F2 = '\x1bOQ';
export const SHIFT_F2 = '\x1b[1;2Q';

export async function selectInTable(h: Harness, name: string): Promise<void> {
  await h.press('g');
  for (let i = 0; i < 60 && h.controller.selection().domain?.name !== name; i++) await h.press('j');
  expect(h.controller.selection().domain?.name).toBe(name);
}

/** Guest output reached the console: publish it and let Ink draw. */
export async function settle(h: Harness): Promise<void> {
  h.controller.consoles.flush();
  await h.press();
}

/** Advance the (paused) virtual clock by `ms` and draw what the guests printed meanwhile. */
export async function advance(h: Harness, w: TestWorld, ms: number): Promise<void> {
  w.sim.advance(ms);
  await settle(h);
}

/** Advance until the domain has booted (its login prompt is out). */
export async function untilBooted(h: Harness, w: TestWorld, name: string): Promise<void> {
  const d = w.sim.lookupDomain(name);
  await advance(h, w, Math.max(0, (d.bootedAt ?? 0) - w.sim.clock().now) + 1000);
}

/** Frame lines (the frame must stay below the terminal height). */
export function frameLines(h: Harness): string[] {
  return h.lastFrame().split('\n');
}

/** What a fresh console of the domain shows now (the engine's own view, independent of the TUI). */
export function guestScreen(w: TestWorld, name: string): string {
  const s = w.sim.openConsole(name, { cols: 120, rows: 40 });
  try {
    return s.lines().map((l) => l.runs.map((r) => r.text).join('')).join('\n');
  } finally {
    s.close();
  }
}
