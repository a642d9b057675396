// The layer rule (src → ui → engine): engine/ imports nothing from ui/, src/, ink or react;
// ui/ reaches the engine only through engine/index.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** Resolves a relative import to a path under ROOT (without extension), or returns the bare specifier. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : spec;
}

describe('layer rule', () => {
  it('engine/ imports nothing from ui/, src/, ink or react', () => {
    const bad: string[] = [];
    for (const f of sources(join(ROOT, 'engine'))) {
      for (const spec of importsOf(f)) {
        const t = target(f, spec);
        if (/^(ui|src)(\/|$)/.test(t) || /^(ink|react)(\/|$)|^ink-/.test(t)) bad.push(`${relative(ROOT, f)} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('ui/ imports engine only through engine/index.ts, and never src/', () => {
    const bad: string[] = [];
    for (const f of sources(join(ROOT, 'ui'))) {
      for (const spec of importsOf(f)) {
        const t = target(f, spec);
        if (/^src(\/|$)/.test(t) || (/^engine\//.test(t) && t !== 'engine/index')) bad.push(`${relative(ROOT, f)} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the checker sees real violations', () => {
    expect(target(join(ROOT, 'ui/x.ts'), '../engine/sim/index')).toBe('engine/sim/index');
    expect(importsOf(__filename).length).toBeGreaterThan(0);
  });
});
