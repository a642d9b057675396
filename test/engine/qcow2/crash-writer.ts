// Child process for crash.test.ts (bundled with esbuild so it starts fast). Runs a scenario's
// deterministic ops against an image and reports progress on fd 1 with synchronous writes, so a
// line the parent received was written before anything that follows it:
//   "flushed N"  after op N's flush returned (everything up to op N is acknowledged)
//   "kill …"     the syscall it is about to die at (when killAt is set)
//   "calls N"    total image syscalls, after close (used to pick kill points)
// With killAt = k it SIGKILLs itself at the k-th write/writev/fsync/fdatasync/ftruncate on the
// image, optionally after writing only a sector-aligned prefix of that write (a torn write).
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
}

const args = JSON.parse(process.argv[2]) as WriterArgs;
const say = (s: string) => fs.writeSync(1, `${s}\n`);
const cjsFs = createRequire(import.meta.url)('node:fs') as Record<string, (...a: unknown[]) => unknown>;
const orig = { writeSync: cjsFs.writeSync, writevSync: cjsFs.writevSync } as const;
let calls = 0;

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
    if (fd > 2 && ++calls === args.killAt) {
      if (args.torn !== undefined && name === 'writeSync') {
        const [, buf, off, len, pos] = a as [number, Buffer, number, number, number];
        tear(fd, buf.subarray(off, off + len), pos, name);
      }
      if (args.torn !== undefined && name === 'writevSync') tear(fd, Buffer.concat(a[1] as Buffer[]), a[2] as number, name);
      const pos = name === 'writeSync' ? a[4] : name === 'writevSync' ? a[2] : undefined;
      const len = name === 'writeSync' ? a[3] : name === 'writevSync' ? (a[1] as Buffer[]).reduce((n, b) => n + b.length, 0) : undefined;
      die(`before ${name}${pos !== undefined ? ` ${String(len)} bytes at 0x${(pos as number).toString(16)}` : ''}`);
    }
    // A SIGKILLed process loses no completed write (they are in the page cache), so fsync adds
    // only disk latency here: keep each sync as a kill point, skip the disk flush itself.
    if (name === 'fdatasyncSync' || name === 'fsyncSync') return undefined;
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
