// Child process for crash.test.ts (bundled with esbuild so it starts fast). Runs a scenario's
// deterministic ops against an image and reports progress on fd 1 with synchronous writes, so a
// line the parent received was written before anything that follows it:
//   "flushed N"  after op N's flush returned (everything up to op N is acknowledged)
//   "kill …"     the syscall it is about to die at (when killAt is set)
//   "calls N"    total image syscalls, after close (used to pick kill points)
// With killAt = k it SIGKILLs itself at the k-th write/writev/fsync/fdatasync/ftruncate on the
// image, optionally after writing only a sector-aligned prefix of that write (a torn write), or
// after reverting a random half of the sectors written since the last sync (a power loss).
// The image is opened with the default (writeback) cache: the production code path.
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { openImage } from '../../../engine/qcow2';
import { makeOps, flushesAfter, opData, type Scenario } from './crash-ops';

interface WriterArgs {
  file: string;
  sc: Scenario;
  killAt?: number;
  /** 0..1: which sector boundary inside the killed write to cut at; undefined = no torn write. */
  torn?: number;
  /**
   * Simulate a power loss instead of a process kill: at the kill point every 512-byte sector
   * written since the last fsync/fdatasync independently keeps its new content or reverts to
   * what it held at that sync (seeded by this value). Only syncs order writes on a real disk.
   */
  powerLoss?: number;
}

const args = JSON.parse(process.argv[2]) as WriterArgs;
const say = (s: string) => fs.writeSync(1, `${s}\n`);
const cjsFs = createRequire(import.meta.url)('node:fs') as Record<string, (...a: unknown[]) => unknown>;
const orig = { writeSync: cjsFs.writeSync, writevSync: cjsFs.writevSync } as const;
let calls = 0;
/** Sector index → content at the last sync, for every sector written since (power-loss mode). */
const unsynced = new Map<number, Buffer>();

function remember(fd: number, pos: number, len: number): void {
  for (let sec = Math.floor(pos / 512); sec * 512 < pos + len; sec++) {
    if (unsynced.has(sec)) continue;
    const old = Buffer.alloc(512);
    fs.readSync(fd, old, 0, 512, sec * 512);
    unsynced.set(sec, old);
  }
}

/** Revert a seeded half of the unsynced sectors, as a disk that lost power might. */
function losePower(fd: number): number {
  let x = Math.floor(args.powerLoss! * 4294967295) >>> 0 || 1;
  let reverted = 0;
  for (const [sec, old] of unsynced) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if ((x >>> 0) % 2 === 0) continue;
    orig.writeSync(fd, old, 0, 512, sec * 512);
    reverted++;
  }
  return reverted;
}

function die(desc: string): never {
  say(`kill at call ${calls}: ${desc}`);
  process.kill(process.pid, 'SIGKILL');
  for (;;) {
    /* the signal is delivered before kill() returns to user space */
  }
}

/** Write only a prefix ending on a 512-byte file boundary strictly inside the write, then die. */
function tear(fd: number, data: Buffer, pos: number, name: string): never {
  const cuts: number[] = [];
  for (let b = Math.floor(pos / 512) * 512 + 512; b < pos + data.length; b += 512) cuts.push(b - pos);
  const cut = cuts.length ? cuts[Math.min(cuts.length - 1, Math.floor(args.torn! * (cuts.length + 1)))] ?? 0 : 0;
  if (cut) orig.writeSync(fd, data, 0, cut, pos);
  die(`${name} ${data.length} bytes at 0x${pos.toString(16)}, torn: first ${cut} bytes written`);
}

for (const name of ['writeSync', 'writevSync', 'fdatasyncSync', 'fsyncSync', 'ftruncateSync']) {
  const real = cjsFs[name];
  cjsFs[name] = function (this: unknown, ...a: unknown[]) {
    const fd = a[0] as number;
    if (fd <= 2) return real.apply(this, a);
    const pos = name === 'writeSync' ? (a[4] as number) : name === 'writevSync' ? (a[2] as number) : undefined;
    const len = name === 'writeSync' ? (a[3] as number) : name === 'writevSync' ? (a[1] as Buffer[]).reduce((n, b) => n + b.length, 0) : 0;
    const at = pos !== undefined ? ` ${len} bytes at 0x${pos.toString(16)}` : '';
    if (++calls === args.killAt) {
      if (args.powerLoss !== undefined) {
        die(`power loss before ${name}${at}: ${losePower(fd)} of ${unsynced.size} sectors written since the last sync reverted`);
      }
      if (args.torn !== undefined && name === 'writeSync') {
        const [, buf, off] = a as [number, Buffer, number];
        tear(fd, buf.subarray(off, off + len), pos!, name);
      }
      if (args.torn !== undefined && name === 'writevSync') tear(fd, Buffer.concat(a[1] as Buffer[]), pos!, name);
      die(`before ${name}${at}`);
    }
    // A SIGKILLed process loses no completed write (they are in the page cache), so fsync adds
    // only disk latency here: keep each sync as a kill point (and power-loss barrier), skip the
    // disk flush itself.
    if (name === 'fdatasyncSync' || name === 'fsyncSync') {
      unsynced.clear();
      return undefined;
    }
    if (args.powerLoss !== undefined && pos !== undefined) remember(fd, pos, len);
    return real.apply(this, a);
  };
}
syncBuiltinESMExports();

const sc = args.sc;
const ops = makeOps(sc);
const img = openImage(args.file, sc.l2CacheSize ? { l2CacheSize: sc.l2CacheSize } : undefined);
say('ready');
for (let i = 0; i < ops.length; i++) {
  const op = ops[i];
  if (op.kind === 'write') img.write(op.off, opData(op));
  else if (op.kind === 'zero') img.writeZeroes(op.off, op.len, { mayUnmap: op.unmap });
  else if (op.kind === 'discard') img.discard(op.off, op.len);
  else if (op.kind === 'resize') img.resize(op.size, { shrink: true });
  else if (op.kind === 'snapshot') img.createSnapshot(op.name, { dateSec: i });
  else if (op.kind === 'apply') img.applySnapshot(op.name);
  else img.deleteSnapshot(op.name);
  if (flushesAfter(sc, ops, i)) {
    img.flush();
    say(`flushed ${i}`);
  }
}
img.close();
say(`calls ${calls}`);
say('done');
