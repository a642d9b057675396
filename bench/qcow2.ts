// qcow2 benchmark: virtyard against qemu-img / qemu-io, measured in the same run, reported as
// ratios (virtyard time ÷ qemu time; lower is better). Targets: convert ≤ 1.5×, I/O ≤ 1.3×.
// Run alone with `node --import tsx bench/qcow2.ts`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createImage, openImage } from '../engine/qcow2/index';
import { runImg } from '../src/img/index';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const OPS = 4096;
const BLOCK = 64 * 1024;

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')}…: ${r.stderr || r.stdout}`);
}


/**
 * Runs qemu and virtyard alternately, `rounds` times each, and keeps each side's best time: the
 * machine is shared, and alternating exposes both sides to the same background load.
 */
function duel(rounds: number, qemu: () => void, ours: () => void, before?: (side: 'qemu' | 'ours') => void): { q: number; v: number } {
  let q = Infinity;
  let v = Infinity;
  for (let i = 0; i < rounds; i++) {
    before?.('qemu');
    let t = performance.now();
    qemu();
    q = Math.min(q, performance.now() - t);
    before?.('ours');
    t = performance.now();
    ours();
    v = Math.min(v, performance.now() - t);
  }
  return { q, v };
}

function line(what: string, ours: number, theirs: number, target: number): string {
  const ratio = ours / theirs;
  const verdict = ratio <= target ? 'ok' : `OVER target ${target}×`;
  return `${what.padEnd(38)} virtyard ${ours.toFixed(0).padStart(6)} ms  qemu ${theirs.toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}×  (${verdict})`;
}

function makeSource(path: string): void {
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(8 * MiB);
  for (let off = 0; off < GiB / 2; off += buf.length) writeSync(fd, randomFillSync(buf), 0, buf.length, off);
  buf.fill(0); // the second half is written zeros, not a hole: zero detection must find it
  for (let off = GiB / 2; off < GiB; off += buf.length) writeSync(fd, buf, 0, buf.length, off);
  closeSync(fd);
}

function ioCommands(op: 'write' | 'read'): string[] {
  const args: string[] = [];
  for (let i = 0; i < OPS; i++) args.push('-c', op === 'write' ? `write -P ${(i % 250) + 1} ${i * BLOCK} ${BLOCK}` : `read ${i * BLOCK} ${BLOCK}`);
  return args;
}

function ourWrites(file: string): void {
  const img = openImage(file, { format: 'qcow2' });
  const buf = Buffer.alloc(BLOCK);
  for (let i = 0; i < OPS; i++) {
    buf.fill((i % 250) + 1);
    img.write(i * BLOCK, buf);
  }
  img.flush();
  img.close();
}

function ourReads(file: string): void {
  const img = openImage(file, { format: 'qcow2', readOnly: true });
  let sum = 0;
  for (let i = 0; i < OPS; i++) sum += img.read(i * BLOCK, BLOCK)[0];
  img.close();
  if (sum === 0) throw new Error('reads returned zeroes: the write phase did not land');
}

function fresh(file: string): void {
  const r = createImage(file, { format: 'qcow2', size: GiB }) as unknown;
  if (r && typeof (r as { close?: unknown }).close === 'function') (r as { close: () => void }).close();
}

export async function benchQcow2(report: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'virtyard-bench-qcow2-'));
  const quiet = { stdout: () => {}, stderr: (s: string) => report(s.trimEnd()) };
  try {
    const src = join(dir, 'src.raw');
    makeSource(src);
    const qOut = join(dir, 'q.qcow2');
    const vOut = join(dir, 'v.qcow2');
    const conv = duel(
      5,
      () => sh('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', src, qOut]),
      () => {
        if (runImg(['convert', '-f', 'raw', '-O', 'qcow2', src, vOut], quiet) !== 0) throw new Error('virtyard img convert failed');
      },
      // Start each run with no dirty page cache, so neither side pays for the other's writeback.
      () => sh('sync', []),
    );
    sh('qemu-img', ['compare', '-f', 'raw', '-F', 'qcow2', src, vOut]);
    report(line('convert 1 GiB raw→qcow2 (½ random)', conv.v, conv.q, 1.5));
    rmSync(src);

    const qImg = join(dir, 'qio.qcow2');
    const vImg = join(dir, 'vio.qcow2');
    const writes = ioCommands('write');
    const reads = ioCommands('read');
    const qemuIo = (file: string, cmds: string[]) => sh('qemu-io', ['-f', 'qcow2', '-t', 'writeback', ...cmds, file]);
    const w = duel(5, () => qemuIo(qImg, writes), () => ourWrites(vImg), (side) => fresh(side === 'qemu' ? qImg : vImg));
    report(line(`${OPS} × 64 KiB writes (fresh image)`, w.v, w.q, 1.3));
    const r = duel(5, () => qemuIo(qImg, reads), () => ourReads(vImg));
    report(line(`${OPS} × 64 KiB reads`, r.v, r.q, 1.3));
    const o = duel(5, () => qemuIo(qImg, writes), () => ourWrites(vImg));
    report(line(`${OPS} × 64 KiB overwrites (allocated)`, o.v, o.q, 1.3));
    sh('qemu-img', ['compare', qImg, vImg]);
    sh('qemu-img', ['check', vImg]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchQcow2((l) => console.log(l));
}
