// Per-fixture logins: `users:` in a world fixture replaces root/virtyard on every guest console.
import { describe, expect, it } from 'vitest';
import { loadFixtureText } from '../../../engine/sim/fixture/index';
import { createSimulation } from '../../../engine/sim';
import { text } from './world';

const YAML = (users: string) => `
hosts:
  - { name: h1, hypervisor: kvm, memory: 16GiB }
networks:
  - { name: default, forward: nat, bridge: virbr0, ip: 192.168.122.1/24, dhcp: { start: 192.168.122.2, end: 192.168.122.254 } }
domains:
  - { name: vm, host: h1, state: running, nics: [ default ] }
${users}
`;

describe('fixture users', () => {
  it('logs in with the fixture user and refuses the default one', () => {
    const world = loadFixtureText(YAML('users:\n  - { name: ops, password: "pa ss" }'), 'users.yaml');
    expect(world.users).toEqual([{ name: 'ops', password: 'pa ss' }]);
    const sim = createSimulation(world, { uri: 'sim:///users' });
    sim.advance(1000);
    const c = sim.openConsole('vm', { cols: 100, rows: 30 });
    c.write('root\rvirtyard\r');
    sim.advance(2000);
    expect(text(c.lines())).toMatch(/Login incorrect\n[\s\S]*vm login:$/);
    c.write('ops\rpa ss\r');
    expect(text(c.lines())).toMatch(/ops@vm:~\$$/);
    // persisted with the world
    expect(sim.toState().guest?.users).toEqual([{ name: 'ops', password: 'pa ss' }]);
  });

  it('without users the default root/virtyard works', () => {
    const sim = createSimulation(loadFixtureText(YAML(''), 'plain.yaml'), { uri: 'sim:///plain' });
    sim.advance(1000);
    const c = sim.openConsole('vm', { cols: 100, rows: 30 });
    c.write('root\rvirtyard\r');
    expect(text(c.lines())).toMatch(/root@vm:~#$/);
  });

  it('bad entries are fixture errors naming the field', () => {
    expect(() => loadFixtureText(YAML('users:\n  - { name: "Bad Name", password: x }'), 'bad.yaml')).toThrow(/bad\.yaml:\d+:\d+: users\[0\]\.name: expected a login name/);
    expect(() => loadFixtureText(YAML('users:\n  - { name: ops }'), 'bad.yaml')).toThrow(/users\[0\]\.password/);
  });
});
