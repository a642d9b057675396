// Test worlds for the UI: the default fixture or a generated one, as a real Simulation with a
// PAUSED clock (frames are deterministic), plus the real command runner the CLI uses.
import { loadDefaultFixture } from '../../engine/sim/fixture/default';
import { generateWorld } from '../../engine/sim/fixture/generate';
import { type Simulation, createSimulation } from '../../engine/sim/index';
import { createRunner } from '../../src/commands/runner';
import type { CommandRunner } from '../../ui/runner';

export interface TestWorld {
  sim: Simulation;
  runner: CommandRunner;
}

export function defaultWorld(): TestWorld {
  const sim = createSimulation(loadDefaultFixture(), { uri: 'sim:///default' });
  sim.pauseClock();
  return { sim, runner: createRunner({ conn: sim }) };
}

export function generatedWorld(hosts: number, domains: number, seed = 7): TestWorld {
  const sim = createSimulation(generateWorld({ hosts, domains, seed }), { uri: `sim:///generate?hosts=${hosts}&domains=${domains}&seed=${seed}` });
  sim.pauseClock();
  return { sim, runner: createRunner({ conn: sim }) };
}
