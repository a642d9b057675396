// Interop both ways with qemu-img / qemu-io 7.2: images virtyard writes pass `qemu-img check` and
// read back identically in QEMU; images QEMU writes read back identically in virtyard; check
// statistics, map and snapshots agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage } from '../../../engine/qcow2';
import { tmpDir, qemuImg, qemuIo, qemuCheck, qemuRaw, pattern } from './helpers';

const has = hasTool('qemu-img') && hasTool('qemu-io');

function readAll(file: string): Buffer {
  const img = openImage(file, { readOnly: true });
  try {
    return img.read(0, img.virtualSize);
  } finally {
    img.close();
  }
}

function expectCheckMatchesQemu(file: string): void {
  const q = qemuCheck(file);
  const v = checkImage(file);
  expect(q.status).toBe(0);
  expect(v.corruptions).toBe(0);
  expect(v.leaks).toBe(0);
  expect(v.totalClusters).toBe(q.json['total-clusters']);
  expect(v.allocatedClusters).toBe(q.json['allocated-clusters'] ?? 0);
  expect(v.fragmentedClusters).toBe(q.json['fragmented-clusters'] ?? 0);
  expect(v.compressedClusters).toBe(q.json['compressed-clusters'] ?? 0);
  expect(v.imageEndOffset).toBe(q.json['image-end-offset']);
}

describe.skipIf(!has)('qcow2 interop with qemu-img/qemu-io', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir();
  });

  for (const [label, opts] of [
    ['v3 64k', { clusterSize: 65536 }],
    ['v3 512B', { clusterSize: 512 }],
    ['v3 4k 8-bit refcounts', { clusterSize: 4096, refcountBits: 8 }],
    ['v3 4k 64-bit refcounts', { clusterSize: 4096, refcountBits: 64 }],
    ['v3 1k 2-bit refcounts', { clusterSize: 1024, refcountBits: 2 }],
    ['v2 4k', { clusterSize: 4096, compat: '0.10' as const }],
  ] as const) {
    it(`virtyard writes (${label}) pass qemu-img check and read back in QEMU`, () => {
      const f = path.join(dir, `vy-${label.replace(/\W+/g, '_')}.qcow2`);
      const size = 3 * 1024 * 1024 + 512;
      createImage(f, { format: 'qcow2', size, ...opts });
      const model = Buffer.alloc(size);
      const img = openImage(f);
      const put = (off: number, b: Buffer) => {
        img.write(off, b);
        b.copy(model, off);
      };
      put(0, pattern(100_000, 1));
      put(777, pattern(3, 2));
      put(size - 1000, pattern(1000, 3));
      put(1_500_000, pattern(300_000, 4));
      img.writeZeroes(1_600_000, 70_000);
      model.fill(0, 1_600_000, 1_670_000);
      img.discard(20_000, 50_000);
      model.fill(0, 20_000, 70_000);
      img.writeCompressed(2 * 1024 * 1024, Buffer.concat([pattern(65536, 5).subarray(0, 30000), Buffer.alloc(35536, 1)]));
      Buffer.concat([pattern(65536, 5).subarray(0, 30000), Buffer.alloc(35536, 1)]).copy(model, 2 * 1024 * 1024);
      expect(img.read(0, size).equals(model)).toBe(true);
      img.close();
      expectCheckMatchesQemu(f);
      expect(qemuRaw(f).equals(model)).toBe(true);
      expect(readAll(f).equals(model)).toBe(true);
    });
  }

  for (const [label, args] of [
    ['v2 64k', ['-o', 'compat=0.10']],
    ['v3 64k', []],
    ['v3 4k', ['-o', 'cluster_size=4096']],
    ['v2 4k', ['-o', 'compat=0.10,cluster_size=4096']],
  ] as const) {
    it(`reads QEMU-written images (${label}) identically, check values equal`, () => {
      const f = path.join(dir, `q-${label.replace(/\W+/g, '_')}.qcow2`);
      qemuImg('create', '-f', 'qcow2', ...args, f, '8M');
      qemuIo(f, 'write -P 0x11 0 100k', 'write -P 0x22 1M 4k', 'write -P 0x33 3000k 1100k', 'write -P 0x44 8388096 512', 'write -P 0x55 50k 10k', 'write -z 1M 64k');
      expect(readAll(f).equals(qemuRaw(f))).toBe(true);
      expectCheckMatchesQemu(f);
    });
  }

  it('reads v3 zero clusters written with qemu-io write -z, in images and overlays', () => {
    const base = path.join(dir, 'z-base.qcow2');
    const ov = path.join(dir, 'z-ov.qcow2');
    qemuImg('create', '-f', 'qcow2', base, '4M');
    qemuIo(base, 'write -P 0x66 0 4M', 'write -z 64k 128k', 'write -z -u 1M 64k');
    qemuImg('create', '-f', 'qcow2', '-b', 'z-base.qcow2', '-F', 'qcow2', ov);
    qemuIo(ov, 'write -z 2M 64k', 'write -P 0x77 3M 1k');
    const b = readAll(base);
    expect(b.subarray(64 * 1024, 192 * 1024).every((x) => x === 0)).toBe(true);
    expect(b.equals(qemuRaw(base))).toBe(true);
    expect(readAll(ov).equals(qemuRaw(ov))).toBe(true);
    expectCheckMatchesQemu(base);
  });

  it('reads compressed images made by qemu-img convert -c (64k and 4k clusters)', () => {
    const raw = path.join(dir, 'c.raw');
    const data = Buffer.concat([pattern(300_000, 9), Buffer.alloc(200_000, 0x41), Buffer.from('hello '.repeat(50_000))]);
    fs.writeFileSync(raw, data);
    for (const cs of ['65536', '4096']) {
      const f = path.join(dir, `c-${cs}.qcow2`);
      qemuImg('convert', '-c', '-O', 'qcow2', '-o', `cluster_size=${cs}`, raw, f);
      const got = readAll(f);
      expect(got.subarray(0, data.length).equals(data)).toBe(true);
      expectCheckMatchesQemu(f);
      const m = openImage(f, { readOnly: true });
      expect(m.map().some((e) => e.compressed)).toBe(true);
      m.close();
    }
  });

  it('writes over QEMU compressed clusters (COW out of the compressed cluster)', () => {
    const raw = path.join(dir, 'c2.raw');
    fs.writeFileSync(raw, Buffer.from('abcdefgh'.repeat(65536)));
    const f = path.join(dir, 'c2.qcow2');
    qemuImg('convert', '-c', '-O', 'qcow2', '-o', 'cluster_size=4096', raw, f);
    const img = openImage(f);
    img.write(5000, Buffer.alloc(100, 0x5a));
    img.close();
    const expected = Buffer.from('abcdefgh'.repeat(65536));
    expected.fill(0x5a, 5000, 5100);
    expect(qemuCheck(f).status).toBe(0);
    expect(qemuRaw(f).equals(expected)).toBe(true);
  });

  it('reads overlays with qcow2 and raw backing files (chain of three)', () => {
    const raw = path.join(dir, 'chain0.raw');
    fs.writeFileSync(raw, pattern(2 * 1024 * 1024, 21));
    const mid = path.join(dir, 'chain1.qcow2');
    const top = path.join(dir, 'chain2.qcow2');
    qemuImg('create', '-f', 'qcow2', '-b', 'chain0.raw', '-F', 'raw', mid);
    qemuIo(mid, 'write -P 0x10 100k 200k');
    qemuImg('create', '-f', 'qcow2', '-o', 'cluster_size=4096', '-b', 'chain1.qcow2', '-F', 'qcow2', top, '3M');
    qemuIo(top, 'write -P 0x20 150k 10k', 'write -P 0x30 2500k 10k');
    expect(readAll(top).equals(qemuRaw(top))).toBe(true);
    // Writes into the overlay: partial clusters copy up from the backing chain.
    const img = openImage(top);
    expect(img.backing?.format).toBe('qcow2');
    img.write(1_000_001, Buffer.alloc(10, 0xee));
    img.discard(160 * 1024, 8192);
    img.close();
    expect(readAll(top).equals(qemuRaw(top))).toBe(true);
    expect(qemuCheck(top).status).toBe(0);
    const mapQ = JSON.parse(qemuImg('map', '--output=json', top));
    const v = openImage(top, { readOnly: true });
    const mapV = v.map();
    v.close();
    expect(mapV.map((e) => ({ ...e, offset: undefined }))).toEqual(
      mapQ.map((e: Record<string, unknown>) => ({ start: e.start, length: e.length, depth: e.depth, present: e.present, zero: e.zero, data: e.data, compressed: e.compressed ?? false, offset: undefined })),
    );
  });

  it('map matches qemu-img map --output=json for a mixed image', () => {
    const f = path.join(dir, 'map.qcow2');
    qemuImg('create', '-f', 'qcow2', '-o', 'cluster_size=4096', f, '4M');
    qemuIo(f, 'write -P 1 0 64k', 'write -P 2 1M 8k', 'write -z 2M 16k', 'write -P 3 3M 4k', 'write -z 3M 4k');
    const v = openImage(f, { readOnly: true });
    const mapV = v.map();
    v.close();
    const mapQ = JSON.parse(qemuImg('map', '--output=json', f));
    expect(mapV).toEqual(
      mapQ.map((e: Record<string, unknown>) => {
        const x: Record<string, unknown> = { start: e.start, length: e.length, depth: e.depth, present: e.present, zero: e.zero, data: e.data, compressed: e.compressed ?? false };
        if (e.offset !== undefined) x.offset = e.offset;
        return x;
      }),
    );
  });

  it('reads internal snapshots made by qemu-img snapshot -c and applies them', () => {
    const f = path.join(dir, 'qsnap.qcow2');
    qemuImg('create', '-f', 'qcow2', '-o', 'cluster_size=4096', f, '2M');
    qemuIo(f, 'write -P 0x01 0 1M');
    qemuImg('snapshot', '-c', 'one', f);
    qemuIo(f, 'write -P 0x02 512k 1M');
    qemuImg('snapshot', '-c', 'two', f);
    qemuIo(f, 'write -P 0x03 100k 4k');
    const current = qemuRaw(f);
    expect(readAll(f).equals(current)).toBe(true);
    expectCheckMatchesQemu(f);
    const img = openImage(f);
    expect(img.listSnapshots().map((s) => [s.id, s.name, s.diskSize])).toEqual([['1', 'one', 2 << 20], ['2', 'two', 2 << 20]]);
    img.applySnapshot('one');
    const one = img.read(0, 2 << 20);
    expect(one.subarray(0, 1 << 20).every((x) => x === 1)).toBe(true);
    expect(one.subarray(1 << 20).every((x) => x === 0)).toBe(true);
    img.write(0, Buffer.alloc(4096, 9));
    img.deleteSnapshot('two');
    img.close();
    const q = qemuCheck(f);
    expect(q.status).toBe(0);
    expect(qemuImg('snapshot', '-l', f)).toMatch(/one/);
    expect(qemuImg('snapshot', '-l', f)).not.toMatch(/two/);
  });

  it('snapshots made by virtyard are listed and applied by qemu-img', () => {
    const f = path.join(dir, 'vsnap.qcow2');
    createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 4096 });
    const img = openImage(f);
    img.write(0, Buffer.alloc(200_000, 0xa1));
    const s1 = img.createSnapshot('before', { dateSec: 1_700_000_000, vmClockNsec: 5_000_000_000 });
    expect(s1.id).toBe('1');
    img.write(100_000, Buffer.alloc(300_000, 0xb2));
    const s2 = img.createSnapshot('after', { vmState: pattern(50_000, 77) });
    expect(s2.id).toBe('2');
    expect(img.readSnapshotVmState('after').equals(pattern(50_000, 77))).toBe(true);
    img.write(0, Buffer.alloc(10, 0xc3));
    img.close();
    expectCheckMatchesQemu(f);
    const list = qemuImg('snapshot', '-l', f);
    expect(list).toMatch(/1\s+before\s+0 B\s+2023-11-14/);
    expect(list).toMatch(/2\s+after\s+48\.8 KiB/);
    const info = JSON.parse(qemuImg('info', '--output=json', f));
    expect(info.snapshots.map((s: { name: string }) => s.name)).toEqual(['before', 'after']);
    qemuImg('snapshot', '-a', 'before', f);
    const expected = Buffer.alloc(1 << 20);
    expected.fill(0xa1, 0, 200_000);
    expect(qemuRaw(f).equals(expected)).toBe(true);
    expect(readAll(f).equals(expected)).toBe(true);
    qemuImg('snapshot', '-a', 'after', f);
    expected.fill(0xb2, 100_000, 400_000);
    expect(readAll(f).equals(expected)).toBe(true);
    expect(qemuCheck(f).status).toBe(0);
    const again = openImage(f, { readOnly: true });
    expect(again.readSnapshotVmState('2').equals(pattern(50_000, 77))).toBe(true);
    again.close();
  });

  it('creates overlays QEMU understands, with size from the backing image', () => {
    const base = path.join(dir, 'vb.qcow2');
    const ov = path.join(dir, 'vo.qcow2');
    createImage(base, { format: 'qcow2', size: 3 << 20 });
    const b = openImage(base);
    b.write(0, pattern(3 << 20, 5));
    b.close();
    createImage(ov, { format: 'qcow2', backingFile: 'vb.qcow2' });
    const o = openImage(ov);
    expect(o.virtualSize).toBe(3 << 20);
    o.write(65536 + 10, Buffer.alloc(20, 1));
    o.writeZeroes(2 << 20, 65536);
    o.discard(1 << 20, 65536);
    o.close();
    const info = JSON.parse(qemuImg('info', '--output=json', ov));
    expect(info['backing-filename']).toBe('vb.qcow2');
    expect(info['backing-filename-format']).toBe('qcow2');
    const expected = pattern(3 << 20, 5);
    expected.fill(1, 65536 + 10, 65536 + 30);
    expected.fill(0, 2 << 20, (2 << 20) + 65536);
    expected.fill(0, 1 << 20, (1 << 20) + 65536);
    expect(qemuRaw(ov).equals(expected)).toBe(true);
    expectCheckMatchesQemu(ov);
    const v = openImage(ov, { readOnly: true });
    const vi = v.info();
    v.close();
    expect(vi.fullBackingFilename).toBe(base);
    expect(vi.virtualSize).toBe(info['virtual-size']);
    expect(vi.clusterSize).toBe(info['cluster-size']);
  });

  it('empty images match QEMU byte for byte in layout (v3 and v2)', () => {
    for (const compat of ['1.1', '0.10'] as const) {
      const a = path.join(dir, `e-vy-${compat}.qcow2`);
      const b = path.join(dir, `e-q-${compat}.qcow2`);
      createImage(a, { format: 'qcow2', size: 1 << 30, compat });
      qemuImg('create', '-f', 'qcow2', '-o', `compat=${compat}`, b, '1G');
      expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    }
  });

  it('resize grows and shrinks like qemu-img expects', () => {
    const f = path.join(dir, 'rs.qcow2');
    createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 512 });
    const img = openImage(f);
    img.write(0, pattern(1 << 20, 3));
    expect(() => img.resize(1024)).toThrow(/shrink/);
    img.resize(10 << 20);
    img.write(9 << 20, Buffer.alloc(512, 4));
    img.resize(600_064, { shrink: true });
    expect(() => img.resize(700_001)).toThrow(/multiple of 512/);
    img.resize(700_416);
    img.close();
    const expected = Buffer.alloc(700_416);
    pattern(1 << 20, 3).copy(expected, 0, 0, 600_064);
    expect(qemuRaw(f).equals(expected)).toBe(true);
    expect(qemuCheck(f).status).toBe(0);
  });

  it('repairs leaks and rebuilds refcounts like qemu-img check -r', () => {
    const f = path.join(dir, 'leak.qcow2');
    createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 4096 });
    const img = openImage(f);
    img.write(0, Buffer.alloc(40960, 1));
    img.close();
    // Leak: bump the refcount of cluster 3 (the L1 table at 0x3000) in the block at cluster 2.
    const fd = fs.openSync(f, 'r+');
    fs.writeSync(fd, Buffer.from([0, 2]), 0, 2, 2 * 4096 + 3 * 2);
    fs.closeSync(fd);
    const q = qemuCheck(f);
    expect(q.status).toBe(3);
    const v = checkImage(f);
    expect(v.leaks).toBe(q.json.leaks);
    expect(v.messages).toContain('Leaked cluster 3 refcount=2 reference=1');
    const fixed = checkImage(f, { repair: 'leaks' });
    expect(fixed.leaksFixed).toBe(1);
    expect(qemuCheck(f).status).toBe(0);
    // Corruption: zero the refcount of a data cluster.
    const fd2 = fs.openSync(f, 'r+');
    fs.writeSync(fd2, Buffer.from([0, 0]), 0, 2, 2 * 4096 + 6 * 2);
    fs.closeSync(fd2);
    expect(qemuCheck(f).status).toBe(2);
    const bad = checkImage(f);
    expect(bad.corruptions).toBeGreaterThan(0);
    expect(bad.messages.some((m) => m.startsWith('ERROR cluster 6 refcount=0 reference=1'))).toBe(true);
    const rep = checkImage(f, { repair: 'all' });
    expect(rep.corruptions).toBe(0);
    expect(rep.corruptionsFixed).toBeGreaterThan(0);
    expect(qemuCheck(f).status).toBe(0);
    expect(qemuRaw(f).subarray(0, 40960).every((x) => x === 1)).toBe(true);
  });
});

describe.skipIf(!has)('qcow2 unsafe cache mode', () => {
  it('keeps the write order without fsync and produces a consistent image', () => {
    const f = path.join(tmpDir(), 'unsafe.qcow2');
    createImage(f, { format: 'qcow2', size: 8 << 20, clusterSize: 4096 });
    const img = openImage(f, { cache: 'unsafe' });
    img.write(12345, pattern(3 << 20, 8));
    img.close();
    expect(qemuCheck(f).status).toBe(0);
    expect(qemuRaw(f).subarray(12345, 12345 + (3 << 20)).equals(pattern(3 << 20, 8))).toBe(true);
  });
});
