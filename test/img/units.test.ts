// Pure pieces of `virtyard img`: sizes, qemu's JSON key order, option parsing, the snapshot table,
// check summaries and the human map's coalescing.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/img/args';
import { cFixed, parseSize, sizeToStr } from '../../src/img/size';
import { toQemuJson } from '../../src/img/qjson';
import { snapshotHeader, snapshotRow } from '../../src/img/cmd/snapshot-table';
import { humanCheck, checkExitCode, checkToQ } from '../../src/img/cmd/check';
import { renderMap } from '../../src/img/cmd/map';
import { firstDiffSector } from '../../src/img/cmd/compare';
import { formattingLine, parseOptString, typedOpts, driverChecks } from '../../src/img/create-opts';
import type { CheckResult } from '../../engine/qcow2/api';

describe('sizes', () => {
  it('parses binary suffixes like qemu_strtosz', () => {
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize('1000b')).toBe(1000);
    expect(parseSize('1k')).toBe(1024);
    expect(parseSize('1.5k')).toBe(1536);
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('1.5G')).toBe(1610612736);
    expect(parseSize('1T')).toBe(2 ** 40);
    expect(parseSize('1E')).toBe(2 ** 60);
    expect(parseSize('1X')).toBeUndefined();
    expect(parseSize('-5')).toBeUndefined();
    expect(parseSize('')).toBeUndefined();
  });

  it('prints like size_to_str (%0.3g, unit switch at 1000)', () => {
    expect(sizeToStr(0)).toBe('0 B');
    expect(sizeToStr(512)).toBe('512 B');
    expect(sizeToStr(1000)).toBe('0.977 KiB');
    expect(sizeToStr(397312)).toBe('388 KiB');
    expect(sizeToStr(1073741824)).toBe('1 GiB');
    expect(sizeToStr(95212748)).toBe('90.8 MiB');
    expect(sizeToStr(104857600)).toBe('100 MiB');
  });
});

describe('C number formatting', () => {
  it('rounds %.2f ties to even on the exact double, like printf', () => {
    expect(cFixed((2 * 100) / 1600, 2)).toBe('0.12');
    expect(cFixed((3 * 100) / 1024, 2)).toBe('0.29');
    expect(cFixed(100, 2)).toBe('100.00');
    expect(cFixed(200 / 3, 2)).toBe('66.67');
    expect(cFixed(0.375, 2)).toBe('0.38');
    expect(cFixed(0, 2)).toBe('0.00');
  });
});

describe('qemu JSON', () => {
  it('orders keys as QDict does (hash buckets), matching qemu-img check output', () => {
    const s = toQemuJson({ filename: 'a.qcow2', format: 'qcow2', 'check-errors': 0, 'image-end-offset': 720896, 'total-clusters': 16384, 'allocated-clusters': 2 });
    expect(s).toBe(
      '{\n    "image-end-offset": 720896,\n    "total-clusters": 16384,\n    "check-errors": 0,\n' +
        '    "allocated-clusters": 2,\n    "filename": "a.qcow2",\n    "format": "qcow2"\n}',
    );
  });

  it('nests objects and arrays with 4-space indentation and skips undefined', () => {
    expect(toQemuJson({ type: 'qcow2', data: { compat: '1.1', corrupt: false }, x: undefined })).toBe(
      '{\n    "type": "qcow2",\n    "data": {\n        "compat": "1.1",\n        "corrupt": false\n    }\n}',
    );
    expect(toQemuJson([{ id: '1' }])).toBe('[\n    {\n        "id": "1"\n    }\n]');
  });
});

describe('argument parsing', () => {
  it('permutes options after operands, splits glued values and honours --', () => {
    const p = parseArgs(['a.img', '-fqcow2', '--output', 'json', '-q', '--', '-1M'], { short: 'f:q', long: { output: true } });
    expect(p.operands).toEqual(['a.img', '-1M']);
    expect(p.opts).toEqual([['f', 'qcow2'], ['output', 'json'], ['q', '']]);
  });

  it('rejects unknown options and missing arguments', () => {
    expect(() => parseArgs(['-x'], { short: 'f:' })).toThrow("unrecognized option '-x'");
    expect(() => parseArgs(['--bogus'], { short: 'f:' })).toThrow("unrecognized option '--bogus'");
    expect(() => parseArgs(['-f'], { short: 'f:' })).toThrow('requires an argument');
  });
});

describe('snapshot table', () => {
  it('matches qemu-img snapshot -l column widths', () => {
    expect(snapshotHeader()).toBe('ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT');
    const row = snapshotRow({ id: '1', name: 's1', vmStateSize: 0, dateSec: 0, dateNsec: 0, vmClockNsec: 3_723_004_000_000, diskSize: 1, icount: 0 });
    expect(row.slice(0, 35)).toBe('1         s1                    0 B');
    expect(row.endsWith(' 01:02:03.004          0')).toBe(true);
    expect(row.length).toBe(snapshotHeader().length);
  });
});

const base: CheckResult = {
  filename: 'x.qcow2', format: 'qcow2', checkErrors: 0, corruptions: 0, leaks: 0, corruptionsFixed: 0, leaksFixed: 0,
  totalClusters: 1024, allocatedClusters: 3, fragmentedClusters: 2, compressedClusters: 0, imageEndOffset: 524288, messages: [],
};

describe('check summaries', () => {
  it('prints the clean summary with percentages', () => {
    expect(humanCheck(base)).toBe(
      'No errors were found on the image.\n3/1024 = 0.29% allocated, 66.67% fragmented, 0.00% compressed clusters\nImage end offset: 524288\n',
    );
    expect(checkExitCode(base)).toBe(0);
  });

  it('reports leaks (exit 3), corruptions (exit 2) and repairs', () => {
    const leaky = { ...base, leaks: 3, allocatedClusters: 0 };
    expect(humanCheck(leaky)).toBe(
      '\n3 leaked clusters were found on the image.\nThis means waste of disk space, but no harm to data.\nImage end offset: 524288\n',
    );
    expect(checkExitCode(leaky)).toBe(3);
    expect(checkExitCode({ ...base, corruptions: 2, leaks: 1 })).toBe(2);
    expect(humanCheck({ ...base, leaksFixed: 3 })).toMatch(/^The following inconsistencies were found and repaired:\n\n {4}3 leaked clusters\n {4}0 corruptions\n\nDouble checking/);
    expect(checkToQ(leaky)).toMatchObject({ leaks: 3, 'allocated-clusters': undefined, corruptions: undefined });
  });
});

describe('human map', () => {
  it('lists data ranges only, in hex, merging contiguous ones from the same file', () => {
    const r = renderMap(
      [
        { start: 0, length: 65536, depth: 1, present: true, zero: false, data: true, compressed: false, offset: 0x50000 },
        { start: 65536, length: 65536, depth: 0, present: true, zero: false, data: true, compressed: false, offset: 0x50000 },
        { start: 131072, length: 65536, depth: 0, present: true, zero: false, data: true, compressed: false, offset: 0x60000 },
        { start: 196608, length: 1 << 20, depth: 1, present: false, zero: true, data: false, compressed: false },
      ],
      ['o.qcow2', 'a.qcow2'],
      'human',
    );
    expect(r.text).toBe(
      'Offset          Length          Mapped to       File\n' +
        '0               0x10000         0x50000         a.qcow2\n' +
        '0x10000         0x20000         0x50000         o.qcow2\n',
    );
  });

  it('refuses compressed clusters in human form but prints them in JSON', () => {
    const ext = [{ start: 0, length: 1 << 20, depth: 0, present: true, zero: false, data: true, compressed: true }];
    expect(renderMap(ext, ['c.qcow2'], 'human').error).toBe('File contains external, encrypted or compressed clusters.');
    expect(renderMap(ext, ['c.qcow2'], 'json').text).toBe('[{ "start": 0, "length": 1048576, "depth": 0, "present": true, "zero": false, "data": true}]\n');
  });
});

describe('compare granularity', () => {
  it('reports the first differing 512-byte sector', () => {
    const a = Buffer.alloc(4096);
    const b = Buffer.alloc(4096);
    b[1500] = 1;
    expect(firstDiffSector(a, b)).toBe(1024);
    expect(firstDiffSector(a, Buffer.alloc(4096))).toBe(-1);
  });
});

describe('create options', () => {
  it('renders the Formatting line in qemu-img order', () => {
    const o = parseOptString('compat=0.10,cluster_size=4k', 'qcow2', 'v2.qcow2');
    const t = typedOpts('v2.qcow2', 'qcow2', o);
    expect(formattingLine('v2.qcow2', 'qcow2', 104857600, o, t.clusterSize)).toBe(
      "Formatting 'v2.qcow2', fmt=qcow2 cluster_size=4096 extended_l2=off compression_type=zlib size=104857600 compat=0.10 lazy_refcounts=off refcount_bits=16\n",
    );
  });

  it('rejects bad option names and values like qemu-img', () => {
    expect(() => parseOptString('foo=1', 'qcow2', 'z')).toThrow("z: Invalid parameter 'foo'");
    expect(() => parseOptString('cluster_size=4k', 'raw', 'z')).toThrow("z: Invalid parameter 'cluster_size'");
    expect(() => typedOpts('z', 'qcow2', { compat: '2' })).toThrow("Parameter 'version' does not accept value '2'");
    expect(() => typedOpts('z', 'qcow2', { lazy_refcounts: 'maybe' })).toThrow("expects 'on' or 'off'");
    expect(() => driverChecks('z', typedOpts('z', 'qcow2', { cluster_size: '3000' }))).toThrow('Cluster size must be a power of two');
    expect(() => driverChecks('z', typedOpts('z', 'qcow2', { refcount_bits: '3' }))).toThrow('Refcount width must be a power of two');
    expect(() => driverChecks('z', typedOpts('z', 'qcow2', { compat: '0.10', lazy_refcounts: 'on' }))).toThrow('Lazy refcounts only supported');
  });
});
