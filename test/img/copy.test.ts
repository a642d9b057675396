// The bulk-copy helpers: memcmp zero detection (every byte counts, including sign-only patterns
// that a float view would call zero), run splitting (one call per run, not per cluster), the
// reused read buffer and the read-ahead worker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachRun, isZero, ReadBuffer } from '../../src/img/copy';
import { Prefetcher } from '../../src/img/prefetch';
import type { BlockImage } from '../../engine/qcow2/api';

describe('isZero', () => {
  it('finds any non-zero byte, also beyond the 2 MiB compare buffer', () => {
    const b = Buffer.alloc(5 * 1024 * 1024);
    expect(isZero(b, 0, b.length)).toBe(true);
    b[b.length - 1] = 1;
    expect(isZero(b, 0, b.length)).toBe(false);
    expect(isZero(b, 0, b.length - 1)).toBe(true);
    b.fill(0);
    b.writeDoubleLE(-0, 4096); // -0 === 0 as a float, but the bytes are not zero
    expect(isZero(b, 0, 8192)).toBe(false);
    expect(isZero(b, 8192, 8192)).toBe(true);
  });
});

describe('forEachRun', () => {
  it('merges neighbouring clusters of the same kind and handles a short tail', () => {
    const cs = 512;
    const b = Buffer.alloc(cs * 6 + 100);
    b[cs * 1 + 7] = 1; // cluster 1 data
    b[cs * 2] = 2; // cluster 2 data
    b[cs * 5 + 3] = 3; // cluster 5 data, then a zero tail of 100 bytes
    const calls: string[] = [];
    forEachRun(b, 1 << 20, cs, {
      data: (base, buf, s, e) => calls.push(`D ${base + s}-${base + e}`),
      zero: (base, s, e) => calls.push(`Z ${base + s}-${base + e}`),
    });
    const at = (n: number) => (1 << 20) + n;
    expect(calls).toEqual([`Z ${at(0)}-${at(512)}`, `D ${at(512)}-${at(1536)}`, `Z ${at(1536)}-${at(2560)}`, `D ${at(2560)}-${at(3072)}`, `Z ${at(3072)}-${at(3172)}`]);
  });
});

describe('ReadBuffer', () => {
  it('reuses its buffer and reads zeroes past the end of a shorter image', () => {
    const data = Buffer.from('abcdefgh');
    const img = { virtualSize: 8, readInto: (off: number, buf: Buffer) => data.copy(buf, 0, off, off + buf.length) } as unknown as BlockImage;
    const rb = new ReadBuffer(16);
    const a = rb.read(img, 4, 8);
    expect(a.toString('latin1')).toBe('efgh\0\0\0\0');
    const b = rb.read(undefined, 0, 4);
    expect([...b]).toEqual([0, 0, 0, 0]);
    // Same memory: the second read overwrote the first view's bytes.
    expect(a.toString('latin1')).toBe('\0\0\0\0\0\0\0\0');
  });
});

describe('Prefetcher', () => {
  it('hands out the chunks in order from a worker, zero-filling past the end of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vy-prefetch-'));
    try {
      const f = join(dir, 'src.raw');
      const data = Buffer.alloc(10000);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 255;
      writeFileSync(f, data);
      const chunks: Array<[number, number]> = [];
      for (let off = 0; off < 10240; off += 1024) chunks.push([off, Math.min(1024, 10240 - off)]);
      const p = new Prefetcher(f, chunks);
      try {
        const got: Buffer[] = [];
        for (const [off, len] of chunks) got.push(Buffer.from(p.read(off, len))); // copy: views are reused
        const all = Buffer.concat(got);
        expect(all.subarray(0, 10000).equals(data)).toBe(true);
        expect(all.subarray(10000).equals(Buffer.alloc(240))).toBe(true);
      } finally {
        p.close();
      }
      const q = new Prefetcher(f, chunks);
      expect(() => q.read(1024, 1024)).toThrow(/out of order/);
      q.close();
      const missing = new Prefetcher(join(dir, 'nope.raw'), chunks);
      expect(() => missing.read(0, 1024)).toThrow(/read failed: ENOENT/);
      missing.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
