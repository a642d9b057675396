// Unit tests of the pieces under the command table: tokenizer, numeric parsing and C-style
// formatting, the vshTable layout, dominfo over plain DomainInfo data, completion and the runner.

import { describe, expect, it } from 'vitest';
import type { DomainInfo } from '../../engine/api/types';
import { formatDominfo } from '../../src/commands/domain-query';
import { createRunner } from '../../src/commands/runner';
import { parseDuration } from '../../src/commands/sim';
import { CommandError } from '../../src/commands/errors';
import { fixedC, parseScaled, parseUInt } from '../../src/virsh/numbers';
import { renderTable } from '../../src/virsh/table';
import { quoteWord, splitCommands } from '../../src/virsh/tokenize';
import { defaultWorld } from './harness';

describe('splitCommands', () => {
  it('splits on ; and newlines, honours quotes, escapes and comments', () => {
    expect(splitCommands(`list --all; dominfo 'my vm'\ndomid "a \\"b\\"" # c; d`)).toEqual([
      ['list', '--all'],
      ['dominfo', 'my vm'],
      ['domid', 'a "b"'],
    ]);
    expect(splitCommands('a\\ b;;  ;c')).toEqual([['a b'], ['c']]);
    expect(() => splitCommands("domid 'x")).toThrow("missing '");
  });
  it('quoteWord round-trips', () => {
    for (const w of ['plain', 'my vm', "it's", '', 'a;b']) expect(splitCommands(`x ${quoteWord(w)}`)[0][1] ?? '').toBe(w);
  });
});

describe('numbers', () => {
  it('fixedC rounds like glibc printf (ties to even on the exact binary value)', () => {
    expect(fixedC(0.25, 1)).toBe('0.2');
    expect(fixedC(0.35, 1)).toBe('0.3'); // 0.34999999999999997779...
    expect(fixedC(1.15, 1)).toBe('1.1');
    expect(fixedC(0.75, 1)).toBe('0.8');
    expect(fixedC(41244.33989338, 1)).toBe('41244.3');
    expect(fixedC(0, 2)).toBe('0.00');
    expect(fixedC(512, 2)).toBe('512.00');
  });
  it('parseUInt follows vshCommandOptUInt', () => {
    expect(parseUInt(' 02', 'count')).toBe(2);
    for (const bad of ['-1', 'abc', '2x', '0x2', '4294967296', '']) expect(() => parseUInt(bad, 'count')).toThrow(CommandError);
  });
  it('parseScaled follows virScaleInteger', () => {
    expect(parseScaled('1024', 'size')).toBe(1024n * 1024n);
    expect(parseScaled('1500b', 'size')).toBe(1500n);
    expect(parseScaled('2KB', 'size')).toBe(2000n);
    expect(parseScaled('10mib', 'size')).toBe(10n * 1024n ** 2n);
    expect(parseScaled('1G', 'size')).toBe(1024n ** 3n);
    const e = (() => {
      try {
        parseScaled('1.5G', 'size');
      } catch (x) {
        return x as CommandError;
      }
    })()!;
    expect(e.lines()).toEqual(["Scaled numeric value '1.5G' for <size> option is malformed or out of range", "invalid argument: unknown suffix '.5G'"]);
    expect(() => parseScaled('20E', 'size')).toThrow('numerical overflow: value too large: 20E');
    expect(() => parseScaled('99999999999999999999', 'size')).toThrow(/malformed/);
  });
  it('parseDuration', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1d')).toBe(86_400_000);
    for (const bad of ['10', 's', '1x', '', '5m ']) expect(() => parseDuration(bad)).toThrow(/invalid duration/);
  });
});

describe('renderTable (vshTable)', () => {
  it('pads all but the last column, Σ(w+3) dashes', () => {
    expect(renderTable(['Id', 'Name', 'State'], [['1', 'test', 'running']])).toBe(
      ' Id   Name   State\n' + '-'.repeat(22) + '\n 1    test   running\n',
    );
    expect(renderTable(['Id', 'Name', 'State'], [])).toBe(' Id   Name   State\n' + '-'.repeat(20) + '\n');
    expect(renderTable(['A', 'Title'], [['x', '']])).toBe(' A   Title\n' + '-'.repeat(12) + '\n x   \n');
  });
  it('measures wide characters by display width', () => {
    expect(renderTable(['N', 'S'], [['日本', 'x']]).split('\n')[2]).toBe(' 日本   x');
  });
});

const base: DomainInfo = {
  uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
  name: 'vm1',
  id: 3,
  host: 'h',
  hypervisor: 'kvm',
  guestType: 'hvm',
  state: 'running',
  reason: 'booted',
  persistent: true,
  autostart: false,
  managedSave: false,
  isDom0: false,
  os: 'debian12',
  osName: 'Debian 12',
  arch: 'x86_64',
  machine: 'pc-q35-7.2',
  firmware: 'bios',
  vcpus: { current: 2, max: 4, configCurrent: 3, configMax: 4 },
  memory: { currentKiB: 1048576, maxKiB: 2097152, configCurrentKiB: 524288, configMaxKiB: 2097152 },
  onPoweroff: 'destroy',
  onReboot: 'restart',
  onCrash: 'destroy',
  disks: [],
  nics: [],
  workload: 'idle',
  startedAt: 0,
  cpuTimeNs: 12_345_000_000,
  cpuPercent: 0,
  memoryUsedKiB: 0,
};

describe('formatDominfo over plain data', () => {
  it('running: live figures and CPU time', () => {
    expect(formatDominfo(base)).toBe(
      [
        'Id:             3',
        'Name:           vm1',
        'UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f',
        'OS Type:        hvm',
        'State:          running',
        'CPU(s):         2',
        'CPU time:       12.3s',
        'Max memory:     2097152 KiB',
        'Used memory:    1048576 KiB',
        'Persistent:     yes',
        'Autostart:      disable',
        'Managed save:   no',
        'Security model: none',
        'Security DOI:   0',
        '',
      ].join('\n'),
    );
  });
  it('shut off: config figures, no CPU time; Xen PV reports OS type linux', () => {
    const off = formatDominfo({ ...base, id: null, state: 'shut off', guestType: 'pv', autostart: true, managedSave: true });
    expect(off).toContain('Id:             -\n');
    expect(off).toContain('OS Type:        linux\n');
    expect(off).toContain('CPU(s):         3\n');
    expect(off).toContain('Used memory:    524288 KiB\n');
    expect(off).toContain('Autostart:      enable\nManaged save:   yes\n');
    expect(off).not.toContain('CPU time');
  });
});

describe('createRunner', () => {
  it('runs lines through the command table and captures output', () => {
    const sim = defaultWorld();
    const runner = createRunner({ conn: sim });
    expect(runner.run('destroy web-01')).toEqual({ stdout: "Domain 'web-01' destroyed\n\n", stderr: '', exitCode: 0 });
    expect(runner.run('destroy web-01').stderr).toBe(
      "error: Failed to destroy domain 'web-01'\nerror: Requested operation is not valid: domain is not running\n",
    );
    expect(runner.run('frobnicate')).toEqual({ stdout: '', stderr: "error: unknown command: 'frobnicate'\n", exitCode: 1 });
    expect(runner.commands().map((c) => c.name)).toContain('managedsave-remove');
  });
  it('wraps each line in the transaction and never throws', () => {
    const sim = defaultWorld();
    let calls = 0;
    const ok = createRunner({ conn: sim, transact: (fn) => (calls++, fn()) });
    ok.run('list');
    expect(calls).toBe(1);
    const broken = createRunner({
      conn: sim,
      transact: () => {
        throw new Error('the world is locked by process 42');
      },
    });
    expect(broken.run('list')).toEqual({ stdout: '', stderr: 'error: the world is locked by process 42\n', exitCode: 1 });
  });
  it('completes commands, options, domains and option values', () => {
    const runner = createRunner({ conn: defaultWorld() });
    expect(runner.complete('st')).toEqual(['start']);
    expect(runner.complete('managedsave')).toEqual(['managedsave', 'managedsave-remove']);
    expect(runner.complete('start ci')).toEqual(['start cirros-01']);
    expect(runner.complete('list --st')).toEqual(['list --state-other', 'list --state-paused', 'list --state-running', 'list --state-shutoff']);
    expect(runner.complete('domstate web-01 ')).toEqual(['domstate web-01 --reason']);
    expect(runner.complete('workload web-01 c')).toEqual(['workload web-01 cpu-burn']);
    expect(runner.complete('setvcpus --domain w')).toEqual(['setvcpus --domain web-01', 'setvcpus --domain win-01']);
    expect(runner.complete('list; dest')).toEqual(['list; destroy']);
    expect(runner.complete('help dom')).toContain('help dominfo');
    expect(runner.complete('nosuch x')).toEqual([]);
  });
});
