// Vitest global setup: build dist/ ONCE, before any test file starts, if the bundle is missing or
// older than the sources it is built from. Test files that spawn the CLI (e2e, virsh console, the
// tmux tests) must never build it themselves mid-run: the build first deletes the previous
// chunks, so a file rebuilding dist/ makes a CLI started by a parallel file die with
// ERR_MODULE_NOT_FOUND. `npm test` builds first, so there this is only a cheap mtime walk.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/virtyard.js');
const SOURCES = ['src', 'ui', 'engine'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const sources = Math.max(statSync(join(ROOT, 'esbuild.config.mjs')).mtimeMs, ...SOURCES.map((d) => newestMtime(join(ROOT, d))));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building dist/ failed (exit ${r.status ?? r.signal}): the CLI tests need the bundle`);
}
