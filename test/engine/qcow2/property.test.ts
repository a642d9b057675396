// Property test: seeded random sequences of write / writeZeroes / discard / compressed write /
// snapshot create-apply-delete / resize / reopen against an in-memory model of the disk. After
// every sequence (and at reopen points inside it) everything is read back and checked with
// qemu-img check; the final image is also read by QEMU.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage, type BlockImage } from '../../../engine/qcow2';
import { tmpDir, qemuCheck, qemuRaw, rng, pattern, run } from './helpers';

const has = hasTool('qemu-img');
const SEQUENCES = Number(process.env.QCOW2_SEQUENCES ?? 30);
const OPS = 40;

interface Config {
  cs: number;
  compat: '1.1' | '0.10';
  backing: 'none' | 'qcow2' | 'raw';
  refcountBits: number;
}

function runSequence(seed: number, dir: string): void {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const cfg: Config = {
    cs: pick([512, 1024, 2048, 4096]),
    compat: r() < 0.3 ? '0.10' : '1.1',
    backing: pick(['none', 'none', 'qcow2', 'raw'] as const),
    refcountBits: 16,
  };
  if (cfg.compat === '1.1') cfg.refcountBits = pick([4, 8, 16, 16, 32, 64]);
  const file = path.join(dir, `p${seed}.qcow2`);
  let backingData: Buffer = Buffer.alloc(0);
  let size = 512 * (64 + Math.floor(r() * 400));
  if (cfg.backing !== 'none') {
    const bsize = 512 * (32 + Math.floor(r() * 400));
    backingData = pattern(bsize, seed + 1000);
    const bf = path.join(dir, `p${seed}-base.${cfg.backing}`);
    createImage(bf, { format: cfg.backing, size: bsize });
    const b = openImage(bf);
    b.write(0, backingData);
    b.close();
    createImage(file, { format: 'qcow2', size, clusterSize: cfg.cs, compat: cfg.compat, refcountBits: cfg.refcountBits, backingFile: path.basename(bf), backingFormat: cfg.backing });
  } else {
    createImage(file, { format: 'qcow2', size, clusterSize: cfg.cs, compat: cfg.compat, refcountBits: cfg.refcountBits });
  }
  const backingAt = (off: number, len: number) => {
    const out = Buffer.alloc(len);
    if (off < backingData.length) backingData.copy(out, 0, off, Math.min(backingData.length, off + len));
    return out;
  };
  let model = backingAt(0, size);
  const snaps = new Map<string, Buffer>();
  let img: BlockImage = openImage(file);
  const ctx = () => `seed ${seed} cfg ${JSON.stringify(cfg)}`;
  const verify = (where: string) => {
    const got = img.read(0, img.virtualSize);
    expect(img.virtualSize, `${ctx()} size at ${where}`).toBe(model.length);
    if (!got.equals(model)) {
      let i = 0;
      while (got[i] === model[i]) i++;
      throw new Error(`${ctx()}: content differs at byte ${i} (${where})`);
    }
  };
  const reopenAndCheck = (where: string) => {
    img.close();
    const q = qemuCheck(file);
    if (process.env.QCOW2_TRACE && q.status) console.log(run('qemu-img', ['check', file]).stderr);
    expect(q.status, `${ctx()} qemu-img check at ${where}: ${JSON.stringify(q.json)}`).toBe(0);
    const v = checkImage(file);
    expect(v.corruptions + v.leaks, `${ctx()} virtyard check at ${where}: ${v.messages.join('; ')}`).toBe(0);
    expect(v.allocatedClusters).toBe(q.json['allocated-clusters'] ?? 0);
    expect(v.imageEndOffset).toBe(q.json['image-end-offset']);
    img = openImage(file);
    verify(where);
  };
  const range = () => {
    const off = Math.floor(r() * size);
    const len = Math.min(size - off, 1 + Math.floor(r() * cfg.cs * (r() < 0.3 ? 6 : 2)));
    return [off, len] as const;
  };
  for (let op = 0; op < OPS; op++) {
    const what = r();
    const where = `op ${op}`;
    const trace = process.env.QCOW2_TRACE ? (m: string) => console.log(`${where}: ${m}`) : () => {};
    if (what < 0.3) {
      const [off, len] = range();
      const data = pattern(len, seed * 1000 + op);
      trace(`write ${off} ${len}`);
      img.write(off, data);
      data.copy(model, off);
    } else if (what < 0.4) {
      const [off, len] = range();
      const mayUnmap = r() < 0.5;
      trace(`zero ${off} ${len} ${mayUnmap}`);
      img.writeZeroes(off, len, { mayUnmap });
      model.fill(0, off, off + len);
    } else if (what < 0.5) {
      const [off, len] = range();
      trace(`discard ${off} ${len}`);
      img.discard(off, len);
      const first = Math.ceil(off / cfg.cs) * cfg.cs;
      const last = Math.floor((off + len) / cfg.cs) * cfg.cs;
      model.fill(0, off, off + len);
      // v2 overlays cannot express zero clusters: whole discarded clusters show the backing again.
      if (cfg.compat === '0.10' && cfg.backing !== 'none' && first < last) backingAt(first, last - first).copy(model, first);
    } else if (what < 0.58) {
      const clusters = Math.floor(size / cfg.cs);
      if (clusters < 2) continue;
      const c0 = Math.floor(r() * (clusters - 1));
      const n = 1 + Math.floor(r() * Math.min(3, clusters - c0 - 1));
      const data = r() < 0.5 ? Buffer.from('compressible '.repeat(Math.ceil((n * cfg.cs) / 13))).subarray(0, n * cfg.cs) : pattern(n * cfg.cs, op);
      trace(`compressed cluster ${c0} x${n}`);
      img.writeCompressed(c0 * cfg.cs, data);
      data.copy(model, c0 * cfg.cs);
    } else if (what < 0.68) {
      if (snaps.size >= 3 || cfg.refcountBits < 8) continue;
      const name = `s${op}`;
      const vm = r() < 0.3 ? pattern(1 + Math.floor(r() * 3 * cfg.cs), op) : undefined;
      trace(`snapshot ${name} vm ${vm?.length}`);
      img.createSnapshot(name, { vmState: vm, dateSec: op });
      snaps.set(name, Buffer.from(model));
      if (vm) expect(img.readSnapshotVmState(name).equals(vm)).toBe(true);
    } else if (what < 0.76) {
      if (!snaps.size) continue;
      const name = pick([...snaps.keys()]);
      trace(`apply ${name}`);
      img.applySnapshot(name);
      model = Buffer.from(snaps.get(name)!);
      size = model.length;
    } else if (what < 0.82) {
      if (!snaps.size) continue;
      const name = pick([...snaps.keys()]);
      trace(`delete ${name}`);
      img.deleteSnapshot(name);
      snaps.delete(name);
    } else if (what < 0.92) {
      const newSize = 512 * (16 + Math.floor(r() * 500));
      if (cfg.compat === '0.10' && snaps.size && newSize !== size) {
        expect(() => img.resize(newSize, { shrink: true })).toThrow(/snapshots/);
        continue;
      }
      trace(`resize ${newSize}`);
      img.resize(newSize, { shrink: true });
      const next = Buffer.alloc(newSize);
      model.copy(next, 0, 0, Math.min(newSize, model.length));
      model = next;
      size = newSize;
    } else {
      trace('reopen');
      reopenAndCheck(where);
    }
    if (op % 10 === 9) verify(where);
  }
  reopenAndCheck('end');
  img.close();
  expect(qemuRaw(file).equals(model), `${ctx()} QEMU reads the final image`).toBe(true);
  fs.rmSync(file);
}

describe.skipIf(!has)('qcow2 property test against an in-memory model', () => {
  const dir = tmpDir();
  for (let s = 1; s <= SEQUENCES; s++) {
    it(`sequence ${s}`, () => runSequence(s, dir));
  }
});
