// Crash-test machinery: bundle the writer, run it until it is killed (at an exact syscall, or
// asynchronously after it acknowledged a flush), then verify the image and explain any failure
// precisely (kill point, qemu-img check output, the first guest byte that did not read back).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { openImage, checkImage } from '../../../engine/qcow2';
import { run } from './helpers';
import { makeOps, modelsAt, touchedBetween, lastWriterOf, flushesAfter, type Scenario, type CrashOp } from './crash-ops';

/** Bundle crash-writer.ts once: a plain `node file.mjs` child starts ~10× faster than tsx. */
export function bundleWriter(dir: string): string {
  const outfile = path.join(dir, 'crash-writer.mjs');
  buildSync({ entryPoints: [fileURLToPath(new URL('crash-writer.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  return outfile;
}

export interface Kill {
  /** Die at this image syscall (1-based). */
  atCall?: number;
  /** With atCall on a write: write a sector-aligned prefix first (0..1 picks the cut). */
  torn?: number;
  /** With atCall: revert a seeded half of the sectors written since the last sync first. */
  powerLoss?: number;
  /** Or: SIGKILL from outside once `afterFlushes` flushes were reported, after delayMs. */
  afterFlushes?: number;
  delayMs?: number;
}

export interface WriterResult {
  /** Last op whose flush was acknowledged (-1: none). */
  lastFlushed: number;
  /** Number of flushes reported. */
  flushes: number;
  done: boolean;
  calls: number;
  killLine: string;
  signal: NodeJS.Signals | null;
}

export function describeKill(k: Kill): string {
  if (k.atCall !== undefined && k.powerLoss !== undefined) return `power loss at image syscall ${k.atCall} (seed ${k.powerLoss.toFixed(4)})`;
  if (k.atCall !== undefined) return `self-kill at image syscall ${k.atCall}${k.torn !== undefined ? ` (torn write, cut ${k.torn.toFixed(2)})` : ''}`;
  if (k.afterFlushes !== undefined) return `SIGKILL ${k.delayMs} ms after flush report #${k.afterFlushes}`;
  return 'no kill';
}

export function runWriter(bundle: string, file: string, sc: Scenario, kill: Kill): Promise<WriterResult> {
  return new Promise((resolve, reject) => {
    const args = { file, sc, killAt: kill.atCall, torn: kill.torn, powerLoss: kill.powerLoss };
    const child = spawn(process.execPath, [bundle, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let flushes = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      out += text;
      if (kill.afterFlushes === undefined || timer) return;
      flushes += text.match(/^flushed /gm)?.length ?? 0;
      if (flushes >= kill.afterFlushes) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs ?? 0);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    // 'close', not 'exit': only then has every line the child wrote been read from the pipe.
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) return reject(new Error(`writer failed (exit ${code}): ${err}${out}`));
      const flushed = [...out.matchAll(/^flushed (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({
        lastFlushed: flushed.length ? flushed[flushed.length - 1] : -1,
        flushes: flushed.length,
        done: /^done$/m.test(out),
        calls: Number(/^calls (\d+)$/m.exec(out)?.[1] ?? 0),
        killLine: /^kill .*$/m.exec(out)?.[0] ?? '',
        signal,
      });
    });
  });
}

/**
 * qemu-img check lines that are harmless after a crash inside a snapshot operation: COPIED clear
 * on a cluster whose refcount is 1. It only costs an unneeded copy-on-write (QEMU's own snapshot
 * create/delete leave the same window); the dangerous opposite, COPIED on a shared cluster, is
 * never accepted.
 */
export function harmlessCopied(line: string): boolean {
  const m = /^ERROR OFLAG_COPIED (?:L2|data) cluster: .*?(?:l1|l2)_entry=([0-9a-f]+) refcount=1$/.exec(line.trim());
  return !!m && (m[1].length < 16 || Number.parseInt(m[1][0], 16) < 8);
}

/** First offset in [from, to) where a and b differ outside the sorted, merged `skip` ranges (-1: none). */
function firstDiff(a: Buffer, b: Buffer, from: number, to: number, skip: Array<[number, number]>): number {
  let pos = from;
  for (const [s, e] of [...skip, [to, to] as [number, number]]) {
    const end = Math.min(Math.max(s, pos), to);
    if (end > pos && a.compare(b, pos, end, pos, end) !== 0) {
      for (let i = pos; i < end; i++) if (a[i] !== b[i]) return i;
    }
    pos = Math.max(pos, e);
    if (pos >= to) break;
  }
  return -1;
}

function merge(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Problems found in a crashed image (empty = fine). */
export function verifyCrashed(file: string, sc: Scenario, res: WriterResult): string[] {
  const problems: string[] = [];
  const ops: CrashOp[] = makeOps(sc);
  const allowCopied = sc.kind === 'mixed';
  const q = run('qemu-img', ['check', file]);
  const qText = `${q.stdout}${q.stderr}`.trim();
  const qErrors = qText.split('\n').filter((l) => l.startsWith('ERROR'));
  const qOk = q.status === 0 || q.status === 3 || (q.status === 2 && allowCopied && qErrors.length > 0 && qErrors.every(harmlessCopied));
  if (!qOk) {
    // The full report goes next to the kept image; the message shows the errors, not the leaks.
    fs.writeFileSync(`${file}.check.txt`, qText);
    const leaks = qText.split('\n').filter((l) => l.startsWith('Leaked')).length;
    problems.push(`qemu-img check exit ${q.status}, ${leaks} leaked clusters (full output in ${file}.check.txt), errors:\n${qErrors.slice(0, 20).join('\n') || qText.slice(-2000)}`);
  }
  const ours = checkImage(file);
  const ourErrors = ours.messages.filter((m) => m.startsWith('ERROR'));
  if (ours.corruptions && !(allowCopied && ourErrors.length === ours.corruptions && ourErrors.every(harmlessCopied))) {
    problems.push(`virtyard check: ${ours.corruptions} corruptions:\n${ourErrors.slice(0, 20).join('\n')}`);
  }
  if (problems.length) return problems;

  // Acknowledged state: everything up to op F. The child may also have completed ops up to the
  // next flush point N (it dies before reporting it), so their ranges may hold either version.
  const F = res.done ? ops.length - 1 : res.lastFlushed;
  let N = F + 1;
  while (N < ops.length - 1 && !flushesAfter(sc, ops, N)) N++;
  N = Math.min(N, ops.length - 1);
  const [mF, mN] = modelsAt(sc, ops, F, N);
  const touched = res.done ? [] : touchedBetween(ops, F, N);
  const img = openImage(file, { readOnly: true });
  try {
    const size = img.virtualSize;
    if (size !== mF.disk.length && size !== mN.disk.length) {
      problems.push(`virtual size ${size}, acknowledged ${mF.disk.length} (next flush point ${mN.disk.length})`);
      return problems;
    }
    if (touched) {
      const got = img.read(0, size);
      const skip = merge(touched);
      const common = Math.min(size, mF.disk.length);
      let at = firstDiff(got, mF.disk, 0, common, skip);
      let want = mF.disk;
      if (at < 0 && size > mF.disk.length) {
        at = firstDiff(got, mN.disk, common, size, []);
        want = mN.disk;
      }
      if (at >= 0) {
        problems.push(
          `guest byte ${at} (0x${at.toString(16)}) reads 0x${got[at].toString(16)}, acknowledged 0x${want[at].toString(16)}; ` +
            `last written by ${lastWriterOf(ops, F, at)}; acknowledged through op ${F}`,
        );
      }
    }
    const names = img.listSnapshots().map((s) => s.name);
    for (const name of new Set([...mF.snaps.keys(), ...mN.snaps.keys()])) {
      const must = mF.snaps.has(name) && mN.snaps.has(name);
      if (must && !names.includes(name)) problems.push(`snapshot ${name} acknowledged but missing (have ${names.join(', ') || 'none'})`);
    }
    for (const name of names) {
      const want = mF.snaps.get(name) ?? mN.snaps.get(name);
      if (!want) {
        problems.push(`unexpected snapshot ${name}`);
        continue;
      }
      // Read the snapshot through QEMU: an independent reader of what we wrote.
      const raw = `${file}.${name}.raw`;
      const c = run('qemu-img', ['convert', '-l', `snapshot.name=${name}`, '-O', 'raw', file, raw]);
      if (c.status !== 0) problems.push(`qemu-img cannot read snapshot ${name}: ${c.stderr}`);
      else {
        // QEMU reads a snapshot at the image's current virtual size: compare the common part,
        // and what lies beyond the snapshot's own size must read as zeroes.
        const got = fs.readFileSync(raw);
        const n = Math.min(got.length, want.length);
        let at = firstDiff(got, want, 0, n, []);
        if (at < 0 && got.length > n) at = firstDiff(got, Buffer.alloc(got.length), n, got.length, []);
        if (at >= 0) problems.push(`snapshot ${name} (${want.length} bytes) differs at byte ${at}: 0x${got[at].toString(16)} vs 0x${(want[at] ?? 0).toString(16)}`);
        fs.rmSync(raw);
      }
    }
  } finally {
    img.close();
  }
  return problems;
}
