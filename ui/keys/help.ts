// The `?` help screen's content, generated from the keymap table and grouped by scope.
import { displayKey } from './keyname';
import { KEYMAP, SCOPE_ORDER, SCOPE_TITLES } from './keymap';

export interface HelpLine {
  text: string;
  heading: boolean;
}

export function helpLines(): HelpLine[] {
  const out: HelpLine[] = [];
  for (const scope of SCOPE_ORDER) {
    const bindings = KEYMAP.filter((b) => b.scope === scope);
    if (!bindings.length) continue;
    if (out.length) out.push({ text: '', heading: false });
    out.push({ text: SCOPE_TITLES[scope], heading: true });
    for (const b of bindings) {
      const keys = b.keys.map(displayKey).join(' / ');
      const extra = b.dangerous === 'typed' ? '  [type the name]' : b.dangerous ? '  [asks y/n]' : '';
      const line = `  ${keys.padEnd(18)} ${b.description}${extra}`;
      out.push({ text: line, heading: false });
    }
  }
  return out;
}
