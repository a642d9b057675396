// Byte-for-byte comparison with real virsh 9.0 on its test driver (test:///default) wherever
// virtyard can build the same situation: an inline world whose only domain mirrors the test
// driver's `test` domain (same name, UUID, vCPUs and memory, running as id 1). stdout, stderr
// and the exit status must be identical.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';
import { inlineWorld, run, TEST_DRIVER_TWIN } from './harness';

const SCRIPTS = [
  // tables and bare lists
  'list',
  'list --all',
  'list --name',
  'list --uuid',
  'list --id',
  'list --all --uuid --id --name',
  'list --transient',
  'list --inactive',
  'list --all --table --name',
  'suspend test; list',
  'destroy test; list --all',
  'destroy test; list --state-shutoff',
  'destroy test; list --all --id',
  'destroy test; list --all --name --id',
  // lookups
  'domuuid test',
  'domuuid 1',
  'domid test',
  'domid 6695eb01-f6a4-8304-79aa-97f2502e193f',
  'domname 1',
  'domname test',
  'domid nosuch',
  'dominfo nosuch',
  'destroy test; domid test',
  // vcpucount
  'vcpucount test',
  'vcpucount test --maximum',
  'vcpucount test --live',
  'vcpucount test --current',
  'destroy test; vcpucount test',
  'destroy test; vcpucount test --live',
  // syntax errors
  'frobnicate',
  'list; frobnicate',
  'list --bogus',
  'start',
  'domstate',
  'dominfo test extra',
  'dominfo --domain',
  'domstate test --reason --reason',
  'list --name=x',
  'setvcpus 2 --domain test',
  'domid "test',
  'domid test # hello; domid x',
  ';;domid test;;',
  // value errors
  'setmem test abc',
  'setmem test -1',
  'setmem test 1.5G',
  'setmem test 0',
  'setmem test 10P',
  'setmem test 20E',
  'setmem test 99999999999999999999',
  'setmem test 1500b --config; setmem test 2KB --config',
  'setvcpus test -1',
  'setvcpus test abc',
  'setvcpus test 0',
  'setvcpus test 4294967296',
  'setvcpus test 1 --live --current',
  'setvcpus test 1 --maximum',
  'setmem test 1G --live --current',
  'setmaxmem test 1G',
  // lifecycle
  'start test',
  'suspend test; suspend test',
  'resume test',
  'suspend 1; resume 6695eb01-f6a4-8304-79aa-97f2502e193f',
  'destroy test; destroy test',
  'destroy test; reboot test',
  'destroy test; suspend test',
  'destroy test; resume test',
  'destroy test; setvcpus test 1',
  'destroy test; setmem test 1G',
  'destroy 1; start test',
  'reset test',
  'autostart test; autostart --disable test',
  'autostart nosuch',
  'managedsave-remove test',
  'destroy test; managedsave-remove test',
  'domrename test foo',
  'destroy test; domrename test foo; list --all',
  'destroy test; undefine test; list --all',
  'undefine test',
  // help
  'help dominfo',
  'help domstate',
  'help domid',
  'help domname',
  'help domuuid',
  'help autostart',
  'help domrename',
  // not help nodeinfo: it lists virtyard's --host (a connection here reaches every host)
  'help hostname',
  'help uri',
  'help nosuch',
  // empty option values are virsh's own runtime error
  "dominfo ''",
  "start ''; domid test",
  "domrename test ''",
  // vcpucount's option pairs
  'vcpucount test --config --live',
  'vcpucount test --config --current',
  'vcpucount test --live --current',
  'vcpucount test --maximum --current --live',
  // a UUID is tried only in its dashed form
  'dominfo 6695eb01f6a4830479aa97f2502e193f',
  'domid 6695EB01-F6A4-8304-79AA-97F2502E193F',
  // transient domains
  'undefine test; setvcpus test 1 --config',
  'undefine test; setmem test 1G --config',
  'undefine test; setmaxmem test 1G --config',
  'undefine test; vcpucount test --config',
];

// The same twin plus a shut-off domain vm1, which virsh gets from `define` (its message dropped).
const VM1_TWIN = `${TEST_DRIVER_TWIN}
  - name: vm1
    uuid: 4f6c2a1e-0000-4000-8000-000000000001
    host: vm
    os: debian12
    vcpus: { current: 1, max: 2 }
    memory: 512MiB
    state: shut off
`;
const VM1_XML =
  "<domain type='test'><name>vm1</name><uuid>4f6c2a1e-0000-4000-8000-000000000001</uuid>" +
  "<memory unit='MiB'>512</memory><currentMemory unit='MiB'>512</currentMemory><vcpu current='1'>2</vcpu>" +
  '<os><type>hvm</type></os></domain>';

const VM1_SCRIPTS = [
  'list --all',
  'start vm1; domid vm1; destroy vm1; start vm1; domid vm1',
  'domrename vm1 vm1',
  'domrename vm1 test',
  // --current on a shut-off domain is its persistent config
  'setvcpus vm1 2 --current; vcpucount vm1',
  'setmem vm1 1G --current',
  'setmaxmem vm1 1G --current; setmem vm1 1G --current; vcpucount vm1',
  'setvcpus vm1 3 --maximum --current',
  'setvcpus vm1 3 --config --maximum; setvcpus vm1 3 --current; vcpucount vm1',
  'setvcpus vm1 2; setmem vm1 256M',
  'vcpucount vm1 --config --live',
  'vcpucount vm1 --current --maximum',
  'autostart vm1; list --all --autostart; list --all --no-autostart',
];

describe.skipIf(!hasTool('virsh'))('output identical to virsh 9.0 (test:///default)', () => {
  for (const script of SCRIPTS) {
    it(script, () => {
      const real = spawnSync('virsh', ['-c', 'test:///default', script], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      const ours = run(inlineWorld(TEST_DRIVER_TWIN), script);
      expect({ stdout: ours.stdout, stderr: ours.stderr, exit: ours.exitCode }).toEqual({
        stdout: real.stdout,
        stderr: real.stderr,
        exit: real.status,
      });
    });
  }
});

describe.skipIf(!hasTool('virsh'))('output identical to virsh 9.0 with a shut-off domain defined', () => {
  const dir = mkdtempSync(join(tmpdir(), 'virtyard-compat-'));
  const xml = join(dir, 'vm1.xml');
  writeFileSync(xml, VM1_XML);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const script of VM1_SCRIPTS) {
    it(script, () => {
      const real = spawnSync('virsh', ['-c', 'test:///default', `define ${xml}; ${script}`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      const ours = run(inlineWorld(VM1_TWIN), script);
      // Drop define's message and its blank line.
      const stdout = real.stdout.split('\n').slice(2).join('\n');
      expect({ stdout: ours.stdout, stderr: ours.stderr, exit: ours.exitCode }).toEqual({ stdout, stderr: real.stderr, exit: real.status });
    });
  }
});
