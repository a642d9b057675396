// Tab completion for the TUI palette over the same command table: command names first,
// then option names, domain names (or an option's own values) for the word being typed.
// Returns whole lines (the input with its last word completed) so the palette can
// offer them as they are.

import type { Connection } from '../../engine/api/connection';
import { splitCommands, quoteWord } from '../virsh/tokenize';
import { COMMANDS, findCommand } from './index';
import type { OptDef } from './types';

/** Index where the word under the cursor (end of line) starts, honouring quotes. */
function currentWordStart(line: string): number {
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === ' ' || c === '\t' || c === ';') start = i + 1;
  }
  return start;
}

function values(opt: OptDef, conn: Connection): string[] {
  if (opt.complete === 'domain') return conn.listDomains().map((d) => d.name);
  if (opt.complete === 'command') return COMMANDS.map((c) => c.name);
  return opt.complete ? [...opt.complete] : [];
}

export function completeLine(line: string, conn: Connection): string[] {
  const start = currentWordStart(line);
  const head = line.slice(0, start);
  const segment = head.slice(head.lastIndexOf(';') + 1);
  let words: string[];
  let current: string;
  try {
    words = splitCommands(segment)[0] ?? [];
    current = splitCommands(line.slice(start))[0]?.[0] ?? '';
  } catch {
    return [];
  }
  const offer = (cands: string[]) =>
    [...new Set(cands)].filter((c) => c.startsWith(current)).sort().map((c) => head + quoteWord(c));
  if (words.length === 0) return offer(COMMANDS.map((c) => c.name));
  const def = findCommand(words[0]);
  if (!def) return [];
  // Walk the words typed so far to see which options are set and whether one awaits a value.
  const used = new Set<string>();
  let awaiting: OptDef | undefined;
  const slots = def.options.filter((o) => o.type !== 'bool' && (o.required || o.positional));
  for (const w of words.slice(1)) {
    if (awaiting) {
      used.add(awaiting.name);
      awaiting = undefined;
    } else if (w.startsWith('--')) {
      const [name, value] = w.slice(2).split('=', 2);
      const opt = def.options.find((o) => o.name === name);
      if (opt) {
        if (opt.type !== 'bool' && value === undefined) awaiting = opt;
        else used.add(opt.name);
      }
    } else {
      const slot = slots.find((o) => !used.has(o.name));
      if (slot) used.add(slot.name);
    }
  }
  if (awaiting) return offer(values(awaiting, conn));
  const optionNames = def.options.filter((o) => !used.has(o.name)).map((o) => `--${o.name}`);
  if (current.startsWith('-')) return offer(optionNames);
  const slot = slots.find((o) => !used.has(o.name));
  if (slot) {
    const v = values(slot, conn);
    if (v.length > 0 || current !== '') return offer(v);
  }
  return current === '' ? offer(optionNames) : [];
}
