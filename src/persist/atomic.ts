// Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it
// over the target, fsync the directory. A reader sees the old file or the new one, never a
// torn one, and a crash at any point leaves the old file (plus at worst a stray temp file,
// which cleanTempFiles removes under the lock).

import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export interface AtomicWriteHooks {
  /** Test hook: runs after the temp file is written and synced, before the rename. */
  beforeRename?(tempPath: string): void;
}

export function writeFileAtomic(target: string, data: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${++counter}.tmp`);
  const fd = openSync(temp, 'w', 0o644);
  try {
    try {
      const buf = Buffer.from(data, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (e) {
    // Some filesystems refuse fsync on a directory (EINVAL); the rename is still atomic there.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Removes temp files a crashed writer left behind. Call only while holding the lock. */
export function cleanTempFiles(target: string): number {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      try {
        unlinkSync(join(dir, name));
        removed++;
      } catch {
        // raced with another cleaner
      }
    }
  }
  return removed;
}
