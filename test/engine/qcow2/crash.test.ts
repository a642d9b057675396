// Crash safety: a writer process is SIGKILLed at random points; qemu-img check must then report
// no corruption (leaks are tolerated) and every write acknowledged by a completed flush must
// read back.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage } from '../../../engine/qcow2';
import { tmpDir, qemuCheck, rng } from './helpers';
import { crashOps } from './crash-ops';

const RUNS = Number(process.env.QCOW2_CRASH_RUNS ?? 50);
const SIZE = 256 << 20;

function runWriter(file: string, every: number, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-writer.ts'), file, String(every)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) return reject(new Error(`writer failed (${code}): ${err}`));
      const flushed = [...out.matchAll(/^flushed (\d+)$/gm)].map((m) => Number(m[1]));
      resolve(flushed.length ? flushed[flushed.length - 1] : -1);
    });
  });
}

describe.skipIf(!hasTool('qemu-img'))('qcow2 crash safety under SIGKILL', () => {
  it(`survives ${RUNS} kills at random points`, async () => {
    const dir = tmpDir();
    const r = rng(99);
    const ops = crashOps(SIZE);
    let sawFlush = 0;
    for (let run = 0; run < RUNS; run++) {
      const file = path.join(dir, `crash${run}.qcow2`);
      // Small clusters so L2 tables, refcount blocks, the refcount table and L1 all grow.
      createImage(file, { format: 'qcow2', size: SIZE, clusterSize: run % 2 ? 512 : 4096, compat: run % 5 === 4 ? '0.10' : '1.1' });
      const last = await runWriter(file, 5 + Math.floor(r() * 20), Math.floor(r() * 250));
      if (last >= 0) sawFlush++;
      const q = qemuCheck(file);
      expect([0, 3], `run ${run}: qemu-img check ${JSON.stringify(q.json)}`).toContain(q.status);
      expect(checkImage(file).corruptions).toBe(0);
      const img = openImage(file, { readOnly: true });
      for (let i = 0; i <= last; i++) {
        const op = ops[i];
        if (!img.read(op.off, op.len).equals(op.data())) throw new Error(`run ${run}: write ${i} acknowledged by flush ${last} is lost`);
      }
      img.close();
    }
    expect(sawFlush).toBeGreaterThan(RUNS / 2);
  }, 120_000);
});
