// Bad input: clear ImageError naming the image and the reason, and nothing written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage, probeFormat, ImageError } from '../../../engine/qcow2';
import { tmpDir, qemuImg } from './helpers';

const dir = tmpDir();

function expectRefused(file: string, fn: () => unknown, msg: RegExp): void {
  const before = fs.readFileSync(file);
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ImageError);
  expect((err as Error).message).toMatch(msg);
  expect((err as Error).message).toContain(file);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
}

function validImage(name: string): string {
  const f = path.join(dir, name);
  createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 4096 });
  return f;
}

describe('qcow2 bad input', () => {
  it('unknown magic: probed as raw, refused when qcow2 is demanded', () => {
    const f = path.join(dir, 'garbage.img');
    fs.writeFileSync(f, Buffer.from('this is not a disk image at all'.repeat(100)));
    expect(probeFormat(f)).toBe('raw');
    expectRefused(f, () => openImage(f, { format: 'qcow2' }), /not a qcow2 image/);
    expectRefused(f, () => checkImage(f), /does not support checks/);
  });

  it('truncated header', () => {
    const f = path.join(dir, 'trunc.qcow2');
    fs.writeFileSync(f, fs.readFileSync(validImage('full.qcow2')).subarray(0, 60));
    expectRefused(f, () => openImage(f), /truncated qcow2 header/);
    expectRefused(f, () => openImage(f, { readOnly: true }), /truncated/);
  });

  it('unknown incompatible feature bit', () => {
    const f = validImage('incompat.qcow2');
    const fd = fs.openSync(f, 'r+');
    fs.writeSync(fd, Buffer.from([0, 0, 0, 0x20]), 0, 4, 76); // bit 5
    fs.writeSync(fd, Buffer.from([0, 0, 0, 0x01]), 0, 4, 72); // bit 32
    fs.closeSync(fd);
    expectRefused(f, () => openImage(f), /Unsupported qcow2 feature\(s\): unknown incompatible bit 5, unknown incompatible bit 32/);
  });

  it('zstd compression and external data file bits', () => {
    const f = validImage('zstd.qcow2');
    const fd = fs.openSync(f, 'r+');
    fs.writeSync(fd, Buffer.from([0, 0, 0, 0x0c]), 0, 4, 76);
    fs.writeSync(fd, Buffer.from([1]), 0, 1, 104);
    fs.closeSync(fd);
    expectRefused(f, () => openImage(f), /Unsupported qcow2 feature\(s\): external data file, zstd compression/);
  });

  it('operations on a read-only or closed image, out-of-range I/O', () => {
    const f = validImage('ro.qcow2');
    const ro = openImage(f, { readOnly: true });
    expectRefused(f, () => ro.write(0, Buffer.alloc(1)), /read-only/);
    expectRefused(f, () => ro.createSnapshot('x'), /read-only/);
    ro.close();
    const rw = openImage(f);
    expectRefused(f, () => rw.write((1 << 20) - 1, Buffer.alloc(2)), /beyond the virtual size/);
    expectRefused(f, () => rw.read(-1, 2), /invalid read range/);
    expectRefused(f, () => rw.writeCompressed(100, Buffer.alloc(4096)), /cluster boundary/);
    expectRefused(f, () => rw.applySnapshot('nope'), /snapshot 'nope' not found/);
    expectRefused(f, () => rw.resize(4096), /shrink/);
    rw.createSnapshot('a');
    rw.close();
    const again = openImage(f);
    expectRefused(f, () => again.createSnapshot('a'), /already exists/);
    again.close();
    const closed = openImage(f);
    closed.close();
    expectRefused(f, () => closed.write(0, Buffer.alloc(1)), /closed/);
  });

  it('createImage validates everything before touching the file', () => {
    const f = path.join(dir, 'create-bad.qcow2');
    expect(() => createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 1000 })).toThrow(/power of two/);
    expect(() => createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 4 << 20 })).toThrow(/2 MiB/);
    expect(() => createImage(f, { format: 'qcow2', size: 1 << 20, compat: '0.10', refcountBits: 8 })).toThrow(/16-bit/);
    expect(() => createImage(f, { format: 'qcow2' })).toThrow(/size is required/);
    expect(() => createImage(f, { format: 'qcow2', backingFile: 'missing.qcow2' })).toThrow(/missing\.qcow2.*ENOENT/);
    expect(() => createImage(f, { format: 'raw', size: 10, clusterSize: 512 })).toThrow(/qcow2 only/);
    expect(fs.existsSync(f)).toBe(false);
  });

  it('raw images: sparse creation, sector rounding, no snapshots', () => {
    const f = path.join(dir, 'r.raw');
    createImage(f, { format: 'raw', size: 1000 });
    expect(fs.statSync(f).size).toBe(1024);
    const img = openImage(f);
    expect(img.format).toBe('raw');
    img.write(10, Buffer.from('abc'));
    expect(img.read(9, 5)).toEqual(Buffer.from([0, 97, 98, 99, 0]));
    expectRefused(f, () => img.createSnapshot('s'), /raw images do not support internal snapshots/);
    img.resize(4096);
    expect(img.virtualSize).toBe(4096);
    img.close();
  });
});

describe.skipIf(!hasTool('qemu-img'))('qcow2 bad input from qemu-img', () => {
  it('extended L2 images are refused, untouched', () => {
    const f = path.join(dir, 'extl2.qcow2');
    qemuImg('create', '-f', 'qcow2', '-o', 'extended_l2=on,cluster_size=131072', f, '16M');
    expectRefused(f, () => openImage(f), /Unsupported qcow2 feature\(s\): extended L2/);
    expectRefused(f, () => openImage(f, { readOnly: true }), /extended L2/);
    expectRefused(f, () => checkImage(f), /extended L2/);
  });

  it('a dirty image is readable read-only and repaired on read-write open', () => {
    const f = path.join(dir, 'dirty.qcow2');
    createImage(f, { format: 'qcow2', size: 1 << 20, clusterSize: 4096, lazyRefcounts: true });
    const img = openImage(f);
    img.write(0, Buffer.alloc(8192, 5));
    img.close();
    // Simulate a lazy-refcount writer that died: dirty bit set, refcount of a data cluster lost.
    const fd = fs.openSync(f, 'r+');
    fs.writeSync(fd, Buffer.from([0, 0, 0, 1]), 0, 4, 76);
    fs.writeSync(fd, Buffer.from([0, 0]), 0, 2, 2 * 4096 + 5 * 2);
    fs.closeSync(fd);
    const ro = openImage(f, { readOnly: true });
    expect(ro.info().dirty).toBe(true);
    expect(ro.read(0, 8192).every((x) => x === 5)).toBe(true);
    ro.close();
    expect(checkImage(f).corruptions).toBeGreaterThan(0);
    const rw = openImage(f);
    expect(rw.info().dirty).toBe(false);
    rw.write(8192, Buffer.alloc(4096, 6));
    rw.close();
    const c = checkImage(f);
    expect(c.corruptions).toBe(0);
    const info = JSON.parse(qemuImg('info', '--output=json', f));
    expect(info['dirty-flag']).toBe(false);
  });
});
