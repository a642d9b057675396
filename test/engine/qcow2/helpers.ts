// Shared helpers for the qcow2 tests: temp dirs, qemu tool runners, deterministic data.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tmpDir(prefix = 'vy-qcow2-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function run(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function qemuImg(...args: string[]): string {
  const r = run('qemu-img', args);
  if (r.status !== 0) throw new Error(`qemu-img ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function qemuIo(file: string, ...cmds: string[]): string {
  const args = [];
  for (const c of cmds) args.push('-c', c);
  const r = run('qemu-io', [...args, file]);
  if (r.status !== 0 || /fail|error|Pattern verification/i.test(r.stdout + r.stderr)) {
    throw new Error(`qemu-io ${cmds.join(' ; ')} failed: ${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

export interface QemuCheck {
  status: number;
  json: Record<string, number | string | boolean>;
}

export function qemuCheck(file: string): QemuCheck {
  const r = run('qemu-img', ['check', '--output=json', file]);
  return { status: r.status, json: r.stdout.trim() ? JSON.parse(r.stdout) : {} };
}

/** Guest contents as qemu-img sees them. */
export function qemuRaw(file: string): Buffer {
  const out = path.join(path.dirname(file), `${path.basename(file)}.${process.pid}.raw`);
  qemuImg('convert', '-O', 'raw', file, out);
  const b = fs.readFileSync(out);
  fs.rmSync(out);
  return b;
}

/** Small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pattern(len: number, seed: number): Buffer {
  const b = Buffer.alloc(len);
  let x = seed * 2654435761;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
