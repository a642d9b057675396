// Spawned end-to-end runs of the bundled CLI (dist/virtyard.js): exit codes, stdout/stderr,
// persistence across processes and two CLIs racing on one state directory.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/virtyard.js');

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run test/cli` builds here.
  if (!existsSync(BIN)) spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
});

// Each test its own state directory (unique: files may run in parallel), all removed at the end.
const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'virtyard-e2e-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, VIRTYARD_DEBUG: '', ...env } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function cliAsync(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('virtyard (spawned)', () => {
  it('runs virsh commands and keeps the world between calls', () => {
    const state = tmp();
    expect(cli(['--state', state, 'virsh', 'clock', 'pause'])).toEqual({ stdout: 'Clock paused\n\n', stderr: '', code: 0 });
    expect(cli(['--state', state, 'virsh', 'destroy', 'web-01']).stdout).toBe("Domain 'web-01' destroyed\n\n");
    const r = cli(['--state', state, 'virsh', 'domstate web-01 --reason; domstate nosuch']);
    expect(r).toEqual({ stdout: 'shut off (destroyed)\n\n\n', stderr: "error: failed to get domain 'nosuch'\n", code: 1 });
    expect(cli(['-c', 'sim:///default', `--state=${state}`, 'clock', 'advance', '2h']).stdout).toBe(
      'Clock advanced by 2h to 2026-11-22 12:00:00 UTC\n\n',
    );
    expect(cli(['--state', state, '--reset', 'virsh', 'domstate', 'web-01']).stdout).toBe('running\n\n');
  });

  it('two CLIs racing on one state dir both succeed and both effects persist', async () => {
    const state = tmp();
    expect(cli(['--state', state, 'clock', 'pause']).code).toBe(0);
    const cmds = ['destroy web-01', 'suspend db-01', 'destroy build-01', 'autostart cirros-01'];
    const results = await Promise.all(cmds.map((c) => cliAsync(['--state', state, 'virsh', c])));
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
    const list = cli(['--state', state, '--json', 'virsh', 'list --all']);
    const byName = Object.fromEntries(JSON.parse(list.stdout).map((d: { name: string }) => [d.name, d]));
    expect(byName['web-01'].state).toBe('shut off');
    expect(byName['db-01'].state).toBe('paused');
    expect(byName['build-01'].state).toBe('shut off');
    expect(byName['cirros-01'].autostart).toBe(true);
  });

  it('syntax errors reject the list before anything runs or any state is created', () => {
    const state = join(tmp(), 'never');
    expect(cli(['--state', state, 'virsh', 'destroy web-01; frobnicate'])).toEqual({
      stdout: '',
      stderr: "error: unknown command: 'frobnicate'\n",
      code: 1,
    });
    expect(existsSync(state)).toBe(false);
    expect(cli(['--state', state, 'virsh', 'help', 'start']).stdout).toMatch(/^ {2}NAME\n {4}start - start a \(previously defined\) inactive domain\n/);
    expect(existsSync(state)).toBe(false);
  });

  it('--json: one JSON document per command, errors as JSON on stderr', () => {
    const state = tmp();
    const ok = cli(['--state', state, '--json', 'virsh', 'domstate dev-01; dominfo nosuch']);
    expect(ok.code).toBe(1);
    expect(JSON.parse(ok.stdout)).toEqual({ state: 'paused', reason: 'user' });
    expect(JSON.parse(ok.stderr)).toEqual({ error: { code: 'VIR_ERR_NO_DOMAIN', message: "failed to get domain 'nosuch'" } });
  });

  it('usage errors, bad URIs and damaged state: clear message, hint, exit 1, no stack trace', () => {
    const state = tmp();
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /^error: unknown option '--bogus'\nhint: run 'virtyard --help' for usage\n$/],
      [['frob'], /^error: unknown command 'frob'\nhint: /],
      [['--state', state, '--connect', 'qemu:///system', 'virsh', 'list'], /^error: no connection driver available for qemu:\/\/\/system\nhint: /],
      [['--state', state, '-c', 'sim:///generate?hosts=x', 'virsh', 'list'], /^error: invalid connection URI .*hosts must be an integer/],
      [['--state', state, '-c', 'sim:///generate?domains=99999999', 'virsh', 'list'], /^error: invalid connection URI .*domains must be an integer from 0 to 100000, got '99999999'\n$/],
      [['--state', state, '-c', '/nonexistent/lab.yaml', 'virsh', 'list'], /^error: \/nonexistent\/lab.yaml:1:1: \(file\): cannot read fixture: no such file\n$/],
      [['--seed', 'x', 'virsh', 'list'], /^error: --seed needs a non-negative integer, got 'x'\n/],
      [['virsh'], /^error: virsh needs a command/],
      [['--state', state, 'clock', 'advance', 'soon'], /^error: invalid argument: invalid duration 'soon'/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const file = join(state, 'a-file');
    writeFileSync(file, '');
    const notDir = cli(['--state', file, 'virsh', 'list']);
    expect(notDir).toMatchObject({ code: 1, stderr: `error: cannot use ${file} as the state directory: ${file} is not a directory\n` });
    // Node's recursive mkdir never returned here.
    expect(cli(['--state', '/proc/virtyard-nope/x', 'virsh', 'list'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: cannot create the state directory \/proc\/virtyard-nope\/x: /) });
    const json = cli(['--json', '--bogus']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'SYNTAX_ERROR', message: "unknown option '--bogus'", hint: "run 'virtyard --help' for usage" } });
    // A world file of the right format whose state this build cannot load (e.g. another version).
    const saved = join(tmp(), 'old');
    expect(cli(['--state', saved, 'virsh', 'uri']).code).toBe(0);
    const savedFile = JSON.parse(readFileSync(join(saved, 'world.json'), 'utf8'));
    savedFile.state.version = 999;
    writeFileSync(join(saved, 'world.json'), JSON.stringify(savedFile));
    const old = cli(['--state', saved, 'virsh', 'uri']);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^error: cannot resume the saved world .*world.json: internal error: saved world state has version 999, .*; use --reset to start again from the fixture\n$/);
    writeFileSync(join(state, 'world.json'), 'not json');
    const damaged = cli(['--state', state, 'virsh', 'list']);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^error: cannot read the saved world .*world.json: .*; use --reset to start again from the fixture\n$/);
  });

  it('--version, --help, XDG state location and generated worlds', () => {
    expect(cli(['--version'])).toEqual({ stdout: 'virtyard 0.1.0\n', stderr: '', code: 0 });
    expect(cli(['-h']).stdout).toMatch(/^usage: virtyard \[OPTIONS\] \[COMMAND\]/);
    const xdg = tmp();
    const r = cli(['-c', 'sim:///generate?hosts=2&domains=5&seed=3', 'virsh', 'uri; hostname'], { XDG_DATA_HOME: xdg });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('sim:///generate?hosts=2&domains=5&seed=3');
    expect(existsSync(join(xdg, 'virtyard', 'generate-h2-d5-s3', 'world.json'))).toBe(true);
  });
});
