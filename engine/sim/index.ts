// engine/sim entry points for src/: build a simulated world from a fixture, or from saved state.

import { isVirError } from '../api/errors';
import * as life from './domains/lifecycle';
import type { FixtureWorld } from './fixture/types';
import { Simulation, type SimulationOptions } from './simulation';
import { baseState, populate } from './world/build';

export { Simulation, LIBRARY_VERSION, type SimulationOptions } from './simulation';
export type { SimState } from './world/state';

/**
 * Builds the world: hosts, networks, pools, Domain-0s, the fixture's domains (running/paused ones
 * get ids 1, 2, 3… in fixture order and a seeded uptime), then autostarts shut-off autostart
 * domains — those starts are events after the world's 'loaded' event.
 */
export function createSimulation(world: FixtureWorld, opts: SimulationOptions): Simulation {
  const sim = new Simulation(baseState(world), opts);
  const w = sim.world;
  const leftOff = populate(w, world);
  sim.primeStatistics();
  const note = leftOff.length
    ? `; ${leftOff.length} left shut off for lack of host memory (${leftOff.slice(0, 5).join(', ')}${leftOff.length > 5 ? ', …' : ''})`
    : '';
  w.bus.emit({ type: 'world', what: 'loaded', message: `World loaded: ${world.hosts.length} hosts, ${world.domains.length} domains${note}` });
  for (const fd of world.domains) {
    if (fd.state !== 'shut off' || !fd.autostart || !fd.persistent) continue;
    const d = w.byName.get(fd.name);
    if (!d || d.id !== null) continue;
    try {
      life.start(w, d);
    } catch (e) {
      // Like libvirtd, a domain that cannot autostart stays off; the others still start.
      if (!isVirError(e)) throw e;
    }
  }
  return sim;
}
