// Shared test plumbing: a temp dir per suite, qemu-img/qemu-io runners, and runImg with captured output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImg } from '../../src/img/index';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export function img(...argv: string[]): Run {
  let out = '';
  let err = '';
  const code = runImg(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

export function qemuImg(...argv: string[]): Run {
  const r = spawnSync('qemu-img', argv, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** qemu-io with one or more -c commands; throws when it reports a failure. */
export function qemuIo(file: string, ...cmds: string[]): void {
  const args = ['-f', 'qcow2', ...cmds.flatMap((c) => ['-c', c]), file];
  if (file.endsWith('.raw')) args[1] = 'raw';
  const r = spawnSync('qemu-io', args, { encoding: 'utf8' });
  if (r.status !== 0 || /error|failed/i.test(r.stdout + r.stderr)) throw new Error(`qemu-io ${cmds.join('; ')}: ${r.stdout}${r.stderr}`);
}

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'virtyard-img-'));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Parses JSON output and drops fields that legitimately differ between tools (sizes on disk, times). */
export function normalized(json: string): unknown {
  const drop = new Set(['actual-size', 'date-sec', 'date-nsec']);
  return JSON.parse(json, (k, v) => (drop.has(k) ? undefined : v));
}

export function dropDiskSize(human: string): string {
  return human.replace(/^disk size: .*\n/m, '');
}
