// Goldens of every command's output on the default world, errors and exit codes included.
// Each golden was read and checked against virsh.md and real virsh 9.0 (test:///default) output
// for the equivalent situation; see virsh-compat.test.ts for the byte-for-byte comparisons.

import { describe, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index';
import { defaultWorld, inlineWorld, matchGolden, transcript } from './harness';

const cases: Record<string, string[]> = {
  list: [
    'list',
    'list --all',
    'list --inactive',
    'list --all --name',
    'list --uuid',
    'list --id',
    'list --all --id --uuid --name',
    'list --state-paused',
    'list --state-shutoff',
    'list --state-running --state-paused --name',
    'list --inactive --state-running',
    'list --persistent --name',
    'list --transient',
    'list --all --autostart --name',
    'list --all --no-autostart --name',
    'list --all --table',
    'list --all --table --name',
  ],
  dominfo: ['dominfo web-01', 'dominfo 1', 'dominfo cirros-01', 'dominfo xen-web', 'dominfo old-alpine', 'dominfo dev-01', 'dominfo nosuch'],
  'domstate-domid-domname-domuuid': [
    'domstate web-01',
    'domstate dev-01 --reason',
    'domstate cirros-01 --reason',
    'domid web-01',
    'domid cirros-01',
    'domid 1',
    'domname 1',
    'domname web-01',
    'domuuid web-01',
    'domuuid 2',
    'domuuid nosuch',
  ],
  lifecycle: [
    'start web-01',
    'start cirros-01',
    'domstate cirros-01 --reason',
    'suspend cirros-01',
    'suspend cirros-01',
    'domstate cirros-01 --reason',
    'resume cirros-01',
    'resume cirros-01',
    'domstate cirros-01 --reason',
    'reboot cirros-01',
    'reset cirros-01',
    'shutdown cirros-01',
    'domstate cirros-01 --reason',
    'clock advance 1m',
    'domstate cirros-01 --reason',
    'shutdown cirros-01',
    'destroy cirros-01',
    'reboot cirros-01',
    'suspend cirros-01',
    'resume cirros-01',
    'destroy web-01',
    'domstate web-01 --reason',
    'destroy 2',
    'start old-win',
    'start nosuch',
  ],
  'managedsave-autostart-undefine-rename': [
    'managedsave web-01',
    'list --all --managed-save',
    'domstate web-01 --reason',
    'dominfo web-01',
    'managedsave-remove web-01',
    'managedsave-remove web-01',
    'managedsave cirros-01',
    'managedsave db-01',
    'start db-01',
    'domstate db-01 --reason',
    'autostart cirros-01',
    'list --all --autostart --name',
    'autostart --disable cirros-01',
    'domrename web-01 web-02',
    'domrename db-01 db-02',
    'domrename cirros-01 web-02',
    'domrename cirros-01 cirros-02',
    'undefine cirros-02',
    'undefine db-01',
    'list --transient',
    'dominfo db-01',
    'destroy db-01',
    'list --all --name',
    'undefine nosuch',
    'managedsave build-01',
    'undefine build-01',
    'undefine build-01 --managed-save',
    'list --all --name',
  ],
  resources: [
    'vcpucount web-01',
    'vcpucount cirros-01',
    'vcpucount web-01 --maximum',
    'vcpucount web-01 --active',
    'vcpucount web-01 --config --maximum',
    'vcpucount cirros-01 --live',
    'vcpucount cirros-01 --current',
    'vcpucount web-01 --current --live',
    'vcpucount web-01 --active --maximum',
    'setvcpus web-01 3',
    'setvcpus web-01 0',
    'setvcpus web-01 -1',
    'setvcpus web-01 abc',
    'setvcpus web-01 99',
    'setvcpus web-01 8 --config',
    'setvcpus web-01 8 --maximum',
    'setvcpus web-01 8 --config --maximum',
    'setvcpus web-01 1 --live --current',
    'vcpucount web-01',
    'setvcpus cirros-01 2',
    'setvcpus cirros-01 1 --config',
    'setmem web-01 1G',
    'setmem web-01 1500b --config',
    'setmem web-01 0',
    'setmem web-01 -1',
    'setmem web-01 abc',
    'setmem web-01 1.5G',
    'setmem web-01 10P',
    'setmem web-01 64G',
    'setmem cirros-01 128M',
    'setmem web-01 1G --current --config',
    'setmaxmem web-01 8G',
    'setmaxmem cirros-01 2G --config',
    'setmaxmem cirros-01 0 --config',
    'dominfo web-01',
    'dominfo cirros-01',
  ],
  host: ['nodeinfo', 'nodeinfo --host xen-01', 'nodeinfo --host nosuch', 'hostname', 'uri', 'version', 'version --daemon', 'hosts'],
  'virtyard-additions': [
    'clock status',
    'clock advance 90s',
    'clock advance 1h30m',
    'clock advance 500ms',
    'clock status',
    'clock speed 10',
    'clock speed fast',
    'clock resume',
    'clock pause',
    'clock advance',
    'clock advance 10',
    'clock pause now',
    'clock rewind',
    'workload web-01 cpu-burn',
    'workload web-01 nope',
    'workload nosuch idle',
  ],
  'syntax-and-lists': [
    'frobnicate',
    'list --bogus',
    'start',
    'dominfo web-01 extra',
    'dominfo --domain',
    'dominfo --domain=web-01',
    'domstate web-01 --reason --reason',
    'list --all=yes',
    'setvcpus 2 --domain web-01',
    'list; frobnicate',
    'domid web-01; domid nosuch',
    'domid nosuch; domid web-01',
    'domid "web-01"; domid web\\-01 # a comment; domid nosuch',
    'domid "web-01',
    ';; domid web-01 ;;',
    '',
  ],
  help: ['help', 'help domain', 'help virtyard', 'help nosuch', ...COMMANDS.map((c) => `help ${c.name}`)],
};

const jsonCases: Record<string, string[]> = {
  json: [
    'list --all',
    'dominfo web-01',
    'domstate dev-01',
    'domid cirros-01',
    'vcpucount web-01',
    'vcpucount web-01 --maximum',
    'start web-01',
    'destroy web-01',
    'setmem web-01 1G --config',
    'setmem web-01 1.5G',
    'nodeinfo',
    'hosts',
    'clock status',
    'dominfo nosuch',
    'frobnicate',
    'help start',
  ],
};

const TINY = `
seed: 7
start: 2030-01-01T00:00:00Z
hosts:
  - name: lab-host-with-a-long-name
    hypervisor: kvm
    cpu: { model: Test CPU, vendor: intel, sockets: 1, cores: 2, threads: 1, mhz: 1000, hvm: true }
    memory: 8GiB
domains:
  - name: lab.vm
    host: lab-host-with-a-long-name
    os: cirros
    vcpus: 1
    memory: 256MiB
    state: running
  - name: a-rather-long-domain-name-01
    host: lab-host-with-a-long-name
    os: cirros
    vcpus: 1
    memory: 128MiB
    state: shut off
`;

describe('goldens: default world', () => {
  for (const [name, steps] of Object.entries(cases)) {
    it(name, () => matchGolden(name, transcript(defaultWorld(), steps)));
  }
  for (const [name, steps] of Object.entries(jsonCases)) {
    it(name, () => matchGolden(name, transcript(defaultWorld(), steps, true)));
  }
});

describe('goldens: small inline fixture', () => {
  it('quoting and long names', () =>
    matchGolden(
      'inline-tiny',
      transcript(inlineWorld(TINY), ['list --all', "dominfo 'lab.vm'", 'dominfo "lab.vm"', 'suspend lab\\.vm', 'list --all --uuid --name', 'hosts', 'nodeinfo', 'hostname']),
    ));
});
