// Shared driver of the crash tests: for each scenario, one uninterrupted run (everything must
// read back; it also counts the image syscalls), then kill runs at seeded points. A failure names
// the scenario, the run, the kill point and keeps the image. Environment:
//   QCOW2_CRASH_RUNS       kill runs per scenario (default 6)
//   QCOW2_CRASH_SEED       seed of the kill-point choice (default 99)
//   QCOW2_CRASH_EXHAUSTIVE=1  kill at every syscall: plain, torn and power loss (minutes per scenario)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage } from '../../../engine/qcow2';
import { tmpDir, rng } from './helpers';
import type { Scenario } from './crash-ops';
import { bundleWriter, runWriter, verifyCrashed, describeKill, type Kill } from './crash-harness';

const RUNS = Number(process.env.QCOW2_CRASH_RUNS ?? 8);
const SEED = Number(process.env.QCOW2_CRASH_SEED ?? 99);
const EXHAUSTIVE = process.env.QCOW2_CRASH_EXHAUSTIVE === '1';

export type LabelledScenario = Scenario & { label: string };

/**
 * Kill plans for a scenario whose uninterrupted run makes `calls` image syscalls and `flushes`
 * flushes, in turn: SIGKILL at an exact syscall, the same after a torn write, a simulated power
 * loss (unsynced sectors randomly lost) at an exact syscall, and SIGKILL from outside a few
 * milliseconds after a flush was acknowledged (whatever the child is doing then).
 */
function plans(calls: number, flushes: number, n: number, r: () => number): Kill[] {
  if (EXHAUSTIVE) {
    return Array.from({ length: calls * 3 }, (_, i) => {
      const atCall = Math.floor(i / 3) + 1;
      return i % 3 === 0 ? { atCall } : i % 3 === 1 ? { atCall, torn: r() } : { atCall, powerLoss: r() };
    });
  }
  return Array.from({ length: n }, (_, i): Kill => {
    const atCall = 1 + Math.floor(r() * calls);
    if (i % 4 === 1) return { atCall, torn: r() };
    if (i % 4 === 2) return { atCall, powerLoss: r() };
    if (i % 4 === 3) return { afterFlushes: 1 + Math.floor(r() * Math.max(1, flushes - 1)), delayMs: Math.floor(r() * 4) * 3 };
    return { atCall };
  });
}

export function crashSuite(title: string, scenarios: LabelledScenario[], seedBase: number): void {
  describe.skipIf(!hasTool('qemu-img'))(title, () => {
    const dir = tmpDir('vy-qcow2-crash-');
    let bundle = '';
    beforeAll(() => {
      bundle = bundleWriter(dir);
    });
    scenarios.forEach((sc, si) => {
      it(`${sc.label}: ${EXHAUSTIVE ? 'every syscall' : RUNS} kill points`, async () => {
        const create = (file: string) =>
          createImage(file, { format: 'qcow2', size: sc.size, clusterSize: sc.cs, compat: sc.compat, refcountBits: sc.refcountBits });
        const base = path.join(dir, `s${si}-full.qcow2`);
        create(base);
        const full = await runWriter(bundle, base, sc, {});
        expect(full.done, `uninterrupted run of ${sc.label}`).toBe(true);
        expect(verifyCrashed(base, sc, full)).toEqual([]);
        fs.rmSync(base);
        const r = rng(SEED * 1000 + seedBase + si);
        let verifiedFlushes = 0;
        for (const [k, kill] of plans(full.calls, full.flushes, RUNS, r).entries()) {
          const file = path.join(dir, `s${si}-k${k}.qcow2`);
          create(file);
          const res = await runWriter(bundle, file, sc, kill);
          const problems = verifyCrashed(file, sc, res);
          if (problems.length) {
            throw new Error(
              [
                `${sc.label}, kill run ${k} (QCOW2_CRASH_SEED=${SEED}): ${describeKill(kill)} of ${full.calls}`,
                `child: ${res.killLine || `signal ${res.signal}`}; acknowledged through op ${res.lastFlushed}${res.done ? ' (finished)' : ''}`,
                `scenario ${JSON.stringify(sc)}`,
                `image kept at ${file}`,
                ...problems,
              ].join('\n'),
            );
          }
          if (res.lastFlushed >= 0) verifiedFlushes++;
          fs.rmSync(file);
        }
        // The runs must have checked acknowledged data, not only images killed before any flush.
        expect(verifiedFlushes).toBeGreaterThan(0);
      }, EXHAUSTIVE ? 3_600_000 : 60_000);
    });
  });
}
