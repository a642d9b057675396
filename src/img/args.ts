// A getopt_long work-alike for the subcommands: options may follow operands (GNU permutation),
// "--" ends options, "-fqcow2" and "--output=json" forms are accepted, errors read like qemu-img's.
import { ImgError, usageError } from './errors';

export interface OptSpec {
  /** Short options, getopt style: "f:O:c" (":" = takes an argument). */
  short: string;
  /** Long options: name → takes an argument. */
  long?: Record<string, boolean>;
}

export interface Parsed {
  /** Options in command-line order as [name, value]; flags have value "". */
  opts: Array<[string, string]>;
  operands: string[];
}

export function parseArgs(argv: string[], spec: OptSpec): Parsed {
  const takesArg = new Map<string, boolean>();
  for (let i = 0; i < spec.short.length; i++) {
    const c = spec.short[i];
    if (c === ':') continue;
    takesArg.set(c, spec.short[i + 1] === ':');
  }
  const long = spec.long ?? {};
  const opts: Array<[string, string]> = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!(name in long)) throw usageError(`unrecognized option '${a}'`);
      if (long[name]) {
        if (eq >= 0) opts.push([name, a.slice(eq + 1)]);
        else if (i + 1 < argv.length) opts.push([name, argv[++i]]);
        else throw usageError(`option '--${name}' requires an argument`);
      } else {
        if (eq >= 0) throw usageError(`option '--${name}' doesn't allow an argument`);
        opts.push([name, '']);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const arg = takesArg.get(c);
        if (arg === undefined) throw usageError(`unrecognized option '${a}'`);
        if (!arg) {
          opts.push([c, '']);
          continue;
        }
        if (j + 1 < a.length) opts.push([c, a.slice(j + 1)]);
        else if (i + 1 < argv.length) opts.push([c, argv[++i]]);
        else throw usageError(`option requires an argument -- '${c}'`);
        break;
      }
      continue;
    }
    operands.push(a);
  }
  return { opts, operands };
}

/** The last value of an option, as getopt loops that overwrite a variable give. */
export function last(p: Parsed, name: string): string | undefined {
  let v: string | undefined;
  for (const [n, val] of p.opts) if (n === name) v = val;
  return v;
}

export function has(p: Parsed, name: string): boolean {
  return p.opts.some(([n]) => n === name);
}

export type OutputFormat = 'human' | 'json';

export function outputFormat(p: Parsed): OutputFormat {
  const v = last(p, 'output');
  if (v === undefined || v === 'human') return 'human';
  if (v === 'json') return 'json';
  throw new ImgError('--output must be used with human or json as argument.');
}
