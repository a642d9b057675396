// The compute benchmark: how fast the scheduler moves a large world through virtual time.
//  - a generated world of 1,000 hosts / 20,000 domains (~100,000 running vCPUs): simulated seconds
//    per wall second when every second is sampled (1 s advances, history and figures each second),
//    and for long jumps (integrated in ≤ 32 chunks);
//    The big world's steps are shared with compute workers (engine/sim/compute/parallel.ts), as
//    they are in the product; the bench waits until the workers have loaded before measuring;
//  - tick cost at ~1k, ~10k and ~100k vCPUs, per vCPU, as ratios against the 1k world (linear = 1.0),
//    on one thread (computeWorkers: 0) so the growth is the algorithm's, not the hand-off's.
// Each tick figure is the best of three rounds (five with the workers), in wall time and in this process's CPU time (all
// its threads): on a shared machine the wall clock also counts the time other processes held the CPU.
import { performance } from 'node:perf_hooks';
import { createSimulation, type Simulation } from '../engine/sim';
import { generateWorld } from '../engine/sim/fixture/generate';
import { median } from './interleave';

/** Bigger guests than the generator's default, so 20,000 domains run about 100,000 vCPUs. */
const VCPUS = [2, 4, 8, 8, 8, 8];

function world(hosts: number, domains: number, computeWorkers?: number): Simulation {
  const sim = createSimulation(generateWorld({ hosts, domains, seed: 2024, vcpuChoices: VCPUS }), { uri: 'sim:///bench', computeWorkers });
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

/** Steps until the compute workers have loaded (they start in the background on the first big step). */
async function workersReady(sim: Simulation): Promise<void> {
  for (let i = 0; i < 200; i++) {
    sim.advance(1000);
    const { workers, ready } = sim.computeParallelism();
    if (workers > 0 && ready === workers) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchCompute(report: (line: string) => void): Promise<void> {
  const sizes = [
    { hosts: 10, domains: 200 },
    { hosts: 100, domains: 2_000 },
    { hosts: 1_000, domains: 20_000 },
  ];
  const results: Array<{ vcpus: number; wall: number; cpu: number }> = [];
  for (const s of sizes) {
    const t0 = performance.now();
    const sim = world(s.hosts, s.domains, 0);
    const built = performance.now() - t0;
    const w = describe(sim);
    const cost = stepCost(sim, s.domains >= 20_000 ? 30 : 100);
    results.push({ vcpus: w.vcpus, ...cost });
    report(`${s.hosts} hosts / ${s.domains} domains: ${w.text}; built in ${built.toFixed(0)} ms; one thread: ${cost.wall.toFixed(2)} ms per 1 s tick (CPU ${cost.cpu.toFixed(2)} ms)`);
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
  const big = world(1_000, 20_000);
  await workersReady(big);
  const par = stepCost(big, 30, 5);
  const { workers, ready } = big.computeParallelism();
  report(
    `simulated seconds per wall second, every second sampled: ${(1000 / par.wall).toFixed(0)}× with ${ready}/${workers} compute workers ` +
      `(CPU ${par.cpu.toFixed(2)} ms per tick, all threads), ${(1000 / top.wall).toFixed(0)}× on one thread; target ≥ 200×`,
  );
  const t0 = performance.now();
  big.advance(3_600_000);
  const hour = performance.now() - t0;
  const t1 = performance.now();
  big.advance(30 * 86_400_000);
  const month = performance.now() - t1;
  report(`long jumps (chunked): 1 h in ${hour.toFixed(0)} ms (${(3600 / (hour / 1000)).toFixed(0)}×), 30 d in ${month.toFixed(0)} ms (${((30 * 86400) / (month / 1000)).toExponential(1)}×)`);
  // What each 1 s sample costs a reader: the TUI's store (the unsampled list, the samples table,
  // the hosts) against a full listDomains() (virsh list), which copies every running domain's snapshot.
  const afterSample = (read: () => void) => {
    const t: number[] = [];
    for (let i = 0; i < 10; i++) {
      big.advance(1000);
      const a = performance.now();
      read();
      t.push(performance.now() - a);
    }
    return median(t);
  };
  afterSample(() => big.listDomains({ sampled: false })); // warm-up: the first unsampled list builds every snapshot
  const store = afterSample(() => (big.listDomains({ sampled: false }), big.domainSamples(), big.listHosts()));
  const list = afterSample(() => big.listDomains());
  const t3 = performance.now();
  const json = big.stateJson();
  const save = performance.now() - t3;
  report(`reads after each 1 s sample (median of 10): the TUI store's ${store.toFixed(1)} ms (unsampled list, samples, hosts); a full listDomains() ${list.toFixed(1)} ms (every running domain's snapshot copied)`);
  report(`a save's text (stateJson, the scheduler's counters included): ${save.toFixed(0)} ms, ${(json.length / 1e6).toFixed(1)} MB of JSON`);
}
