// The TUI draws through ui/ink/ (routes.json: Ink's Output, sanitize-ansi, widest-line,
// measure-text, wrap-text, string-width, ansi-tokenize — in the bundle and, by vitest.config.ts, in
// these tests), and the heatmap tells that path its rows' widths (joinMeasured). Each piece has its
// equivalence test; this one checks the whole: this process walks the screens of a generated world
// as the bundle draws them, a child process walks them with stock Ink, and every raw frame (colours
// included) must be the same.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

process.env.FORCE_COLOR = '1';
const { walkFrames } = await import('./bundle-frames');

it('frames drawn through the routed Ink equal stock Ink’s, screen by screen', async () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'stock-frames-child.ts')], {
    env: { ...process.env, FORCE_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(child.status, child.stderr).toBe(0);
  const stock: string[] = JSON.parse(child.stdout);
  const routed = await walkFrames();
  expect(routed.length).toBe(stock.length);
  expect(stock.some((f) => f.includes('FLEET LOAD'))).toBe(true);
  for (let i = 0; i < stock.length; i++) expect(routed[i], `frame ${i}: ${stock[i].split('\n')[0]}`).toBe(stock[i]);
}, 60_000);
