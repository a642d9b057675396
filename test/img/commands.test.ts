// Each subcommand's effect, verified with qemu-img: create, convert, resize, compare, commit,
// rebase, snapshot, check exit codes, and bad input leaving the disk untouched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readFileSync, statSync, writeSync, closeSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/tools';
import { img, normalized, qemuImg, qemuIo, tempDir } from './helpers';

const t = tempDir();
const P = t.path;
const sameQemu = (s: string) => s.replace(/^qemu-img:/gm, 'virtyard img:').replace(/qemu-img --help/g, 'virtyard img --help');

describe.skipIf(!hasTool('qemu-img') || !hasTool('qemu-io'))('virtyard img subcommands', () => {
  beforeAll(() => {
    qemuImg('create', '-f', 'qcow2', P('base.qcow2'), '8M');
    qemuIo(P('base.qcow2'), 'write -P 1 0 2M', 'write -P 7 6M 64k');
    qemuImg('create', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', P('top.qcow2'));
    qemuIo(P('top.qcow2'), 'write -P 2 1M 2M', 'write -z 6M 4k');
  });
  afterAll(() => t.cleanup());

  describe('create', () => {
    const cases: string[][] = [
      ['-f', 'qcow2', 'c1.qcow2', '1G'],
      ['-f', 'qcow2', '-o', 'compat=0.10,cluster_size=4k', 'c2.qcow2', '100M'],
      ['-f', 'qcow2', '-o', 'lazy_refcounts=on,refcount_bits=8', 'c3.qcow2', '1.5G'],
      ['-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', 'c4.qcow2'],
      ['-f', 'qcow2', '-o', 'backing_file=base.qcow2,backing_fmt=qcow2', 'c5.qcow2', '16M'],
      ['-f', 'raw', 'c6.raw', '10M'],
      ['c7.raw', '1000b'],
    ];
    it('prints the same Formatting line and makes the same image as qemu-img', () => {
      for (const c of cases) {
        const file = c.find((a) => /^c\d\./.test(a))!;
        const args = c.map((a) => (a === file ? P(file) : a));
        const theirs = qemuImg('create', ...args);
        const theirInfo = qemuImg('info', '--output=json', P(file)).out;
        const ours = img('create', ...args);
        expect(ours.code, ours.err).toBe(0);
        expect(ours.out).toBe(theirs.out);
        expect(normalized(qemuImg('info', '--output=json', P(file)).out)).toEqual(normalized(theirInfo));
        expect(qemuImg('check', P(file)).code).toBe(file.endsWith('raw') ? 63 : 0);
      }
    });

    it('refuses bad input with qemu-img messages, exit 1, and creates nothing', () => {
      const bad: Array<[string[], string]> = [
        [['-f', 'qcow2', 'e1.qcow2'], 'Image creation needs a size parameter'],
        [['-f', 'qcow2', 'e2.qcow2', '1X'], 'Invalid image size specified'],
        [['-f', 'vmdk2', 'e3.qcow2', '1M'], "Unknown file format 'vmdk2'"],
        [['-f', 'qcow2', '-o', 'foo=1', 'e4.qcow2', '1M'], "Invalid parameter 'foo'"],
        [['-f', 'qcow2', '-b', 'nonexist.qcow2', '-F', 'qcow2', 'e5.qcow2'], "Could not open 'nonexist.qcow2': No such file or directory"],
        [['-f', 'qcow2', '-b', 'base.qcow2', 'e6.qcow2'], 'Backing file specified without backing format'],
        [['-f', 'qcow2', '-o', 'cluster_size=3000', 'e7.qcow2', '1M'], 'Cluster size must be a power of two between 512 and 2048k'],
        [['-f', 'qcow2', '-o', 'compat=0.10,lazy_refcounts=on', 'e8.qcow2', '1M'], 'Lazy refcounts only supported'],
        [['-x', 'e9.qcow2', '1M'], "unrecognized option '-x'"],
      ];
      for (const [args, msg] of bad) {
        const file = args.find((a) => a.startsWith('e'))!;
        const r = img('create', ...args.map((a) => (a === file ? P(file) : a)));
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.err).toContain(msg);
        expect(r.err.startsWith('virtyard img: ')).toBe(true);
        expect(existsSync(P(file)), file).toBe(false);
      }
    });
  });

  describe('convert', () => {
    it('copies through the backing chain to qcow2 and raw, identical by qemu-img compare', () => {
      expect(img('convert', '-O', 'qcow2', P('top.qcow2'), P('flat.qcow2')).code).toBe(0);
      expect(img('convert', '-O', 'raw', P('top.qcow2'), P('flat.raw')).code).toBe(0);
      expect(qemuImg('compare', P('top.qcow2'), P('flat.qcow2')).out).toBe('Images are identical.\n');
      expect(qemuImg('compare', '-F', 'raw', P('top.qcow2'), P('flat.raw')).out).toBe('Images are identical.\n');
      expect(qemuImg('check', P('flat.qcow2')).code).toBe(0);
      const info = JSON.parse(qemuImg('info', '--output=json', P('flat.qcow2')).out);
      expect(info['backing-filename']).toBeUndefined();
    });

    it('honours -t: writeback syncs the target, both modes give the same image', () => {
      expect(img('convert', '-t', 'writeback', '-O', 'qcow2', P('top.qcow2'), P('wb.qcow2')).code).toBe(0);
      expect(img('convert', '-t', 'unsafe', '-O', 'qcow2', P('top.qcow2'), P('un.qcow2')).code).toBe(0);
      expect(qemuImg('compare', '-s', P('wb.qcow2'), P('un.qcow2')).code).toBe(0);
      expect(qemuImg('check', P('un.qcow2')).code).toBe(0);
    });

    it('does not allocate all-zero clusters', () => {
      const fd = openSync(P('zeros.raw'), 'w');
      writeSync(fd, Buffer.alloc(4 * 1024 * 1024)); // written zeroes, not a hole
      writeSync(fd, Buffer.alloc(64 * 1024, 9), 0, 64 * 1024, 1024 * 1024);
      closeSync(fd);
      expect(img('convert', '-f', 'raw', '-O', 'qcow2', P('zeros.raw'), P('zeros.qcow2')).code).toBe(0);
      const chk = JSON.parse(qemuImg('check', '--output=json', P('zeros.qcow2')).out);
      expect(chk['allocated-clusters']).toBe(1);
      expect(qemuImg('compare', '-f', 'raw', P('zeros.raw'), P('zeros.qcow2')).code).toBe(0);
    });

    it('reads big raw sources ahead on a worker: same image and allocation as qemu-img', () => {
      const f = P('big.raw');
      const fd = openSync(f, 'w');
      for (let i = 0; i < 40; i++) writeSync(fd, Buffer.alloc(64 * 1024, i + 1), 0, 64 * 1024, i * 2 * 1024 * 1024 + 4096 * i);
      writeSync(fd, Buffer.alloc(1024 * 1024), 0, 1024 * 1024, 79 * 1024 * 1024); // written zeroes at the end
      writeSync(fd, Buffer.from('tail'), 0, 4, 80 * 1024 * 1024 + 100); // odd size: the last sector is padded
      closeSync(fd);
      expect(img('convert', '-f', 'raw', '-O', 'qcow2', f, P('big-v.qcow2')).code).toBe(0);
      qemuImg('convert', '-f', 'raw', '-O', 'qcow2', f, P('big-q.qcow2'));
      expect(qemuImg('compare', '-s', P('big-v.qcow2'), P('big-q.qcow2')).out).toBe('Images are identical.\n');
      const alloc = (n: string) => JSON.parse(qemuImg('check', '--output=json', P(n)).out)['allocated-clusters'];
      expect(alloc('big-v.qcow2')).toBe(alloc('big-q.qcow2'));
    });

    it('compresses with -c (smaller file, compressed clusters, same content)', () => {
      const fd = openSync(P('text.raw'), 'w');
      writeSync(fd, Buffer.from('hello world\n'.repeat(200000)));
      closeSync(fd);
      expect(img('convert', '-c', '-f', 'raw', '-O', 'qcow2', P('text.raw'), P('text.qcow2')).code).toBe(0);
      const chk = JSON.parse(qemuImg('check', '--output=json', P('text.qcow2')).out);
      expect(chk['compressed-clusters']).toBeGreaterThan(0);
      expect(statSync(P('text.qcow2')).size).toBeLessThan(statSync(P('text.raw')).size / 4);
      expect(qemuImg('compare', '-f', 'raw', P('text.raw'), P('text.qcow2')).code).toBe(0);
    });

    it('with -B writes only the top layer over the new backing file, as qemu-img does', () => {
      expect(img('convert', '-O', 'qcow2', '-B', 'base.qcow2', '-F', 'qcow2', P('top.qcow2'), P('rebased.qcow2')).code).toBe(0);
      qemuImg('convert', '-O', 'qcow2', '-B', 'base.qcow2', '-F', 'qcow2', P('top.qcow2'), P('rebased-q.qcow2'));
      expect(qemuImg('compare', P('top.qcow2'), P('rebased.qcow2')).code).toBe(0);
      const noOffsets = (s: string) => s.replace(/, "offset": \d+/g, '');
      expect(noOffsets(qemuImg('map', '--output=json', P('rebased.qcow2')).out)).toBe(noOffsets(qemuImg('map', '--output=json', P('rebased-q.qcow2')).out));
      expect(JSON.parse(qemuImg('info', '--output=json', P('rebased.qcow2')).out)['backing-filename']).toBe('base.qcow2');
    });

    it('reports bad arguments like qemu-img', () => {
      expect(img('convert', '-O', 'raw', '-c', P('top.qcow2'), P('x.raw')).err).toBe('virtyard img: Compression not supported for this file format\n');
      expect(img('convert', '-O', 'vmdkx', P('top.qcow2'), P('x.raw')).err).toBe("virtyard img: Unknown file format 'vmdkx'\n");
      expect(img('convert', '-O', 'qcow2', '-B', 'base.qcow2', P('top.qcow2'), P('x.qcow2')).err).toContain('requires explicit backing format');
      expect(img('convert', '-O', 'qcow2', P('nofile'), P('x.qcow2')).code).toBe(1);
      expect(img('convert', '-t', 'bogus', '-O', 'qcow2', P('top.qcow2'), P('x.qcow2')).err).toBe('virtyard img: Invalid cache option: bogus\n');
      expect(img('convert', '-T', 'bogus', '-O', 'qcow2', P('top.qcow2'), P('x.qcow2')).err).toBe('virtyard img: Invalid source cache option: bogus\n');
      expect(existsSync(P('x.qcow2')) || existsSync(P('x.raw'))).toBe(false);
    });
  });

  describe('resize', () => {
    it('grows, shrinks only with --shrink, and accepts relative sizes', () => {
      img('create', '-f', 'qcow2', P('rs.qcow2'), '1M');
      expect(img('resize', P('rs.qcow2'), '2M').out).toBe('Image resized.\n');
      expect(img('resize', P('rs.qcow2'), '+1M').code).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', P('rs.qcow2')).out)['virtual-size']).toBe(3 * 1024 * 1024);
      const refused = img('resize', P('rs.qcow2'), '-1M');
      expect(refused.code).toBe(1);
      expect(refused.err).toBe(sameQemu(qemuImg('resize', P('rs.qcow2'), '-1M').err));
      expect(img('resize', '--shrink', P('rs.qcow2'), '-1M').code).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', P('rs.qcow2')).out)['virtual-size']).toBe(2 * 1024 * 1024);
      expect(img('resize', '--shrink', P('rs.qcow2'), '-5M').err).toBe('virtyard img: New image size must be positive\n');
      expect(img('resize', P('rs.qcow2'), '1Q').code).toBe(1);
      expect(qemuImg('check', P('rs.qcow2')).code).toBe(0);
    });
  });

  describe('compare', () => {
    it('agrees with qemu-img on output and exit code', () => {
      qemuImg('create', '-f', 'qcow2', P('c1.qcow2'), '1M');
      qemuImg('create', '-f', 'qcow2', P('c2.qcow2'), '2M');
      qemuIo(P('c1.qcow2'), 'write -P 3 1000 10');
      qemuIo(P('c2.qcow2'), 'write -P 3 1000 10');
      qemuImg('convert', '-O', 'qcow2', P('top.qcow2'), P('cmp-flat.qcow2')); // same content, no backing file
      const pairs: string[][] = [
        ['c1.qcow2', 'c1.qcow2'],
        ['c1.qcow2', 'c2.qcow2'],
        ['-s', 'c1.qcow2', 'c2.qcow2'],
        ['base.qcow2', 'top.qcow2'],
        ['top.qcow2', 'cmp-flat.qcow2'],
      ];
      const run = () => {
        for (const pair of pairs) {
          const args = pair.map((a) => (a.includes('.') ? P(a) : a));
          const ours = img('compare', ...args);
          const theirs = qemuImg('compare', ...args);
          expect(ours.out, pair.join(' ')).toBe(theirs.out);
          expect(ours.code, pair.join(' ')).toBe(theirs.code);
        }
      };
      run();
      qemuIo(P('c2.qcow2'), 'write -P 1 1500k 1');
      run();
      qemuIo(P('c1.qcow2'), 'write -P 9 700000 1');
      run();
    });

    it('exits 2 when an image cannot be opened', () => {
      const r = img('compare', P('base.qcow2'), P('nofile')); // (base.qcow2: made in beforeAll, whatever ran before)
      expect(r.code).toBe(2);
      expect(r.err).toBe(`virtyard img: Could not open '${P('nofile')}': Could not open '${P('nofile')}': No such file or directory\n`);
    });
  });

  describe('commit', () => {
    it('writes the overlay into its backing file like qemu-img commit', () => {
      for (const who of ['q', 'v']) {
        copyFileSync(P('base.qcow2'), P(`${who}-cb.qcow2`));
        qemuImg('create', '-f', 'qcow2', '-b', `${who}-cb.qcow2`, '-F', 'qcow2', P(`${who}-ct.qcow2`));
        qemuIo(P(`${who}-ct.qcow2`), 'write -P 2 1M 2M', 'write -z 6M 4k');
      }
      expect(qemuImg('commit', P('q-ct.qcow2')).out).toBe('Image committed.\n');
      const r = img('commit', P('v-ct.qcow2'));
      expect(r.out).toBe('Image committed.\n');
      expect(r.code).toBe(0);
      expect(qemuImg('compare', P('v-cb.qcow2'), P('q-cb.qcow2')).out).toBe('Images are identical.\n');
      expect(qemuImg('compare', P('v-cb.qcow2'), P('top.qcow2')).out).toBe('Images are identical.\n');
      expect(qemuImg('compare', P('v-ct.qcow2'), P('top.qcow2')).out).toBe('Images are identical.\n');
      expect(qemuImg('check', P('v-cb.qcow2')).code).toBe(0);
      expect(qemuImg('check', P('v-ct.qcow2')).code).toBe(0);
      // The overlay is emptied as qemu-img empties it: everything from depth 1, metadata-only file.
      const noOffsets = (s: string) => s.replace(/, "offset": \d+/g, '');
      expect(noOffsets(qemuImg('map', '--output=json', P('v-ct.qcow2')).out)).toBe(noOffsets(qemuImg('map', '--output=json', P('q-ct.qcow2')).out));
      expect(statSync(P('v-ct.qcow2')).size).toBe(statSync(P('q-ct.qcow2')).size);
      expect(img('commit', P('base.qcow2')).err).toBe('virtyard img: Image does not have a backing file\n');
    });

    it('-d commits without emptying the overlay', () => {
      copyFileSync(P('base.qcow2'), P('d-cb.qcow2'));
      qemuImg('create', '-f', 'qcow2', '-b', 'd-cb.qcow2', '-F', 'qcow2', P('d-ct.qcow2'));
      qemuIo(P('d-ct.qcow2'), 'write -P 2 1M 64k');
      expect(img('commit', '-d', P('d-ct.qcow2')).code).toBe(0);
      const own = JSON.parse(qemuImg('map', '--output=json', P('d-ct.qcow2')).out).filter((e: { depth: number }) => e.depth === 0);
      expect(own.some((e: { data: boolean }) => e.data)).toBe(true);
      expect(qemuImg('compare', P('d-ct.qcow2'), P('d-cb.qcow2')).code).toBe(0);
    });
  });

  describe('rebase', () => {
    // The new backing file every rebase test points at (each test must run alone too).
    beforeAll(() => {
      qemuImg('create', '-f', 'qcow2', P('nb.qcow2'), '8M');
      qemuIo(P('nb.qcow2'), 'write -P 5 4M 1M');
    });

    function setup(who: string): string {
      const f = P(`${who}-rb.qcow2`);
      qemuImg('create', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', f);
      qemuIo(f, 'write -P 2 1M 2M');
      return f;
    }

    it('safe mode keeps the guest-visible content over the new backing file', () => {
      const q = setup('q');
      const v = setup('v');
      expect(qemuImg('rebase', '-b', 'nb.qcow2', '-F', 'qcow2', q).code).toBe(0);
      const r = img('rebase', '-b', 'nb.qcow2', '-F', 'qcow2', v);
      expect(r.code, r.err).toBe(0);
      expect(qemuImg('compare', v, q).out).toBe('Images are identical.\n');
      const info = JSON.parse(qemuImg('info', '--output=json', v).out);
      expect(info['backing-filename']).toBe('nb.qcow2');
      expect(info['backing-filename-format']).toBe('qcow2');
      const noOffsets = (s: string) => s.replace(/, "offset": \d+/g, '');
      expect(noOffsets(qemuImg('map', '--output=json', v).out)).toBe(noOffsets(qemuImg('map', '--output=json', q).out));
      expect(qemuImg('check', v).code).toBe(0);
    });

    it('-b "" flattens the overlay', () => {
      const v = setup('v2');
      const flat = P('v2-flat.raw');
      qemuImg('convert', '-O', 'raw', v, flat);
      expect(img('rebase', '-b', '', v).code).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', v).out)['backing-filename']).toBeUndefined();
      expect(qemuImg('compare', '-F', 'raw', v, flat).out).toBe('Images are identical.\n');
    });

    it('unsafe mode only rewrites the header', () => {
      const v = setup('v3');
      const before = readFileSync(v);
      expect(img('rebase', '-u', '-b', 'nb.qcow2', '-F', 'qcow2', v).code).toBe(0);
      const after = readFileSync(v);
      expect(after.length).toBe(before.length);
      expect(after.subarray(65536).equals(before.subarray(65536))).toBe(true);
      expect(qemuImg('info', v).out).toContain(`backing file: nb.qcow2 (actual path: ${P('nb.qcow2')})\nbacking file format: qcow2\n`);
      expect(qemuImg('check', v).code).toBe(0);
    });

    it('unsafe mode works on compat=0.10 headers and can drop the backing file', () => {
      const v = P('v5-rb.qcow2');
      qemuImg('create', '-q', '-f', 'qcow2', '-o', 'compat=0.10', '-b', 'base.qcow2', '-F', 'qcow2', v);
      expect(img('rebase', '-u', '-b', 'nb.qcow2', '-F', 'qcow2', v).code).toBe(0);
      const info = JSON.parse(qemuImg('info', '--output=json', v).out);
      expect([info['backing-filename'], info['backing-filename-format'], info['format-specific'].data.compat]).toEqual(['nb.qcow2', 'qcow2', '0.10']);
      expect(img('rebase', '-u', '-b', '', v).code).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', v).out)['backing-filename']).toBeUndefined();
      expect(qemuImg('check', v).code).toBe(0);
    });

    it('refuses bad input without changing the image', () => {
      const v = setup('v4');
      const before = readFileSync(v);
      expect(img('rebase', v).err).toBe("virtyard img: Must specify backing file (-b) or use unsafe mode (-u)\nTry 'virtyard img --help' for more information\n");
      expect(img('rebase', '-b', 'nofile', '-F', 'qcow2', v).err).toContain("Could not open new backing file 'nofile'");
      expect(img('rebase', '-b', 'nb.qcow2', v).err).toBe("virtyard img: Could not change the backing file to 'nb.qcow2': backing format must be specified\n");
      expect(readFileSync(v).equals(before)).toBe(true);
    });
  });

  describe('overlay whose backing file is missing', () => {
    it('info prints what qemu-img prints; --backing-chain fails the same way', () => {
      const f = P('orphan.qcow2');
      qemuImg('create', '-q', '-f', 'qcow2', '-b', 'gone.qcow2', '-F', 'qcow2', '-u', f, '8M');
      for (const args of [['info', f], ['info', '--output=json', f]]) {
        const ours = img(...args);
        const theirs = qemuImg(...args);
        expect(ours.code).toBe(0);
        expect(ours.out.replace(/^disk size: .*\n/m, '').replace(/"actual-size": \d+/, '')).toBe(theirs.out.replace(/^disk size: .*\n/m, '').replace(/"actual-size": \d+/, ''));
      }
      expect(img('info', f).out).toContain(`backing file: gone.qcow2 (actual path: ${P('gone.qcow2')})\n`);
      const chain = img('info', '--backing-chain', f);
      expect(chain.code).toBe(1);
      expect(chain.out).toBe('');
      expect(chain.err).toBe(`virtyard img: ${qemuImg('info', '--backing-chain', f).err.replace(/^qemu-img: /, '')}`);
    });

    it('rebase -u repoints it without opening either chain; safe rebase refuses', () => {
      const f = P('moved.qcow2');
      copyFileSync(P('base.qcow2'), P('gone2.qcow2'));
      qemuImg('create', '-q', '-f', 'qcow2', '-b', 'gone2.qcow2', '-F', 'qcow2', f);
      qemuIo(f, 'write -P 3 0 64k');
      rmSync(P('gone2.qcow2'));
      expect(img('rebase', '-b', 'base.qcow2', '-F', 'qcow2', f).code).toBe(1);
      const r = img('rebase', '-u', '-b', 'base.qcow2', '-F', 'qcow2', f);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', f).out)['backing-filename']).toBe('base.qcow2');
      expect(qemuImg('info', '--backing-chain', f).code).toBe(0);
      expect(qemuImg('check', f).code).toBe(0);
    });
  });

  describe('snapshot', () => {
    it('creates, lists, applies and deletes internal snapshots readable by qemu-img', () => {
      qemuImg('create', '-f', 'qcow2', P('sn.qcow2'), '4M');
      qemuIo(P('sn.qcow2'), 'write -P 1 0 64k');
      expect(img('snapshot', '-c', 'one', P('sn.qcow2')).code).toBe(0);
      qemuIo(P('sn.qcow2'), 'write -P 2 0 64k');
      expect(img('snapshot', '-c', 'two', P('sn.qcow2')).code).toBe(0);
      // Our snapshots carry what qemu-img's carry: microsecond date-nsec and icount 0.
      qemuImg('snapshot', '-c', 'q', P('sn.qcow2'));
      const snaps = JSON.parse(qemuImg('info', '--output=json', P('sn.qcow2')).out).snapshots;
      expect(snaps.map((x: Record<string, number>) => [x.icount, x['date-nsec'] % 1000])).toEqual([[0, 0], [0, 0], [0, 0]]);
      expect(snaps[0]['date-nsec']).toBeGreaterThanOrEqual(0);
      qemuImg('snapshot', '-d', 'q', P('sn.qcow2'));
      const list = img('snapshot', '-l', P('sn.qcow2')).out;
      expect(list).toBe(qemuImg('snapshot', '-l', P('sn.qcow2')).out);
      expect(list).toMatch(/^Snapshot list:\nID +TAG .*\n1 +one .*\n2 +two .*\n$/);
      expect(img('snapshot', '-a', 'one', P('sn.qcow2')).code).toBe(0);
      qemuIo(P('sn.qcow2'), 'read -P 1 0 64k');
      expect(img('snapshot', '-d', '2', P('sn.qcow2')).code).toBe(0);
      expect(qemuImg('snapshot', '-l', P('sn.qcow2')).out).not.toContain('two');
      expect(qemuImg('check', P('sn.qcow2')).code).toBe(0);
      expect(img('snapshot', '-a', 'nope', P('sn.qcow2')).err).toBe(sameQemu(qemuImg('snapshot', '-a', 'nope', P('sn.qcow2')).err));
      expect(img('snapshot', '-d', 'nope', P('sn.qcow2')).err).toBe(sameQemu(qemuImg('snapshot', '-d', 'nope', P('sn.qcow2')).err));
      expect(img('snapshot', '-l', '-c', 'x', P('sn.qcow2')).err).toBe(sameQemu(qemuImg('snapshot', '-l', '-c', 'x', P('sn.qcow2')).err));
    });
  });

  describe('check exit codes', () => {
    function withLeak(file: string): void {
      qemuImg('create', '-f', 'qcow2', file, '64M');
      qemuIo(file, 'write 0 128k');
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(8), 0, 8, 0x30000); // drop the L1 entry: its L2 and data leak
      closeSync(fd);
    }

    it('0 clean, 3 leaks, 2 corruption, 63 raw — as qemu-img, with the same messages', () => {
      expect(img('check', P('base.qcow2')).code).toBe(0);
      withLeak(P('leak.qcow2'));
      const ours = img('check', P('leak.qcow2'));
      const theirs = qemuImg('check', P('leak.qcow2'));
      expect(ours.code).toBe(3);
      expect(ours.out).toBe(theirs.out);
      expect(ours.err).toBe(theirs.err);
      qemuImg('create', '-f', 'qcow2', P('cor.qcow2'), '64M');
      qemuIo(P('cor.qcow2'), 'write 0 128k');
      const fd = openSync(P('cor.qcow2'), 'r+');
      writeSync(fd, Buffer.alloc(2), 0, 2, 0x2000a); // refcount of data cluster 5 → 0
      closeSync(fd);
      const c = img('check', '--output=json', P('cor.qcow2'));
      expect(c.code).toBe(2);
      expect(normalized(c.out)).toEqual(normalized(qemuImg('check', '--output=json', P('cor.qcow2')).out));
      qemuImg('create', '-f', 'raw', P('r.raw'), '1M');
      const raw = img('check', P('r.raw'));
      expect(raw.code).toBe(63);
      expect(raw.err).toBe('virtyard img: This image format does not support checks\n');
    });

    it('-r leaks repairs and reports like qemu-img', () => {
      withLeak(P('leak-q.qcow2'));
      withLeak(P('leak-v.qcow2'));
      const ours = img('check', '-r', 'leaks', P('leak-v.qcow2'));
      const theirs = qemuImg('check', '-r', 'leaks', P('leak-q.qcow2'));
      expect(ours.code).toBe(0);
      expect(ours.out).toBe(theirs.out);
      expect(qemuImg('check', P('leak-v.qcow2')).code).toBe(0);
    });
  });

  describe('check -r against qemu-img on damaged images', () => {
    const poke = (file: string, at: number, bytes: number[]) => {
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from(bytes), 0, bytes.length, at);
      closeSync(fd);
    };
    const plain = (f: string) => {
      qemuImg('create', '-q', '-f', 'qcow2', f, '64M');
      qemuIo(f, 'write 0 128k'); // L2 at cluster 4, data at 5 and 6
    };
    const lazyCrash = (cmd: string) => (f: string) => {
      qemuImg('create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on', f, '64M');
      spawnSync('qemu-io', ['-c', cmd, '-c', 'abort', f], { stdio: 'ignore' });
    };
    const cases: Record<string, (f: string) => void> = {
      leaks: (f) => (plain(f), poke(f, 0x30000, [0, 0, 0, 0, 0, 0, 0, 0])),
      'refcount 0': (f) => (plain(f), poke(f, 0x2000a, [0, 0])),
      'dirty, 64k written': lazyCrash('write 0 64k'),
      'dirty, 128k written': lazyCrash('write -P 5 0 128k'),
      'COPIED flag missing': (f) => (plain(f), poke(f, 0x40000, [0])),
      'refcount too high': (f) => (plain(f), poke(f, 0x2000b, [2])),
      'refcount too low (snapshot)': (f) => (plain(f), qemuImg('snapshot', '-c', 's', f), poke(f, 0x2000b, [1])),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`${name}: same lines, counts and exit code for -r leaks and -r all`, () => {
        for (const mode of ['leaks', 'all']) {
          const q = P(`rq-${mode}.qcow2`);
          const v = P(`rv-${mode}.qcow2`);
          make(q);
          copyFileSync(q, v);
          const theirs = qemuImg('check', '-r', mode, q);
          const ours = img('check', '-r', mode, v);
          expect(ours.code, `${name} -r ${mode}`).toBe(theirs.code);
          expect(ours.out, `${name} -r ${mode}`).toBe(theirs.out);
          expect(ours.err.replace(/^virtyard img: /m, 'qemu-img: '), `${name} -r ${mode}`).toBe(theirs.err);
          expect(qemuImg('check', v).out).toBe(qemuImg('check', q).out);
        }
      });
    }
  });

  describe('dirty images (lazy refcounts, writer killed)', () => {
    it('info and read-only check report them as qemu-img does', () => {
      const f = P('dirty.qcow2');
      qemuImg('create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on', f, '64M');
      spawnSync('qemu-io', ['-c', 'write -P 5 0 128k', '-c', 'abort', f], { stdio: 'ignore' });
      const info = img('info', '--output=json', f);
      expect(JSON.parse(info.out)['dirty-flag']).toBe(true);
      expect(normalized(info.out)).toEqual(normalized(qemuImg('info', '--output=json', f).out));
      expect(img('info', f).out).toContain('cleanly shut down: no\n');
      const ours = img('check', f);
      const theirs = qemuImg('check', f);
      expect(ours.code).toBe(2);
      expect(ours.out).toBe(theirs.out);
      expect(ours.err).toBe(theirs.err);
      const fixed = img('check', '-r', 'all', f);
      expect(fixed.code).toBe(0);
      expect(fixed.out).toMatch(/^The following inconsistencies were found and repaired:\n[\s\S]*No errors were found on the image\.\n/);
      expect(qemuImg('check', f).code).toBe(0);
      expect(JSON.parse(qemuImg('info', '--output=json', f).out)['dirty-flag']).toBe(false);
    });
  });

  describe('usage errors', () => {
    it('match qemu-img texts and exit 1', () => {
      const cases: string[][] = [[], ['frob'], ['info'], ['info', '--bogus', 'x'], ['info', '--output=xml', 'x'], ['info', P('nofile')], ['info', '-f', 'bogus', P('base.qcow2')], ['check', '-r', 'bad', P('base.qcow2')]];
      for (const c of cases) {
        const ours = img(...c);
        const theirs = qemuImg(...c);
        expect(ours.code, c.join(' ')).toBe(theirs.code);
        expect(ours.err, c.join(' ')).toBe(sameQemu(theirs.err));
      }
    });

    it('--help lists every subcommand', () => {
      const h = img('--help');
      expect(h.code).toBe(0);
      for (const c of ['check', 'commit', 'compare', 'convert', 'create', 'info', 'map', 'snapshot', 'rebase', 'resize']) expect(h.out).toContain(`\n  ${c} [`);
    });
  });
});
