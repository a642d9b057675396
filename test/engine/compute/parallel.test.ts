// Steps shared out across compute workers (engine/sim/compute/parallel.ts) give the serial world,
// bit for bit: same state, same history, same statistics, through lifecycle changes, pinning,
// workload changes and long jumps that rebuild the layout and the history rings.
// The workers run the bundled dist/compute-worker.js (npm test builds it first).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine/sim';
import { generateWorld } from '../../../engine/sim/fixture/generate';

const WORKER = new URL('../../../dist/compute-worker.js', import.meta.url);
const built = existsSync(WORKER);
if (!built) {
  if (process.env.CI === 'true') throw new Error('dist/compute-worker.js missing: run `npm run build` (CI=true never skips)');
  console.warn('\n*** SKIPPING parallel scheduler tests: dist/compute-worker.js not built (npm run build) ***\n');
}

function world(workers: number): Simulation {
  const sim = createSimulation(generateWorld({ hosts: 14, domains: 300, seed: 11 }), { uri: 'sim:///par', computeWorkers: workers });
  sim.pauseClock();
  return sim;
}

/** Everything the scheduler's figures reach: state, per-domain stats and history, per-host maps. */
function observe(sim: Simulation): unknown {
  const active = sim.listDomains().filter((d) => d.id !== null);
  return {
    state: sim.toState(),
    stats: sim.domainStats(),
    history: active.map((d) => sim.vcpuHistory(d.uuid)),
    vcpus: active.map((d) => sim.vcpuInfo(d.uuid)),
    hosts: sim.listHosts().map((h) => [h, sim.hostCpuMap(h.name), sim.nodeCpuStats({ host: h.name })]),
    fleet: sim.fleetLoad(),
  };
}

/** The same script of changes and advances on any world. */
function script(sim: Simulation): unknown[] {
  const seen: unknown[] = [];
  const running = () => sim.listDomains().filter((d) => d.state === 'running' && d.name !== 'Domain-0');
  const off = () => sim.listDomains().filter((d) => d.state === 'shut off');
  sim.advance(5_000);
  seen.push(observe(sim));
  const [a, b, c] = running();
  sim.pinVcpu(a.uuid, 0, '0');
  sim.setWorkload(b.uuid, 'cpu-burn');
  sim.destroyDomain(c.uuid);
  for (const d of off().slice(0, 3)) {
    try {
      sim.startDomain(d.uuid);
    } catch {
      // memory admission may refuse it: the same on both worlds
    }
  }
  sim.advance(7_300);
  seen.push(observe(sim));
  sim.advance(3_600_000); // a long jump: integrated in chunks, history rings re-gridded
  seen.push(observe(sim));
  sim.suspendDomain(running()[0].uuid);
  sim.advance(2_000);
  seen.push(observe(sim));
  return seen;
}

/** Steps until every worker has loaded (they start in the background on the first step); the steps taken. */
async function warm(sim: Simulation): Promise<number> {
  for (let i = 1; i <= 500; i++) {
    sim.advance(100);
    const p = sim.computeParallelism();
    if (p.workers > 0 && p.ready === p.workers) return i;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('compute workers never became ready');
}

describe.skipIf(!built)('parallel steps', () => {
  it.each([1, 2])('%i worker(s): the same world as one thread, step for step', async (n) => {
    const serial = world(0);
    const parallel = world(n);
    // warm() stepped the parallel world in 100 ms steps: step the serial one alike.
    const steps = await warm(parallel);
    for (let i = 0; i < steps; i++) serial.advance(100);

    const before = parallel.computeParallelism().offloaded;
    const want = script(serial);
    const got = script(parallel);
    const stats = parallel.computeParallelism();
    expect(stats.workers).toBe(n);
    expect(stats.offloaded).toBeGreaterThan(before); // the workers stepped blocks of this script
    expect(serial.computeParallelism().workers).toBe(0);
    for (let i = 0; i < want.length; i++) expect(got[i]).toEqual(want[i]);
  }, 60_000);
});
