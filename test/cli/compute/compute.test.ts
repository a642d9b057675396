// Goldens of the compute commands on the default world and on a twin of virsh's test driver, plus
// byte-for-byte comparisons with real virsh where its test driver has the same data (pin tables,
// cpulist errors, option errors). Each golden was read and checked against virsh 9.0's formats.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { defaultWorld, inlineWorld, matchGolden, run, TEST_DRIVER_TWIN, transcript } from '../harness';

const DIR = join(import.meta.dirname, 'goldens');

const golden = (name: string, actual: string) => matchGolden(name, actual, DIR);

const CASES: Record<string, string[]> = {
  vcpuinfo: ['vcpuinfo web-01', 'vcpuinfo web-01 --pretty', 'vcpuinfo cirros-01', 'vcpuinfo Domain-0', 'vcpuinfo nosuch'],
  pinning: [
    'vcpupin db-01',
    'vcpupin db-01 2 4-7,^5',
    'vcpupin db-01',
    'vcpupin db-01 --vcpu 2',
    'vcpupin db-01 9',
    'vcpupin db-01 0 abc',
    'vcpupin db-01 0 3-1',
    'vcpupin db-01 0 99',
    'vcpupin db-01 --cpulist 1',
    'vcpupin db-01 9 1',
    'vcpupin db-01 2 r',
    'vcpupin cirros-01 0 1 --live',
    'vcpupin cirros-01 0 1',
    'vcpupin cirros-01 --config',
    'vcpupin db-01 --current --live',
    'emulatorpin db-01',
    'emulatorpin db-01 0-1',
    'emulatorpin db-01',
    'emulatorpin xen-web',
    'emulatorpin db-01 x',
    'vcpuinfo db-01',
  ],
  schedinfo: [
    'schedinfo web-01',
    'schedinfo web-01 --set cpu_shares=2048',
    'schedinfo web-01 cpu_shares=512,vcpu_quota=50000',
    'schedinfo web-01 --set vcpu_quota=-1',
    'schedinfo web-01 --set weight=5',
    'schedinfo web-01 --set cpu_shares=abc',
    'schedinfo web-01 --set cpu_shares',
    'schedinfo web-01 --set cpu_shares=1',
    'schedinfo web-01 --set vcpu_period=10',
    'schedinfo xen-web',
    'schedinfo xen-web --weight 512 --cap 50',
    'schedinfo xen-web --cap -1',
    'schedinfo cirros-01',
    'schedinfo cirros-01 --live',
  ],
  stats: [
    'domstats web-01',
    'domstats --state --list-shutoff',
    'domstats --vcpu --cpu-total xen-web',
    'domstats --balloon cirros-01',
    'domstats --dirtyrate db-01',
    'domstats --state --list-active --list-persistent',
    'dommemstat web-01',
    'dommemstat cirros-01',
    'cpu-stats web-01 --total',
    'cpu-stats web-01 --start 2 --count 3',
    'cpu-stats web-01 --start 30 --count 5',
    'cpu-stats web-01 --start 32',
    'cpu-stats cirros-01',
    'nodecpustats',
    'nodecpustats --percent',
    'nodecpustats --cpu 3',
    'nodecpustats --cpu 3 --percent',
    'nodecpustats --cpu 99',
    'nodememstats',
    'nodememstats --host old-01',
    'nodecpustats --host old-01 --cpu 3',
    'nodecpustats --host nosuch',
  ],
  'balloon-and-contention': [
    'setmem web-01 1G',
    'clock advance 5s',
    'dommemstat web-01',
    'domstats --balloon web-01',
    'schedinfo web-01 --set vcpu_quota=20000',
    'clock advance 5s',
    'vcpuinfo web-01',
    'domstats --vcpu web-01',
  ],
};

describe('compute command goldens (default world)', () => {
  for (const [name, steps] of Object.entries(CASES)) {
    it(name, () => golden(name, transcript(defaultWorld(), steps)));
  }
  it('json', () => {
    const sim = defaultWorld();
    const steps = ['vcpuinfo web-01', 'vcpupin web-01', 'emulatorpin web-01', 'schedinfo xen-web', 'domstats --state web-01', 'dommemstat web-01', 'nodecpustats --percent', 'nodememstats', 'cpu-stats web-01 --total', 'vcpupin web-01 0 abc'];
    golden('json', transcript(sim, steps, true));
  });
});

describe('every new command changes the world by exactly one event', () => {
  it('pin and schedinfo each emit one domain.changed', () => {
    const sim = defaultWorld();
    for (const [cmd, what] of [
      ['vcpupin web-01 0 1', 'vcpupin'],
      ['emulatorpin web-01 2', 'emulatorpin'],
      ['schedinfo web-01 --set cpu_shares=100', 'schedinfo'],
    ] as const) {
      const before = sim.recentEvents().length;
      expect(run(sim, cmd).exitCode).toBe(0);
      const events = sim.recentEvents().slice(before);
      expect(events.map((e) => (e.type === 'domain.changed' ? e.what : e.type))).toEqual([what]);
    }
    // Failures change nothing.
    const before = sim.toState();
    expect(run(sim, 'vcpupin web-01 0 99').exitCode).toBe(1);
    expect(run(sim, 'schedinfo web-01 cpu_shares=100,vcpu_quota=7').exitCode).toBe(1);
    expect(sim.toState()).toEqual(before);
  });
});

// Where virsh's test driver has the same data, the bytes must be the same.
const SAME_AS_VIRSH = [
  'vcpupin test',
  'vcpupin test 1',
  'vcpupin test 0 2; vcpupin test',
  'vcpupin test 0 1-3,^2; vcpupin test',
  'vcpupin test 0 abc',
  'vcpupin test 0 3-1',
  'vcpupin test 0 99',
  'vcpupin test 0 1-200',
  'vcpupin test --cpulist 1',
  'vcpupin test 7',
  'emulatorpin test',
  'emulatorpin test 1-2; emulatorpin test',
  'emulatorpin test 9',
  'emulatorpin test x',
];

describe.skipIf(!hasTool('virsh'))('compute commands byte for byte against virsh 9.0 (test:///default)', () => {
  for (const script of SAME_AS_VIRSH) {
    it(script, () => {
      const real = spawnSync('virsh', ['-c', 'test:///default', script], { encoding: 'utf8' });
      const ours = run(inlineWorld(TEST_DRIVER_TWIN), script);
      expect({ stdout: ours.stdout, stderr: ours.stderr, exit: ours.exitCode }).toEqual({ stdout: real.stdout, stderr: real.stderr, exit: real.status });
    });
  }
});
