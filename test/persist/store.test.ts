// WorldStore: atomic saves, resume, reset, locking, generations between processes, and time
// between calls (the wall clock is injected: no sleeps).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorldEvent } from '../../engine/api/events';
import { parseConnectUri } from '../../src/config';
import { writeFileAtomic } from '../../src/persist/atomic';
import { acquireLock, LockTimeoutError } from '../../src/persist/lock';
import { LOCK_FILE, WORLD_FILE } from '../../src/persist/store';
import { StateFileError } from '../../src/persist/state-file';
import { openWorld } from '../../src/persist/world-source';

const spec = parseConnectUri('sim:///default');
const tmp = () => mkdtempSync(join(tmpdir(), 'virtyard-store-'));

/** A wall clock the test moves by hand. */
function wall(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, add: (ms: number) => void (t += ms) };
}

function readFile(dir: string) {
  return JSON.parse(readFileSync(join(dir, WORLD_FILE), 'utf8'));
}

describe('atomic writes', () => {
  it('replaces the file and leaves no temp file', () => {
    const dir = tmp();
    const f = join(dir, 'x.json');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, 'two');
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a failure before the rename keeps the old file and removes the temp file', () => {
    const dir = tmp();
    const f = join(dir, 'x.json');
    writeFileAtomic(f, 'old');
    expect(() =>
      writeFileAtomic(f, 'new', {
        beforeRename: () => {
          throw new Error('disk on fire');
        },
      }),
    ).toThrow('disk on fire');
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a process killed mid-write leaves the old world, and the next open cleans up', () => {
    const dir = tmp();
    const w = wall();
    const store = openWorld({ spec, dir, now: w.now });
    const before = readFileSync(join(dir, WORLD_FILE), 'utf8');
    // A child writes a new world.json and is SIGKILLed after the temp file is synced, before the rename.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(join(import.meta.dirname, '../../src/persist/atomic.ts'))};
      writeFileAtomic(${JSON.stringify(join(dir, WORLD_FILE))}, 'torn', { beforeRename: () => process.kill(process.pid, 'SIGKILL') });
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(readFileSync(join(dir, WORLD_FILE), 'utf8')).toBe(before);
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(true);
    const again = openWorld({ spec, dir, now: w.now });
    expect(again.world.lookupDomain('web-01').state).toBe('running');
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
    store.close();
  });
});

describe('resume and reset', () => {
  it('a later open resumes the saved world; --reset starts again from the fixture', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    expect(a.created).toBe(true);
    a.transact(() => a.world.destroyDomain('web-01'));
    const gen = readFile(dir).generation;

    const b = openWorld({ spec, dir, now: w.now });
    expect(b.created).toBe(false);
    expect(b.world.lookupDomain('web-01').state).toBe('shut off');

    const c = openWorld({ spec, dir, now: w.now, reset: true });
    expect(c.created).toBe(true);
    expect(c.world.lookupDomain('web-01').state).toBe('running');
    expect(readFile(dir).generation).toBeGreaterThan(gen);
    expect(readFile(dir).fixtureUri).toBe('sim:///default');
  });

  it('--seed sets the seed of a new world', () => {
    const store = openWorld({ spec, dir: tmp(), seed: 99 });
    expect(store.world.clock().seed).toBe(99);
  });

  it('refuses a world from another URI and a damaged file, naming the fix', () => {
    const dir = tmp();
    openWorld({ spec, dir });
    const other = parseConnectUri('sim:///generate?hosts=2&domains=3&seed=1');
    expect(() => openWorld({ spec: other, dir })).toThrow(/created from sim:\/\/\/default.*--reset/);
    writeFileSync(join(dir, WORLD_FILE), '{"format": "virtyard-world", "vers');
    expect(() => openWorld({ spec, dir })).toThrow(StateFileError);
    expect(() => openWorld({ spec, dir })).toThrow(/--reset/);
    expect(openWorld({ spec, dir, reset: true }).created).toBe(true);
  });
});

describe('time between calls', () => {
  it('a running clock catches up with the wall time that passed', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    const t0 = a.world.clock().now;
    expect(a.world.clock().paused).toBe(false);
    a.transact(() => a.world.shutdownDomain('web-01'));
    expect(a.world.lookupDomain('web-01').state).toBe('in shutdown');

    w.add(60_000); // a minute later, another process
    const b = openWorld({ spec, dir, now: w.now });
    expect(b.world.clock().now).toBe(t0 + 60_000);
    expect(b.world.lookupDomain('web-01').state).toBe('shut off');
    b.transact(() => undefined); // a read-only command still records the catch-up
    expect(readFile(dir).wallAnchor).toBe(w.now());
    expect(readFile(dir).state).toEqual(b.world.toState());
  });

  it('speed multiplies the wall time', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    a.transact(() => a.world.setClockSpeed(10));
    const t0 = a.world.clock().now;
    w.add(6_000);
    expect(openWorld({ spec, dir, now: w.now }).world.clock().now).toBe(t0 + 60_000);
  });

  it('a paused clock does not move between calls: runs are deterministic', () => {
    const script = (dir: string, w: ReturnType<typeof wall>) => {
      const a = openWorld({ spec, dir, now: w.now });
      a.transact(() => a.world.pauseClock());
      w.add(3_600_000);
      const b = openWorld({ spec, dir, now: w.now });
      b.transact(() => b.world.shutdownDomain('web-01'));
      w.add(3_600_000);
      const c = openWorld({ spec, dir, now: w.now });
      c.transact(() => c.world.advance(30_000));
      return c;
    };
    const one = script(tmp(), wall(1_000));
    const two = script(tmp(), wall(9_999_999));
    expect(one.world.clock().now).toBe(two.world.clock().now);
    expect(one.world.toState()).toEqual(two.world.toState());
    expect(one.world.lookupDomain('web-01').state).toBe('shut off');
  });

  it('a new world starts its time at its first use: `--reset clock pause` pauses at the fixture start', () => {
    // Building, saving and locking take wall time: this clock moves 7 ms on every reading.
    let t = 1_000;
    const ticking = () => (t += 7);
    const dir = tmp();
    const a = openWorld({ spec, dir, now: ticking });
    const start = a.world.clock().now;
    a.transact(() => a.world.pauseClock());
    expect(a.world.clock().now).toBe(start);
    const again = openWorld({ spec, dir, reset: true, now: ticking });
    again.transact(() => again.world.pauseClock());
    expect(again.world.toState()).toEqual(a.world.toState());
  });

  it('elapse() moves a running world without touching the file until saveIfDirty()', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    const gen = readFile(dir).generation;
    const t0 = a.world.clock().now;
    a.elapse(500);
    w.add(500);
    expect(a.world.clock().now).toBe(t0 + 500);
    expect(readFile(dir).generation).toBe(gen);
    a.saveIfDirty();
    expect(readFile(dir).generation).toBe(gen + 1);
    a.saveIfDirty(); // nothing changed since
    expect(readFile(dir).generation).toBe(gen + 1);
  });

  it('saveWhenDue() waits 20 save-times between saves (a slow save does not take the TUI half its time)', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    const json = a.world.stateJson.bind(a.world);
    a.world.stateJson = () => {
      w.add(300); // a big world's save
      return json();
    };
    a.elapse(100);
    a.saveIfDirty();
    const gen = readFile(dir).generation;
    a.elapse(2000);
    w.add(2000);
    a.saveWhenDue(); // 2 s after a 300 ms save: not yet
    expect(readFile(dir).generation).toBe(gen);
    w.add(4000);
    a.saveWhenDue(); // 6 s after: due
    expect(readFile(dir).generation).toBe(gen + 1);
    expect(readFile(dir).state).toEqual(a.world.toState());
  });

  it('a due saveWhenDue() waits for a pause in the typing, but not past a minute', () => {
    const dir = tmp();
    const w = wall();
    const a = openWorld({ spec, dir, now: w.now });
    a.elapse(100);
    a.saveIfDirty();
    const gen = readFile(dir).generation;
    w.add(10_000);
    a.elapse(10_000);
    a.saveWhenDue(w.now() - 200); // due, but a key 0.2 s ago
    expect(readFile(dir).generation).toBe(gen);
    w.add(2000);
    a.saveWhenDue(w.now() - 2000); // 2 s without a key
    expect(readFile(dir).generation).toBe(gen + 1);
    // Typing without a pause: saved all the same once a minute past due.
    a.elapse(1000);
    w.add(30_000);
    a.saveWhenDue(w.now() - 100);
    expect(readFile(dir).generation).toBe(gen + 1);
    w.add(61_000);
    a.saveWhenDue(w.now() - 100);
    expect(readFile(dir).generation).toBe(gen + 2);
  });
});

describe('two processes on one state dir', () => {
  it("a TUI's store sees a CLI write (reload in place, 'reloaded' event) and never overwrites it", () => {
    const dir = tmp();
    const w = wall();
    const tui = openWorld({ spec, dir, now: w.now });
    const events: WorldEvent[] = [];
    tui.world.subscribe((e) => events.push(e));

    const cli = openWorld({ spec, dir, now: w.now });
    cli.transact(() => cli.world.destroyDomain('db-01'));

    tui.elapse(100); // the TUI's ticker made it dirty meanwhile
    tui.saveIfDirty(); // must adopt the CLI's newer world, not overwrite it
    expect(tui.world.lookupDomain('db-01').state).toBe('shut off');
    expect(events.some((e) => e.type === 'world' && e.what === 'reloaded')).toBe(true);
    expect(openWorld({ spec, dir, now: w.now }).world.lookupDomain('db-01').state).toBe('shut off');

    // And the watcher's poll picks up later writes.
    cli.transact(() => cli.world.suspendDomain('web-01'));
    expect(tui.pollOnce()).toBe(true);
    expect(tui.world.lookupDomain('web-01').state).toBe('paused');
    expect(tui.pollOnce()).toBe(false);
    expect(tui.currentGeneration).toBe(cli.currentGeneration);

    // A command run in the TUI lands on top of the CLI's changes.
    tui.transact(() => tui.world.destroyDomain('build-01'));
    const fresh = openWorld({ spec, dir, now: w.now });
    expect(fresh.world.lookupDomain('web-01').state).toBe('paused');
    expect(fresh.world.lookupDomain('build-01').state).toBe('shut off');
  });
});

describe('lock file', () => {
  it('is exclusive, released after use, and times out clearly while a live process holds it', () => {
    const dir = tmp();
    const lock = join(dir, LOCK_FILE);
    const release = acquireLock(lock);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
    expect(() => acquireLock(lock, { timeoutMs: 50 })).toThrow(LockTimeoutError);
    release();
    expect(existsSync(lock)).toBe(false);

    // Held by another live process (our parent, which outlives this test).
    writeFileSync(lock, `${process.ppid}\n`);
    expect(() => openWorld({ spec, dir, lockTimeoutMs: 100 })).toThrow(new RegExp(`locked by process ${process.ppid}.*remove`));
  });

  it('a stale lock of a dead process is broken', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const store = openWorld({ spec, dir, lockTimeoutMs: 2000 });
    store.transact(() => store.world.destroyDomain('web-01'));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
