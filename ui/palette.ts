// Palette line editing that does not depend on React: completion against runner.complete and
// the status summary of a command result.
import type { CommandResult } from './runner';

export interface Completion {
  text: string;
  candidates: string[];
}

function commonPrefix(words: string[]): string {
  if (!words.length) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Completes the last word of `line` from `candidates`. The runner may answer with words for the
 * current token or with whole lines; both are accepted.
 */
export function complete(line: string, candidates: string[]): Completion {
  const cut = line.search(/\S*$/);
  const head = line.slice(0, cut);
  const token = line.slice(cut);
  const words = candidates.map((c) => (head && c.startsWith(head) ? c.slice(head.length) : c)).filter((w) => w.startsWith(token));
  if (words.length === 1) return { text: head + words[0] + ' ', candidates: words };
  const prefix = commonPrefix(words);
  return { text: head + (prefix.length > token.length ? prefix : token), candidates: words };
}

/** The program a command line belongs to, as the user would type it in a shell. */
export function shellEquivalent(line: string): string {
  return /^clock\b/.test(line.trim()) ? `virtyard ${line.trim()}` : `virsh ${line.trim()}`;
}

/** One status line for a command's result: "virsh start web-01 → Domain 'web-01' started". */
export function summarize(line: string, res: CommandResult): { text: string; kind: 'ok' | 'error' } {
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines(res.stderr);
  const out = lines(res.stdout);
  if (res.exitCode !== 0 || (err.length && !out.length)) {
    // virsh's "Failed to <verb> domain 'x'" only repeats the command shown on the left: the
    // specific reason goes first so it survives truncation.
    const reasons = err.map((l) => l.replace(/^error:\s*/, '')).filter((l) => !/^Failed to \S+ domain /.test(l));
    const msg = reasons.length ? reasons.join(' — ') : err.map((l) => l.replace(/^error:\s*/, '')).join(' — ');
    return { text: `${shellEquivalent(line)} → error: ${msg || `exit status ${res.exitCode}`}`, kind: 'error' };
  }
  return { text: `${shellEquivalent(line)} → ${out.join(' · ') || 'done'}`, kind: 'ok' };
}
