import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpuTime, formatDuration, formatKiB } from '../../../engine/index';

describe('format helpers', () => {
  it('sizes in virsh style', () => {
    expect(formatBytes(0)).toBe('0.00 B');
    expect(formatBytes(100 * 2 ** 30)).toBe('100.00 GiB');
    expect(formatKiB(512 * 1024)).toBe('512.00 MiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
  });
  it('durations and cpu time', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(725_000)).toBe('12m 5s');
    expect(formatDuration(3 * 3600_000 + 120_000)).toBe('3h 2m');
    expect(formatDuration((63 * 24 + 17) * 3600_000)).toBe('63d 17h');
    expect(formatCpuTime(1_234_500_000_000)).toBe('1234.5s');
  });
});
