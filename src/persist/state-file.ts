// The on-disk form of a world: world.json in the state directory.
//
//   { "format": "virtyard-world", "version": 1,
//     "fixtureUri": "sim:///default",   the URI the world was created from
//     "generation": 42,                 +1 on every save; lets processes see who is newer
//     "wallAnchor": 1767225600000,      wall-clock ms the virtual clock is synced to
//     "savedAt": "2026-…Z",             for humans
//     "state": { … }  }                 the engine's Simulation.stateJson()

import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const STATE_FORMAT = 'virtyard-world';
export const STATE_VERSION = 1;

export interface StateFile<S = unknown> {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  fixtureUri: string;
  generation: number;
  wallAnchor: number;
  savedAt: string;
  state: S;
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** Identity of the file's current content, cheap to poll: changes on every atomic replace. */
export interface FileSig {
  ino: number;
  mtimeMs: number;
  size: number;
}

export function statSig(path: string): FileSig | null {
  try {
    const st = statSync(path);
    return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function sameSig(a: FileSig | null, b: FileSig | null): boolean {
  return a !== null && b !== null && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

export function readStateFile<S>(path: string): StateFile<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new StateFileError(`cannot read the saved world ${path}: ${(e as Error).message}; use --reset to start again from the fixture`);
  }
  const f = parsed as Partial<StateFile<S>> | null;
  if (!f || typeof f !== 'object' || f.format !== STATE_FORMAT) {
    throw new StateFileError(`${path} is not a virtyard world; use --reset to start again from the fixture`);
  }
  if (f.version !== STATE_VERSION) {
    throw new StateFileError(`${path} has state format version ${String(f.version)}, this virtyard reads version ${STATE_VERSION}; use --reset`);
  }
  if (typeof f.generation !== 'number' || typeof f.wallAnchor !== 'number' || typeof f.fixtureUri !== 'string' || !f.state) {
    throw new StateFileError(`${path} is damaged (missing generation, wallAnchor, fixtureUri or state); use --reset`);
  }
  return f as StateFile<S>;
}

/** The file's text around `stateJson` (the state's JSON text, not parsed again: it is most of the file). */
export function encodeStateFile(f: Pick<StateFile, 'fixtureUri' | 'generation' | 'wallAnchor'> & { stateJson: string }, wallNow: number): string {
  const head: Omit<StateFile, 'state'> = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    fixtureUri: f.fixtureUri,
    generation: f.generation,
    wallAnchor: f.wallAnchor,
    savedAt: new Date(wallNow).toISOString(),
  };
  return `${JSON.stringify(head).slice(0, -1)},"state":${f.stateJson}}\n`;
}

/**
 * Creates the state directory and its missing parents, one level at a time (Node's recursive
 * mkdirSync never returns for a path under /proc), with a plain message for the usual failures.
 */
export function ensureStateDir(dir: string): void {
  const missing: string[] = [];
  let cur = resolve(dir);
  for (;;) {
    const st = statSync(cur, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw new StateFileError(`cannot use ${dir} as the state directory: ${cur} is not a directory`);
      break;
    }
    missing.unshift(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') continue;
      throw new StateFileError(`cannot create the state directory ${dir}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`);
    }
  }
}
