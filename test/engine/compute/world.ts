// Small worlds for the scheduler tests: hosts with few pCPUs so contention is easy to arrange.
import type { FixtureDomain } from '../../../engine/sim/fixture/types';
import { createSimulation, type Simulation } from '../../../engine/sim';
import { dom, kvmHost, testWorld, xenHost } from '../sim/world';

export { dom };

const SMALL = { sockets: 1, cores: 2, threads: 1 };

/** kvm1/xen1 with 2 pCPUs each (kvm-big: 8), plus the usual test hosts; running domains given. */
export function computeSim(domains: FixtureDomain[], seed = 7): Simulation {
  const w = testWorld(domains, seed);
  w.hosts[0] = kvmHost('kvm1', { cpu: { ...w.hosts[0].cpu, ...SMALL }, memoryKiB: 64 * 1024 * 1024 });
  w.hosts[2] = xenHost('xen1', { cpu: { ...w.hosts[2].cpu, ...SMALL }, memoryKiB: 64 * 1024 * 1024, dom0: { vcpus: 1, memoryKiB: 1024 * 1024 } });
  w.hosts.push(kvmHost('kvmbig', { cpu: { ...w.hosts[0].cpu, sockets: 1, cores: 8, threads: 1 }, memoryKiB: 64 * 1024 * 1024 }));
  const sim = createSimulation(w, { uri: 'sim:///compute' });
  sim.pauseClock();
  return sim;
}

export function running(name: string, host: string, over: Partial<FixtureDomain> = {}): FixtureDomain {
  return dom(name, host, { state: 'running', ...over });
}

/** Mean of the last `n` samples of a domain's CPU% history. */
export function meanCpu(sim: Simulation, name: string, n = 10): number {
  const h = sim.vcpuHistory(name).cpuPercent.slice(-n).filter((x): x is number => x !== null);
  return h.reduce((a, b) => a + b, 0) / h.length;
}
