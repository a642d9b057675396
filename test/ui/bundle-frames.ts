// The frames test/ui/bundle-render.test.ts compares: one walk through the screens of a generated
// world (main screen, heatmap, virt-top, a host view, help) at 200×60, a raw frame after each key.
import { renderApp } from './harness';
import { generatedWorld } from './world';

const KEYS = ['down', 'down', 'L', 'down', 'right', 'right', 'v', 'V', 'esc', 't', 'down', 'o', 'enter', 'esc', 'H', 'esc', '?', 'esc'];

export async function walkFrames(): Promise<string[]> {
  const w = generatedWorld(60, 300, 11);
  w.sim.advance(60_000);
  const h = await renderApp({ conn: w.sim, runner: w.runner, columns: 200, rows: 60 });
  const frames = [h.rawFrame()];
  for (const k of KEYS) {
    await h.press(k);
    frames.push(`${k}\n${h.rawFrame()}`);
  }
  await h.unmount();
  return frames;
}
