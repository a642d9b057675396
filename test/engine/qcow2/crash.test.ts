// Crash safety: a writer process is SIGKILLed (at an exact image syscall, optionally after a torn
// write, or from outside after it acknowledged a flush); qemu-img check must then report no
// corruption (leaks are tolerated), every write acknowledged by a completed flush must read back,
// and acknowledged snapshots must read back through QEMU. Kill points are chosen from a seeded
// RNG, so a failure names a run that can be replayed (QCOW2_CRASH_SEED, QCOW2_CRASH_EXHAUSTIVE=1
// tries every syscall of every scenario; QCOW2_CRASH_RUNS sets the number of kill runs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage } from '../../../engine/qcow2';
import { tmpDir, rng } from './helpers';
import type { Scenario } from './crash-ops';
import { bundleWriter, runWriter, verifyCrashed, describeKill, type Kill } from './crash-harness';

const RUNS = Number(process.env.QCOW2_CRASH_RUNS ?? 64);
const SEED = Number(process.env.QCOW2_CRASH_SEED ?? 99);
const EXHAUSTIVE = process.env.QCOW2_CRASH_EXHAUSTIVE === '1';
const MiB = 1 << 20;
const span512 = 512 * 64; // guest bytes per L2 table at 512-byte clusters

const SCENARIOS: Array<Scenario & { label: string }> = [
  { label: 'sequential v3 512 B clusters', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 7, seed: 4242 },
  { label: 'sequential v3 4 KiB clusters', kind: 'seq', cs: 4096, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 11, seed: 4243 },
  { label: 'sequential v2', kind: 'seq', cs: 512, compat: '0.10', refcountBits: 16, size: 32 * MiB, ops: 300, every: 5, seed: 4244 },
  { label: 'sequential, refcount table growth', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 64, size: 32 * MiB, ops: 400, every: 9, seed: 4245 },
  { label: 'sequential, 4-table L2 cache', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 20, seed: 4246, l2CacheSize: 2048 },
  { label: 'mixed v3 with snapshots', kind: 'mixed', cs: 512, compat: '1.1', refcountBits: 16, size: 40 * span512, ops: 90, every: 4, seed: 1 },
  { label: 'mixed v3 1 KiB clusters 8-bit refcounts', kind: 'mixed', cs: 1024, compat: '1.1', refcountBits: 8, size: 6 * 1024 * 128, ops: 90, every: 3, seed: 2 },
  { label: 'mixed v2', kind: 'mixed', cs: 512, compat: '0.10', refcountBits: 16, size: 40 * span512, ops: 90, every: 5, seed: 3 },
  { label: 'mixed, 4-table L2 cache', kind: 'mixed', cs: 512, compat: '1.1', refcountBits: 16, size: 40 * span512, ops: 90, every: 6, seed: 4, l2CacheSize: 2048 },
];

/** Kill plans for a scenario whose uninterrupted run makes `calls` image syscalls and `flushes` flushes. */
function plans(calls: number, flushes: number, n: number, r: () => number): Kill[] {
  if (EXHAUSTIVE) return Array.from({ length: calls * 2 }, (_, i) => ({ atCall: (i >> 1) + 1, torn: i & 1 ? r() : undefined }));
  return Array.from({ length: n }, (_, i): Kill => {
    if (i % 3 === 2) return { afterFlushes: 1 + Math.floor(r() * Math.max(1, flushes - 1)), delayMs: Math.floor(r() * 4) * 3 };
    return { atCall: 1 + Math.floor(r() * calls), torn: i % 3 === 1 ? r() : undefined };
  });
}

describe.skipIf(!hasTool('qemu-img'))('qcow2 crash safety under SIGKILL', () => {
  const dir = tmpDir('vy-qcow2-crash-');
  let bundle = '';
  beforeAll(() => {
    bundle = bundleWriter(dir);
  });
  const perScenario = Math.ceil(RUNS / SCENARIOS.length);

  SCENARIOS.forEach((sc, si) => {
    it(`${sc.label}: ${EXHAUSTIVE ? 'every syscall' : perScenario} kill points`, async () => {
      const create = (file: string) =>
        createImage(file, { format: 'qcow2', size: sc.size, clusterSize: sc.cs, compat: sc.compat, refcountBits: sc.refcountBits });
      // Uninterrupted run: everything must read back, and it tells how many syscalls there are.
      const base = path.join(dir, `s${si}-full.qcow2`);
      create(base);
      const full = await runWriter(bundle, base, sc, {});
      expect(full.done, `uninterrupted run of ${sc.label}`).toBe(true);
      expect(verifyCrashed(base, sc, full)).toEqual([]);
      fs.rmSync(base);
      const r = rng(SEED * 1000 + si);
      let verifiedFlushes = 0;
      for (const [k, kill] of plans(full.calls, full.flushes, perScenario, r).entries()) {
        const file = path.join(dir, `s${si}-k${k}.qcow2`);
        create(file);
        const res = await runWriter(bundle, file, sc, kill);
        const problems = verifyCrashed(file, sc, res);
        if (problems.length) {
          throw new Error(
            [
              `${sc.label}, kill run ${k} (seed ${SEED}): ${describeKill(kill)}`,
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
      // The runs must have checked acknowledged data, not just empty images.
      expect(verifiedFlushes).toBeGreaterThan(0);
    }, EXHAUSTIVE ? 3_600_000 : 120_000);
  });
});
