// info / check / map of virtyard must equal qemu-img's for the same image, for images made by
// qemu-img and for images made by virtyard (JSON compared field by field, minus disk usage and dates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';
import { openImage } from '../../engine/qcow2/index';
import { dropDiskSize, img, normalized, qemuImg, qemuIo, tempDir } from './helpers';

const t = tempDir();
const P = t.path;

function virtyardWrites(file: string): void {
  const i = openImage(file, { format: 'qcow2' });
  i.write(0, Buffer.alloc(128 * 1024, 0x11));
  i.writeZeroes(1024 * 1024, 64 * 1024);
  i.write(5 * 1024 * 1024 + 4096, Buffer.alloc(10000, 0x22));
  i.flush();
  i.close();
}

const images: Array<{ name: string; chain?: boolean }> = [];

describe.skipIf(!hasTool('qemu-img') || !hasTool('qemu-io'))('virtyard img vs qemu-img on the same images', () => {
  beforeAll(() => {
    // made by qemu-img / qemu-io
    qemuImg('create', '-f', 'qcow2', P('q-plain.qcow2'), '1G');
    qemuIo(P('q-plain.qcow2'), 'write -P 0x11 0 128k', 'write -z 1M 64k', 'write -P 0x22 5124k 10000');
    qemuImg('snapshot', '-c', 'first', P('q-plain.qcow2'));
    qemuIo(P('q-plain.qcow2'), 'write -P 0x33 64k 64k');
    qemuImg('create', '-f', 'qcow2', '-o', 'compat=0.10,cluster_size=4096', P('q-v2.qcow2'), '100M');
    qemuIo(P('q-v2.qcow2'), 'write -P 0x44 8k 20k', 'write -P 0x45 50M 1M');
    qemuImg('create', '-f', 'qcow2', '-o', 'lazy_refcounts=on,refcount_bits=8', P('q-lazy.qcow2'), '64M');
    qemuImg('create', '-f', 'qcow2', '-b', 'q-v2.qcow2', '-F', 'qcow2', P('q-overlay.qcow2'));
    qemuIo(P('q-overlay.qcow2'), 'write -P 0x55 12k 8k', 'write -z 50M 4k');
    qemuImg('create', '-f', 'raw', P('q.raw'), '10M');
    qemuIo(P('q.raw'), 'write -P 0x66 1M 64k');
    // made by virtyard
    img('create', '-f', 'qcow2', P('v-plain.qcow2'), '1G');
    virtyardWrites(P('v-plain.qcow2'));
    img('snapshot', '-c', 'first', P('v-plain.qcow2'));
    img('create', '-f', 'qcow2', '-o', 'compat=0.10,cluster_size=4k', P('v-v2.qcow2'), '100M');
    virtyardWrites(P('v-v2.qcow2'));
    img('create', '-f', 'qcow2', '-o', 'refcount_bits=8,cluster_size=512', P('v-small.qcow2'), '8M');
    virtyardWrites(P('v-small.qcow2'));
    img('create', '-f', 'qcow2', '-b', 'v-plain.qcow2', '-F', 'qcow2', P('v-overlay.qcow2'));
    img('convert', '-c', '-O', 'qcow2', P('q-v2.qcow2'), P('v-comp.qcow2'));
    img('create', '-f', 'raw', P('v.raw'), '3M');
    images.push(
      ...['q-plain.qcow2', 'q-v2.qcow2', 'q-lazy.qcow2', 'q.raw', 'v-plain.qcow2', 'v-v2.qcow2', 'v-small.qcow2', 'v-comp.qcow2', 'v.raw'].map((name) => ({ name })),
      { name: 'q-overlay.qcow2', chain: true },
      { name: 'v-overlay.qcow2', chain: true },
    );
  });
  afterAll(() => t.cleanup());

  it('info --output=json (and --backing-chain) equals qemu-img', () => {
    for (const { name, chain } of images) {
      const args = ['info', '--output=json', ...(chain ? ['--backing-chain'] : []), P(name)];
      const ours = img(...args);
      const theirs = qemuImg(...args);
      expect(theirs.code, theirs.err).toBe(0);
      expect(ours.err).toBe('');
      expect(normalized(ours.out), name).toEqual(normalized(theirs.out));
    }
  });

  it('info human output equals qemu-img apart from disk size', () => {
    for (const { name, chain } of images) {
      const args = ['info', ...(chain ? ['--backing-chain'] : []), P(name)];
      const ours = img(...args).out;
      const theirs = qemuImg(...args).out;
      expect(ours.split('\n\n').map(dropDiskSize), name).toEqual(theirs.split('\n\n').map(dropDiskSize));
    }
  });

  it('check --output=json and human equal qemu-img, with the same exit code', () => {
    for (const { name } of images) {
      const ours = img('check', '--output=json', P(name));
      const theirs = qemuImg('check', '--output=json', P(name));
      expect(ours.code, name).toBe(theirs.code);
      if (theirs.out) expect(normalized(ours.out), name).toEqual(normalized(theirs.out));
      else expect(ours.err).toBe(theirs.err.replace(/^qemu-img:/gm, 'virtyard img:'));
      expect(img('check', P(name)).out, name).toBe(qemuImg('check', P(name)).out);
    }
  });

  // Raw images are left out: qemu-img finds holes with SEEK_DATA/SEEK_HOLE, which Node's fs
  // cannot do, so the library reports a raw file as one data extent.
  it('map --output=json and human equal qemu-img (qcow2)', () => {
    for (const { name } of images.filter((i) => i.name.endsWith('.qcow2'))) {
      const ours = img('map', '--output=json', P(name));
      const theirs = qemuImg('map', '--output=json', P(name));
      expect(ours.out, name).toBe(theirs.out);
      const h = img('map', P(name));
      const q = qemuImg('map', P(name));
      expect(h.out, name).toBe(q.out);
      expect(h.code, name).toBe(q.code);
    }
  });

  it('snapshot -l prints the same table as qemu-img', () => {
    for (const name of ['q-plain.qcow2', 'v-plain.qcow2']) {
      const ours = img('snapshot', '-l', P(name));
      expect(ours.out).toContain('first');
      expect(ours.out).toBe(qemuImg('snapshot', '-l', P(name)).out);
    }
  });
});
