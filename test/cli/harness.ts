// In-process runs of the command table for goldens: a fresh simulated world (default or an
// inline fixture) with its clock paused, a transcript of each step's stdout, stderr and exit
// status, and golden files under test/cli/goldens (UPDATE_GOLDENS=1 rewrites them).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createSimulation, type Simulation } from '../../engine/sim/index';
import { loadDefaultFixture, loadFixtureText } from '../../engine/sim/fixture/index';
import { runScript } from '../../src/commands/run';

export function defaultWorld(): Simulation {
  const sim = createSimulation(loadDefaultFixture(), { uri: 'sim:///default' });
  sim.pauseClock();
  return sim;
}

export function inlineWorld(yaml: string): Simulation {
  const sim = createSimulation(loadFixtureText(yaml, 'inline.yaml'), { uri: 'sim:///inline.yaml' });
  sim.pauseClock();
  return sim;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function run(sim: Simulation, script: string, json = false): Outcome {
  let stdout = '';
  let stderr = '';
  const exitCode = runScript(script, sim, json, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { stdout, stderr, exitCode };
}

/** Runs each step on the same world; the transcript shows every byte (trailing blanks too). */
export function transcript(sim: Simulation, steps: string[], json = false): string {
  return steps
    .map((step) => {
      const o = run(sim, step, json);
      return `### ${step}\n--- stdout\n${o.stdout}--- stderr\n${o.stderr}--- exit ${o.exitCode}\n`;
    })
    .join('\n');
}

const GOLDEN_DIR = join(import.meta.dirname, 'goldens');

export function matchGolden(name: string, actual: string, dir = GOLDEN_DIR): void {
  const file = join(dir, `${name}.txt`);
  if (process.env.UPDATE_GOLDENS === '1') {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden ${file} is missing: run with UPDATE_GOLDENS=1, then read and check it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** One domain shaped like libvirt's test:///default 'test' domain, for byte-for-byte comparisons with real virsh. */
export const TEST_DRIVER_TWIN = `
seed: 1
start: 2030-01-01T00:00:00Z
hosts:
  - name: vm
    hypervisor: kvm
    cpu: { model: i686, vendor: intel, sockets: 2, cores: 2, threads: 2, mhz: 1400, hvm: true }
    memory: 64GiB
domains:
  - name: test
    uuid: 6695eb01-f6a4-8304-79aa-97f2502e193f
    host: vm
    os: debian12
    vcpus: 2
    memory: { current: 2GiB, max: 8GiB }
    state: running
`;
