// The compute benchmark: how fast the scheduler moves a large world through virtual time.
//  - a generated world of 1,000 hosts / 20,000 domains (~100,000 vCPUs): simulated seconds per
//    wall second when every second is sampled (the TUI's case: 1 s advances), and for long jumps
//    (integrated in ≤ 32 chunks);
//  - tick cost at 1k, 10k and 100k vCPUs, per vCPU, as ratios against the 1k world (linear = 1.0).
import { performance } from 'node:perf_hooks';
import { createSimulation, type Simulation } from '../engine/sim';
import { generateWorld } from '../engine/sim/fixture/generate';

/** A little bigger than the generator's default guests, so 20,000 domains give about 100,000 vCPUs. */
const VCPUS = [2, 4, 4, 8, 8];

function world(hosts: number, domains: number): Simulation {
  const sim = createSimulation(generateWorld({ hosts, domains, seed: 2024, vcpuChoices: VCPUS }), { uri: 'sim:///bench' });
  sim.pauseClock();
  return sim;
}

function vcpusOf(sim: Simulation): number {
  let n = 0;
  for (const d of sim.listDomains()) if (d.id !== null) n += d.vcpus.current;
  return n;
}

/** Best-of-rounds wall ms per 1 s step (every step sampled, history written). */
function stepCost(sim: Simulation, steps: number, rounds = 3): number {
  let best = Infinity;
  sim.advance(2000); // warm-up (layout built, JIT warm)
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) sim.advance(1000);
    best = Math.min(best, (performance.now() - t0) / steps);
  }
  return best;
}

export async function benchCompute(report: (line: string) => void): Promise<void> {
  const sizes = [
    { hosts: 10, domains: 200 },
    { hosts: 100, domains: 2_000 },
    { hosts: 1_000, domains: 20_000 },
  ];
  const results: Array<{ vcpus: number; ms: number }> = [];
  let big: Simulation | null = null;
  for (const s of sizes) {
    const t0 = performance.now();
    const sim = world(s.hosts, s.domains);
    const built = performance.now() - t0;
    const vcpus = vcpusOf(sim);
    const ms = stepCost(sim, s.domains >= 20_000 ? 20 : 60);
    results.push({ vcpus, ms });
    report(`${s.hosts} hosts / ${s.domains} domains / ${vcpus} running vCPUs: built in ${built.toFixed(0)} ms, ${ms.toFixed(2)} ms per 1 s tick`);
    if (s.domains >= 20_000) big = sim;
  }
  const base = results[0].ms / results[0].vcpus;
  for (const r of results) {
    report(`per-vCPU tick cost at ${r.vcpus} vCPUs: ${((r.ms / r.vcpus) * 1e6).toFixed(1)} ns (×${(r.ms / r.vcpus / base).toFixed(2)} of the smallest; linear = ×1.00)`);
  }
  const top = results[results.length - 1];
  report(`simulated seconds per wall second, every second sampled: ${(1000 / top.ms).toFixed(0)}× (target ≥ 200×)`);
  if (big) {
    const t0 = performance.now();
    big.advance(3_600_000);
    const hour = performance.now() - t0;
    const t1 = performance.now();
    big.advance(30 * 86_400_000);
    const month = performance.now() - t1;
    report(`long jumps (chunked): 1 h in ${hour.toFixed(0)} ms (${(3600 / (hour / 1000)).toFixed(0)}×), 30 d in ${month.toFixed(0)} ms (${((30 * 86400) / (month / 1000)).toExponential(1)}×)`);
    const t2 = performance.now();
    const state = big.toState();
    const flush = performance.now() - t2;
    report(`toState with the scheduler's counters: ${flush.toFixed(0)} ms, ${(JSON.stringify(state).length / 1e6).toFixed(1)} MB of JSON`);
  }
}
