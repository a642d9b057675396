// An exclusive lock file for one state directory, shared by every virtyard process (CLI
// commands and a running TUI). Created with O_EXCL holding the owner's pid; a lock whose pid
// is dead is stale and broken; otherwise we retry until a deadline, then fail clearly.
// Everything is synchronous: the command runner's API is synchronous, and holders keep the
// lock only for one read-modify-write (milliseconds).

import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

export interface LockOptions {
  timeoutMs?: number;
  /** Wall clock, injectable for tests. */
  now?: () => number;
}

/** Locks this process holds, so its own live lock is never mistaken for a stale one. */
const held = new Set<string>();

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** true if a process with this pid exists (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Age of a file in ms, or null if it is gone. */
function ageMs(path: string, now: number): number | null {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Breaks `path` if its owner is dead. A second O_EXCL file serialises breakers, so two
 * processes never both unlink: the second would otherwise remove the first's fresh lock.
 */
function breakIfStale(path: string, now: number): void {
  const owner = readOwner(path);
  if (owner === null) {
    // Empty: its creator is between open and write, unless that was long ago (it crashed).
    const age = ageMs(path, now);
    if (age === null || age < 2000) return;
  } else if (owner === process.pid ? held.has(path) : pidAlive(owner)) return;
  const breaker = `${path}.break`;
  if (!tryCreate(breaker)) {
    const age = ageMs(breaker, now);
    if (age !== null && age > 2000) unlinkQuiet(breaker); // a breaker died mid-break
    return;
  }
  try {
    if (readOwner(path) === owner) unlinkQuiet(path);
  } finally {
    unlinkQuiet(breaker);
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Acquires the lock at `path`; returns its release function. */
export function acquireLock(path: string, opts: LockOptions = {}): () => void {
  const timeout = opts.timeoutMs ?? 5000;
  const now = opts.now ?? Date.now;
  const deadline = now() + timeout;
  let delay = 2;
  for (;;) {
    if (tryCreate(path)) {
      held.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(path);
        if (readOwner(path) === process.pid) unlinkQuiet(path);
      };
    }
    breakIfStale(path, Date.now());
    if (now() >= deadline) {
      const owner = readOwner(path);
      throw new LockTimeoutError(
        `the world is locked by ${owner ? `process ${owner}` : 'another process'} (waited ${(timeout / 1000).toFixed(0)} s); ` +
          `if no virtyard is running, remove ${path}`,
      );
    }
    sleepSync(delay);
    delay = Math.min(delay * 2, 50);
  }
}
