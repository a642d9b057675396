// The L2 table cache is bounded: touching every L2 range of a large sparse disk keeps at most the
// budget in memory, evicted dirty tables are written back correctly (QEMU reads everything), and
// re-reading evicted tables works.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../helpers/tools';
import { createImage, openImage, checkImage, ImageError } from '../../../engine/qcow2';
import type { Qcow2Image } from '../../../engine/qcow2/image';
import { tmpDir, qemuCheck, qemuIo, pattern } from './helpers';

const GiB = 1 << 30;
const SPAN = 512 << 20; // guest bytes one 64 KiB L2 table maps

describe('qcow2 L2 cache budget', () => {
  it('rejects a non-positive or fractional budget', () => {
    const file = path.join(tmpDir(), 'a.qcow2');
    createImage(file, { format: 'qcow2', size: GiB });
    expect(() => openImage(file, { l2CacheSize: 0 })).toThrow(ImageError);
    expect(() => openImage(file, { l2CacheSize: 1.5 })).toThrow(/invalid L2 cache size/);
  });

  it.skipIf(!hasTool('qemu-img'))('touching every L2 range of a 64 GiB disk keeps at most the budget in memory', () => {
    const file = path.join(tmpDir(), 'sparse.qcow2');
    const size = 64 * GiB;
    const tables = size / SPAN; // 128 L2 tables
    createImage(file, { format: 'qcow2', size });
    const budget = 16 * 65536;
    const img = openImage(file, { l2CacheSize: budget });
    const cache = (img as unknown as Qcow2Image).l2c;
    let peak = 0;
    for (let i = 0; i < tables; i++) {
      // Two writes per table, the second after other tables were touched: evicted, dirty tables
      // must be reloaded with their first entry intact.
      img.write(i * SPAN + 4096, pattern(5000, i));
      if (i >= 20) img.write((i - 20) * SPAN + SPAN / 2, pattern(700, 1000 + i));
      peak = Math.max(peak, cache.size);
    }
    expect(peak).toBeLessThanOrEqual(16);
    for (let i = 0; i < tables; i++) {
      expect(img.read(i * SPAN + 4096, 5000).equals(pattern(5000, i)), `table ${i}`).toBe(true);
      if (i >= 20) expect(img.read((i - 20) * SPAN + SPAN / 2, 700).equals(pattern(700, 1000 + i))).toBe(true);
    }
    expect(cache.size).toBeLessThanOrEqual(16);
    img.close();
    expect(qemuCheck(file).status).toBe(0);
    expect(checkImage(file).corruptions + checkImage(file).leaks).toBe(0);
    // QEMU sees the data written through evicted tables.
    if (hasTool('qemu-io')) {
      const p = pattern(5000, 77);
      const at = 77 * SPAN + 4096;
      expect(qemuIo(file, `read -v ${at} 16`)).toContain(
        [...p.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ').slice(0, 23),
      );
    }
  });
});
