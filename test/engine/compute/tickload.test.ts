// The scheduler's hoisted workload evaluation (tickload.ts) must be the workload model itself:
// bit-for-bit the values of workload.ts, for every profile, at instants across days and knots.
import { describe, expect, it } from 'vitest';
import type { WorkloadProfile } from '../../../engine/api/types';
import { demandLevel, ioIntensity, memoryUsedKiB, vcpuDemand } from '../../../engine/sim/compute/workload';
import { ioOf, jitterSeed, profileCode, TickLoad, vcpuLoad } from '../../../engine/sim/compute/tickload';

const PROFILES: WorkloadProfile[] = ['idle', 'web', 'database', 'build', 'cpu-burn', 'bursty', 'diurnal'];
const START = Date.UTC(2026, 10, 22, 10, 0, 0);
/** Whole seconds over two days, plus instants right at smooth-noise knots and burst slots. */
const TIMES = [
  ...Array.from({ length: 97 }, (_, k) => START + k * 1_777_000),
  START + 5 * 60_000 * 7,
  START + 10 * 60_000 * 3,
  START + 15 * 60_000 * 11,
  START + 30_000 * 5,
  0,
  1000,
];
const SEEDS = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 2_654_435_761, 123_456_789];

describe('tickload: the workload model evaluated per tick', () => {
  it('levels, per-vCPU demands, I/O and memory equal workload.ts exactly', () => {
    const tl = new TickLoad();
    let compared = 0;
    const jitter = new Float64Array(1);
    for (const t of TIMES) {
      tl.at(t);
      for (const p of PROFILES) {
        const code = profileCode(p);
        for (const seed of SEEDS) {
          const lvl = demandLevel(p, t, seed);
          expect(tl.level(code, seed)).toBe(lvl);
          expect(ioOf(code, lvl)).toBe(ioIntensity(p, lvl));
          for (const v of [0, 1, 2, 7, 15, 63]) {
            tl.jitters(Uint32Array.of(jitterSeed(seed, v)), 0, 1, jitter);
            expect(vcpuLoad(code, lvl, jitter[0], v)).toBe(vcpuDemand(p, lvl, t, seed, v));
          }
          for (const [cur, base] of [[4 * 1024 * 1024, 600 * 1024], [256 * 1024, 600 * 1024], [65 * 1024 * 1024, 2 * 1024 * 1024]]) {
            expect(tl.memoryUsed(code, seed, cur, base)).toBe(memoryUsedKiB(p, t, seed, cur, base));
          }
          compared++;
        }
      }
    }
    expect(compared).toBe(TIMES.length * PROFILES.length * SEEDS.length);
  });

  it('the build profile switches on and off at the same instants', () => {
    const tl = new TickLoad();
    const seed = 987_654_321;
    const code = profileCode('build');
    let changes = 0;
    let last = -1;
    for (let t = START; t < START + 3_600_000; t += 1000) {
      const lvl = tl.at(t).level(code, seed);
      expect(lvl).toBe(demandLevel('build', t, seed));
      if (lvl !== last) changes++;
      last = lvl;
    }
    expect(changes).toBeGreaterThan(2);
  });
});
