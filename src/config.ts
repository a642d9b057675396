// Where worlds come from and where they are kept: the connect URI and the XDG state directory.
//
//   sim:///default                               the embedded default fixture
//   sim:///abs/path/lab.yaml   (or just lab.yaml)  another fixture file
//   sim:///generate?hosts=N&domains=M&seed=S     a generated world
//
// State lives in $XDG_DATA_HOME/virtyard/<name> (default ~/.local/share/virtyard/<name>) where
// <name> is derived from the canonical URI, so each world has its own directory.

import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';

export const DEFAULT_URI = 'sim:///default';

export type WorldSpec =
  | { kind: 'default'; uri: string }
  | { kind: 'file'; uri: string; path: string }
  | { kind: 'generate'; uri: string; hosts: number; domains: number; seed: number };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const GENERATE_KEYS = ['hosts', 'domains', 'seed'] as const;
export const MAX_GENERATED_HOSTS = 10_000;
export const MAX_GENERATED_DOMAINS = 100_000;

/** Parses a --connect value into a canonical URI and how to build its world. */
export function parseConnectUri(raw: string, cwd = process.cwd()): WorldSpec {
  // A bare fixture path is accepted for convenience and canonicalised.
  if (!raw.includes('://') && /\.ya?ml$/i.test(raw)) {
    const path = resolve(cwd, raw);
    return { kind: 'file', uri: `sim://${path}`, path };
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(raw);
  if (!m) throw new ConfigError(`invalid connection URI '${raw}'`, `use sim:///default, sim:///path/to/fixture.yaml or sim:///generate?hosts=N&domains=M&seed=S`);
  const [, scheme, host, path = '', query] = m;
  if (scheme !== 'sim') {
    throw new ConfigError(`no connection driver available for ${raw}`, 'virtyard connects to simulated worlds only: sim:///default, sim:///path/to/fixture.yaml, sim:///generate?…');
  }
  if (host !== '') throw new ConfigError(`invalid connection URI '${raw}': sim URIs have no host part (use three slashes: sim:///…)`);
  if (path === '/default' && !query) return { kind: 'default', uri: DEFAULT_URI };
  if (path === '/generate') {
    const params = new URLSearchParams(query ?? '');
    for (const key of params.keys()) {
      if (!(GENERATE_KEYS as readonly string[]).includes(key)) {
        throw new ConfigError(`invalid connection URI '${raw}': unknown parameter '${key}' (expected hosts, domains, seed)`);
      }
    }
    const int = (key: (typeof GENERATE_KEYS)[number], def: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
      const v = params.get(key);
      if (v === null) return def;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
        throw new ConfigError(`invalid connection URI '${raw}': ${key} must be an integer ${range}, got '${v}'`);
      }
      return Number(v);
    };
    // Bounded so a typo cannot exhaust memory: a world of MAX_GENERATED_DOMAINS takes ~1 GB.
    const hosts = int('hosts', 4, 1, MAX_GENERATED_HOSTS);
    const domains = int('domains', 20, 0, MAX_GENERATED_DOMAINS);
    const seed = int('seed', 1, 0);
    return { kind: 'generate', uri: `sim:///generate?hosts=${hosts}&domains=${domains}&seed=${seed}`, hosts, domains, seed };
  }
  if (/\.ya?ml$/i.test(path) && !query) return { kind: 'file', uri: `sim://${path}`, path };
  throw new ConfigError(`unknown simulated world '${raw}'`, 'use sim:///default, sim:///path/to/fixture.yaml or sim:///generate?hosts=N&domains=M&seed=S');
}

export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.local', 'share');
}

/** A directory name per world: "default", "generate-h4-d20-s1", "lab-<hash of the path>". */
export function stateNameFor(spec: WorldSpec): string {
  if (spec.kind === 'default') return 'default';
  if (spec.kind === 'generate') return `generate-h${spec.hosts}-d${spec.domains}-s${spec.seed}`;
  const stem = basename(spec.path, extname(spec.path)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'fixture';
  const hash = createHash('sha256').update(spec.path).digest('hex').slice(0, 8);
  return `${stem}-${hash}`;
}

export function defaultStateDir(spec: WorldSpec, env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'virtyard', stateNameFor(spec));
}
