// The compute benchmark: how fast the scheduler moves a large world through virtual time.
//  - a generated world of 1,000 hosts / 20,000 domains (~100,000 running vCPUs): simulated seconds
//    per wall second when every second is sampled (1 s advances, history and figures each second),
//    and for long jumps (integrated in ≤ 32 chunks);
//  - tick cost at ~1k, ~10k and ~100k vCPUs, per vCPU, as ratios against the 1k world (linear = 1.0).
// Each tick figure is the best of three rounds, in wall time and in this process's CPU time: on a
// shared machine the wall clock also counts the time other processes held the CPU.
import { performance } from 'node:perf_hooks';
import { createSimulation, type Simulation } from '../engine/sim';
import { generateWorld } from '../engine/sim/fixture/generate';

/** Bigger guests than the generator's default, so 20,000 domains run about 100,000 vCPUs. */
const VCPUS = [2, 4, 8, 8, 8, 8];

function world(hosts: number, domains: number): Simulation {
  const sim = createSimulation(generateWorld({ hosts, domains, seed: 2024, vcpuChoices: VCPUS }), { uri: 'sim:///bench' });
  sim.pauseClock();
  return sim;
}

function describe(sim: Simulation): { vcpus: number; active: number; text: string } {
  let vcpus = 0;
  let active = 0;
  for (const d of sim.listDomains()) {
    if (d.id === null) continue;
    active++;
    vcpus += d.vcpus.current;
  }
  // createSimulation names the domains admission left off in its 'loaded' event.
  const loaded = sim.recentEvents(200).find((e) => e.type === 'world' && e.what === 'loaded');
  const off = loaded && /; (\d+) left shut off/.exec(loaded.message);
  return { vcpus, active, text: `${active} active domains, ${vcpus} running vCPUs (Domain-0s included), ${off ? off[1] : 0} left off by memory admission` };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Best-of-rounds ms per 1 s step (every step sampled, history written), wall and CPU. */
function stepCost(sim: Simulation, steps: number, rounds = 3): { wall: number; cpu: number } {
  let wall = Infinity;
  let cpu = Infinity;
  sim.advance(2000); // warm-up (layout built, JIT warm)
  for (let r = 0; r < rounds; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) sim.advance(1000);
    wall = Math.min(wall, (performance.now() - t0) / steps);
    cpu = Math.min(cpu, (cpuMs() - c0) / steps);
  }
  return { wall, cpu };
}

export async function benchCompute(report: (line: string) => void): Promise<void> {
  const sizes = [
    { hosts: 10, domains: 200 },
    { hosts: 100, domains: 2_000 },
    { hosts: 1_000, domains: 20_000 },
  ];
  const results: Array<{ vcpus: number; wall: number; cpu: number }> = [];
  let big: Simulation | null = null;
  for (const s of sizes) {
    const t0 = performance.now();
    const sim = world(s.hosts, s.domains);
    const built = performance.now() - t0;
    const w = describe(sim);
    const cost = stepCost(sim, s.domains >= 20_000 ? 30 : 100);
    results.push({ vcpus: w.vcpus, ...cost });
    report(`${s.hosts} hosts / ${s.domains} domains: ${w.text}; built in ${built.toFixed(0)} ms; ${cost.wall.toFixed(2)} ms per 1 s tick (CPU ${cost.cpu.toFixed(2)} ms)`);
    if (s.domains >= 20_000) big = sim;
  }
  const base = results[0];
  for (const r of results) {
    const wall = r.wall / r.vcpus;
    const cpu = r.cpu / r.vcpus;
    report(
      `per-vCPU tick cost at ${r.vcpus} vCPUs: ${(wall * 1e6).toFixed(1)} ns wall (×${(wall / (base.wall / base.vcpus)).toFixed(2)}), ` +
        `${(cpu * 1e6).toFixed(1)} ns CPU (×${(cpu / (base.cpu / base.vcpus)).toFixed(2)}) of the smallest; linear = ×1.00`,
    );
  }
  const top = results[results.length - 1];
  report(`simulated seconds per wall second, every second sampled: ${(1000 / top.wall).toFixed(0)}× (per CPU second: ${(1000 / top.cpu).toFixed(0)}×; target ≥ 200×)`);
  if (big) {
    const t0 = performance.now();
    big.advance(3_600_000);
    const hour = performance.now() - t0;
    const t1 = performance.now();
    big.advance(30 * 86_400_000);
    const month = performance.now() - t1;
    report(`long jumps (chunked): 1 h in ${hour.toFixed(0)} ms (${(3600 / (hour / 1000)).toFixed(0)}×), 30 d in ${month.toFixed(0)} ms (${((30 * 86400) / (month / 1000)).toExponential(1)}×)`);
    const t2 = performance.now();
    big.listDomains();
    const list = performance.now() - t2;
    const t3 = performance.now();
    const state = big.toState();
    const flush = performance.now() - t3;
    report(`listDomains after a sample (figures copied into the records, snapshots rebuilt): ${list.toFixed(0)} ms`);
    report(`toState with the scheduler's counters: ${flush.toFixed(0)} ms, ${(JSON.stringify(state).length / 1e6).toFixed(1)} MB of JSON`);
  }
}
