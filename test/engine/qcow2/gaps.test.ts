// Library calls added for `virtyard img` (readInto, deallocate, setBacking, opening without the
// backing chain, snapshot icount/date-nsec, raw sizes) — each checked against qemu-img's view.
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage, ImageError } from '../../../engine/qcow2';
import { tmpDir, qemuImg, qemuIo, qemuCheck, qemuRaw } from './helpers';

const has = hasTool('qemu-img') && hasTool('qemu-io');
const KiB = 1024;
const MiB = 1024 * KiB;

describe.skipIf(!has)('qcow2 library gaps', () => {
  let dir: string;
  const P = (n: string) => path.join(dir, n);
  beforeAll(() => {
    dir = tmpDir('vy-gaps-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** base (pattern 0x11 over the first 2 MiB) and a v3 overlay with its own data over part of it. */
  function chain(prefix: string, compat: '1.1' | '0.10' = '1.1'): { base: string; top: string } {
    const base = P(`${prefix}-base.qcow2`);
    const top = P(`${prefix}-top.qcow2`);
    qemuImg('create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, base, '8M');
    qemuIo(base, 'write -P 0x11 0 2M');
    qemuImg('create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, '-b', path.basename(base), '-F', 'qcow2', top);
    qemuIo(top, 'write -P 0x22 64k 128k', 'write -P 0x33 4M 64k', 'write -z 1M 64k');
    return { base, top };
  }

  describe('readInto', () => {
    it('fills the caller’s buffer exactly like read(), through the backing chain', () => {
      const { top } = chain('ri');
      const img = openImage(top, { readOnly: true });
      try {
        const buf = Buffer.alloc(3 * MiB, 0xee);
        img.readInto(100, buf);
        expect(buf.equals(img.read(100, 3 * MiB))).toBe(true);
        expect(buf.equals(qemuRaw(top).subarray(100, 100 + 3 * MiB))).toBe(true);
        const view = buf.subarray(10, 20);
        img.readInto(64 * KiB, view);
        expect([...view]).toEqual(new Array(10).fill(0x22));
        expect(buf[9]).toBe(0x11); // bytes outside the view untouched
        expect(() => img.readInto(8 * MiB - 4, Buffer.alloc(8))).toThrow(/beyond the virtual size/);
      } finally {
        img.close();
      }
      expect(() => img.readInto(0, Buffer.alloc(1))).toThrow(/closed/);
    });

    it('works on raw images', () => {
      const f = P('ri.raw');
      fs.writeFileSync(f, Buffer.from('0123456789'.repeat(100)));
      const img = openImage(f, { format: 'raw', readOnly: true });
      const b = Buffer.alloc(4);
      img.readInto(12, b);
      img.close();
      expect(b.toString()).toBe('2345');
    });
  });

  describe('setBacking', () => {
    it('repoints the header like qemu-img rebase -u and reads through the new chain at once', () => {
      const { top } = chain('sb');
      const other = P('sb-other.raw');
      fs.writeFileSync(other, Buffer.alloc(8 * MiB, 0x44));
      const img = openImage(top);
      img.setBacking('sb-other.raw', 'raw');
      expect(img.read(3 * MiB, 2).equals(Buffer.from([0x44, 0x44]))).toBe(true);
      expect(img.backing?.filename).toBe(other);
      img.close();
      const info = JSON.parse(qemuImg('info', '--output=json', top));
      expect(info['backing-filename']).toBe('sb-other.raw');
      expect(info['backing-filename-format']).toBe('raw');
      expect(qemuRaw(top)[3 * MiB]).toBe(0x44);
      expect(qemuCheck(top).status).toBe(0);
    });

    it('drops the backing file, keeps other header extensions, leaves no stale name bytes', () => {
      const { top } = chain('sbd', '0.10');
      const img = openImage(top);
      img.setBacking(undefined);
      expect(img.read(0, 1)[0]).toBe(0);
      img.close();
      const info = JSON.parse(qemuImg('info', '--output=json', top));
      expect(info['backing-filename']).toBeUndefined();
      expect(fs.readFileSync(top).subarray(0, 64 * KiB).includes(Buffer.from('sbd-base'))).toBe(false);
      expect(qemuCheck(top).status).toBe(0);
    });

    it('validates everything before changing anything', () => {
      const { top } = chain('sbx');
      const before = fs.readFileSync(top);
      const img = openImage(top);
      expect(() => img.setBacking('missing.qcow2', 'qcow2')).toThrow(/missing\.qcow2/);
      expect(() => img.setBacking('x'.repeat(1024), 'qcow2')).toThrow(/longer than 1023/);
      expect(() => img.setBacking('sbx-base.qcow2', 'vmdk' as never)).toThrow(/unknown format 'vmdk'/);
      expect(img.read(0, 1)[0]).toBe(0x11); // still reading the old chain
      img.close();
      expect(fs.readFileSync(top).equals(before)).toBe(true);
      const ro = openImage(top, { readOnly: true });
      expect(() => ro.setBacking(undefined)).toThrow(/read-only/);
      ro.close();
      const raw = P('sbx.raw');
      fs.writeFileSync(raw, Buffer.alloc(512));
      const r = openImage(raw, { format: 'raw' });
      expect(() => r.setBacking('a', 'raw')).toThrow(/raw images cannot have a backing file/);
      r.close();
    });
  });

  describe('noBacking', () => {
    it('opens an overlay whose backing file is missing: info names it, setBacking repairs it', () => {
      const { base, top } = chain('nb');
      fs.renameSync(base, P('nb-moved.qcow2'));
      expect(() => openImage(top, { readOnly: true })).toThrow(/nb-base\.qcow2/);
      const ro = openImage(top, { readOnly: true, noBacking: true });
      const info = ro.info();
      expect(info.backingFilename).toBe('nb-base.qcow2');
      expect(info.fullBackingFilename).toBe(base);
      expect(info.backingFilenameFormat).toBe('qcow2');
      expect(ro.backing).toBeUndefined();
      expect(ro.read(0, 1)[0]).toBe(0); // unallocated reads zero (backing=null)
      expect(ro.read(64 * KiB, 1)[0]).toBe(0x22);
      ro.close();
      const rw = openImage(top, { noBacking: true });
      expect(() => rw.write(0, Buffer.alloc(512))).toThrow(/without its backing file/);
      expect(() => rw.discard(0, 64 * KiB)).toThrow(/without its backing file/);
      rw.setBacking('nb-moved.qcow2', 'qcow2'); // the new file need not open in this mode
      rw.close();
      expect(qemuRaw(top)[0]).toBe(0x11);
      expect(qemuCheck(top).status).toBe(0);
    });
  });

  describe('raw sizes', () => {
    it('round up to whole 512-byte sectors like QEMU; the padding reads as zeroes and maps as zero', () => {
      const f = P('eight.raw');
      fs.writeFileSync(f, 'abcdefgh');
      const img = openImage(f, { format: 'raw' });
      expect(img.virtualSize).toBe(512);
      expect(img.virtualSize).toBe(JSON.parse(qemuImg('info', '--output=json', '-f', 'raw', f))['virtual-size']);
      const all = img.read(0, 512);
      expect(all.subarray(0, 8).toString()).toBe('abcdefgh');
      expect(all.subarray(8).equals(Buffer.alloc(504))).toBe(true);
      expect(img.map()).toEqual([
        { start: 0, length: 8, depth: 0, present: true, zero: false, data: true, compressed: false, offset: 0 },
        { start: 8, length: 504, depth: 0, present: true, zero: true, data: false, compressed: false, offset: 8 },
      ]);
      img.write(510, Buffer.from('yz')); // inside the padding: the file grows to the full sector
      expect(img.read(508, 4).toString('latin1')).toBe('\0\0yz');
      expect(() => img.write(511, Buffer.from('no'))).toThrow(/beyond the virtual size 512/);
      img.close();
      expect(fs.statSync(f).size).toBe(512);
      // A qcow2 overlay over it sees the same 512-byte disk.
      const top = P('eight-top.qcow2');
      createImage(top, { format: 'qcow2', backingFile: 'eight.raw', backingFormat: 'raw' });
      expect(JSON.parse(qemuImg('info', '--output=json', top))['virtual-size']).toBe(512);
    });
  });

  describe('createSnapshot options', () => {
    it('records date-nsec and icount as qemu-img shows them', () => {
      const f = P('snapopts.qcow2');
      createImage(f, { format: 'qcow2', size: MiB });
      const img = openImage(f);
      const s = img.createSnapshot('a', { dateSec: 1700000000, dateNsec: 123456000, icount: 0 });
      expect([s.dateNsec, s.icount]).toEqual([123456000, 0]);
      img.createSnapshot('b', { dateSec: 1700000001, icount: 2 ** 40 });
      img.createSnapshot('c'); // icount not recorded
      for (const bad of [{ dateNsec: 1e9 }, { dateNsec: 1.5 }, { icount: -2 }, { vmClockNsec: -1 }]) {
        expect(() => img.createSnapshot('bad', bad)).toThrow(/invalid snapshot/);
      }
      expect(img.listSnapshots().map((x) => x.name)).toEqual(['a', 'b', 'c']);
      img.close();
      const q = JSON.parse(qemuImg('info', '--output=json', f)).snapshots;
      expect(q.map((x: Record<string, unknown>) => [x['date-nsec'], x.icount])).toEqual([[123456000, 0], [0, 2 ** 40], [0, undefined]]);
      expect(qemuCheck(f).status).toBe(0);
    });
  });

  describe('checkImage repair of a crashed lazy-refcount image', () => {
    it('counts and words it as qemu-img check -r all does, then leaves it clean', () => {
      const f = P('lazy.qcow2');
      qemuImg('create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on', f, '64M');
      spawnSync('qemu-io', ['-c', 'write 0 64k', '-c', 'abort', f], { stdio: 'ignore' });
      expect(checkImage(f).corruptions).toBe(2); // refcount 0 under a reference, and its COPIED flag
      const leaksOnly = checkImage(f, { repair: 'leaks' });
      expect(leaksOnly.failed).toBe('Input/output error');
      expect(leaksOnly.messages).toEqual(['ERROR cluster 5 refcount=0 reference=1', 'ERROR need to rebuild refcount structures']);
      const r = checkImage(f, { repair: 'all' });
      expect([r.corruptionsFixed, r.leaksFixed, r.corruptions, r.leaks]).toEqual([1, 0, 0, 0]);
      expect(r.messages).toEqual([
        'ERROR cluster 5 refcount=0 reference=1',
        'Rebuilding refcount structure',
        'Repairing cluster 1 refcount=1 reference=0',
        'Repairing cluster 2 refcount=1 reference=0',
      ]);
      expect(r.imageEndOffset).toBe(8 * 64 * KiB);
      expect(qemuCheck(f).status).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', f))['dirty-flag']).toBe(false);
    });
  });

  describe('deallocate', () => {
    it('makes v3 overlay clusters read through to the backing file again (discard would mask it)', () => {
      const { base, top } = chain('da');
      const img = openImage(top);
      img.deallocate(0, img.virtualSize);
      img.close();
      expect(qemuRaw(top).equals(qemuRaw(base))).toBe(true);
      const map = JSON.parse(qemuImg('map', '--output=json', top));
      expect(map.every((e: { depth: number }) => e.depth === 1)).toBe(true);
      expect(qemuCheck(top).status).toBe(0);
      // Like an overlay emptied by qemu-img commit: header, refcount table and block, L1.
      expect(fs.statSync(top).size).toBe(4 * 64 * KiB);
    });

    it('handles part of a table, v2 images and a trailing partial cluster at the disk end', () => {
      const { base, top } = chain('dv2', '0.10');
      const img = openImage(top);
      img.deallocate(64 * KiB, 64 * KiB); // half of the 128k write
      img.close();
      const want = qemuRaw(base);
      const got = qemuRaw(top);
      expect(got.subarray(64 * KiB, 128 * KiB).equals(want.subarray(64 * KiB, 128 * KiB))).toBe(true);
      expect(got[128 * KiB]).toBe(0x22);
      expect(got[4 * MiB]).toBe(0x33);
      expect(qemuCheck(top).status).toBe(0);

      const odd = P('odd.qcow2');
      createImage(odd, { format: 'qcow2', size: 100 * KiB + 512 });
      const o = openImage(odd);
      o.write(64 * KiB, Buffer.alloc(36 * KiB + 512, 7));
      o.deallocate(64 * KiB, 36 * KiB + 512);
      expect(o.read(64 * KiB, 36 * KiB + 512).equals(Buffer.alloc(36 * KiB + 512))).toBe(true);
      o.close();
      expect(qemuCheck(odd).status).toBe(0);
    });

    it('keeps what snapshots reference', () => {
      const f = P('dsnap.qcow2');
      createImage(f, { format: 'qcow2', size: 4 * MiB });
      const img = openImage(f);
      img.write(0, Buffer.alloc(256 * KiB, 5));
      img.createSnapshot('s1');
      img.deallocate(0, 4 * MiB);
      expect(img.read(0, 4).equals(Buffer.alloc(4))).toBe(true);
      img.applySnapshot('s1');
      expect(img.read(255 * KiB, 4).equals(Buffer.alloc(4, 5))).toBe(true);
      img.close();
      expect(qemuCheck(f).status).toBe(0);
      expect(checkImage(f).leaks).toBe(0);
    });

    it('refuses ranges that are not whole clusters, changing nothing', () => {
      const { top } = chain('dbad');
      const before = fs.readFileSync(top);
      const img = openImage(top);
      try {
        expect(() => img.deallocate(512, 64 * KiB)).toThrow(ImageError);
        expect(() => img.deallocate(0, 1000)).toThrow(/whole 65536-byte clusters/);
        expect(() => img.deallocate(0, 9 * MiB)).toThrow(/beyond the virtual size/);
      } finally {
        img.close();
      }
      expect(fs.readFileSync(top).equals(before)).toBe(true);
    });
  });
});
