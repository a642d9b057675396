// The command as a process: exit codes and streams through src/img/main.ts.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';
import { qemuImg, tempDir } from './helpers';

const t = tempDir();
const MAIN = resolve(__dirname, '../../src/img/main.ts');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

describe.skipIf(!hasTool('qemu-img'))('virtyard img as a process', () => {
  afterAll(() => t.cleanup());

  it('creates an image qemu-img reads, and reports errors without a stack trace', () => {
    const f = t.path('e.qcow2');
    const c = run('create', '-f', 'qcow2', f, '16M');
    expect(c.status).toBe(0);
    expect(c.stdout).toBe(`Formatting '${f}', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size=16777216 lazy_refcounts=off refcount_bits=16\n`);
    expect(JSON.parse(qemuImg('info', '--output=json', f).out)['virtual-size']).toBe(16 * 1024 * 1024);
    const bad = run('info', t.path('missing.qcow2'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^virtyard img: Could not open '.*missing.qcow2': .*No such file or directory\n$/);
    expect(run('check', '-f', 'raw', f).status).toBe(63);
  });
});
