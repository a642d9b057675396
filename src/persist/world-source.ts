// Builds the world a connect URI names (from the engine's fixture loader / generator) and opens
// its persisted store.

import { createSimulation, Simulation, type SimState } from '../../engine/sim/index';
import { generateWorld, loadDefaultFixture, loadFixtureFile, type FixtureWorld } from '../../engine/sim/fixture/index';
import type { WorldSpec } from '../config';
import { WorldStore } from './store';

export type SimStore = WorldStore<Simulation, SimState>;

export function loadWorld(spec: WorldSpec, seed?: number): FixtureWorld {
  const world =
    spec.kind === 'default'
      ? loadDefaultFixture()
      : spec.kind === 'file'
        ? loadFixtureFile(spec.path)
        : generateWorld({ hosts: spec.hosts, domains: spec.domains, seed: spec.seed });
  return seed === undefined ? world : { ...world, seed };
}

export interface OpenOptions {
  spec: WorldSpec;
  dir: string;
  reset?: boolean;
  seed?: number;
  now?: () => number;
  lockTimeoutMs?: number;
  deferCreateSave?: boolean;
}

export function openWorld(o: OpenOptions): SimStore {
  return WorldStore.open<Simulation, SimState>({
    dir: o.dir,
    uri: o.spec.uri,
    reset: o.reset,
    now: o.now,
    lockTimeoutMs: o.lockTimeoutMs,
    deferCreateSave: o.deferCreateSave,
    create: () => createSimulation(loadWorld(o.spec, o.seed), { uri: o.spec.uri }),
    // The state was just parsed from the file: nothing else holds it.
    restore: (state) => Simulation.adopt(state, { uri: o.spec.uri }),
  });
}
