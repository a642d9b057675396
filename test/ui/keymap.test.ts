// The ONE keymap drives handlers, footer hints, help and routing; the router's priorities.
import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../ui/controller';
import { helpLines } from '../../ui/keys/help';
import { displayKey } from '../../ui/keys/keyname';
import { KEYMAP, nextSpeed } from '../../ui/keys/keymap';
import { hintsFor, route } from '../../ui/keys/router';

describe('keymap table', () => {
  it('every binding has a handler: a command or an action', () => {
    for (const b of KEYMAP) expect(Boolean(b.command) || ACTION_IDS.includes(b.id), b.id).toBe(true);
    for (const id of ACTION_IDS) expect(KEYMAP.some((b) => b.id === id), id).toBe(true);
  });

  it('ids are unique and no key is bound twice in one scope (for the same dialog kind)', () => {
    expect(new Set(KEYMAP.map((b) => b.id)).size).toBe(KEYMAP.length);
    const seen = new Set<string>();
    for (const b of KEYMAP) {
      for (const k of b.keys) {
        for (const kind of b.dialogs ?? ['*']) {
          const slot = `${b.scope}:${kind}:${k}`;
          expect(seen.has(slot), slot).toBe(false);
          seen.add(slot);
        }
      }
    }
  });

  it('pane keys never shadow a global key silently (except Esc, which has no global meaning)', () => {
    const global = new Set(KEYMAP.filter((b) => b.scope === 'global').flatMap((b) => b.keys));
    for (const b of KEYMAP.filter((x) => x.scope === 'table' || x.scope === 'tree')) {
      for (const k of b.keys) expect(global.has(k), `${b.id} ${k}`).toBe(false);
    }
  });

  it('every binding appears in the help screen with its keys', () => {
    const text = helpLines().map((l) => l.text).join('\n');
    for (const b of KEYMAP) {
      expect(text, b.id).toContain(b.description);
      expect(text, b.id).toContain(b.keys.map(displayKey).join(' / '));
    }
  });

  it('footer hints come from the table', () => {
    const hints = hintsFor({ scope: 'table' });
    expect(hints.length).toBeGreaterThan(5);
    for (const h of hints) expect(KEYMAP).toContain(h);
    expect(hints.map((h) => h.id)).toContain('domain.start');
    expect(hintsFor({ scope: 'palette' }).every((b) => b.scope === 'palette')).toBe(true);
  });

  it('clock speed ladder', () => {
    expect(nextSpeed(1, 1)).toBe(10);
    expect(nextSpeed(1000, 1)).toBe(1000);
    expect(nextSpeed(100, -1)).toBe(10);
    expect(nextSpeed(1, -1)).toBe(1);
    expect(nextSpeed(50, 1)).toBe(100);
  });
});

describe('router priorities: dialog > palette > help > pane > global', () => {
  const id = (r: ReturnType<typeof route>) => (r.type === 'binding' ? r.binding.id : r.type === 'text' ? `text:${r.text}` : 'none');

  it('pane keys first, then global', () => {
    expect(id(route({ scope: 'table' }, 'j', 'j'))).toBe('table.down');
    expect(id(route({ scope: 'tree' }, 'j', 'j'))).toBe('tree.down');
    expect(id(route({ scope: 'tree' }, 'enter', ''))).toBe('tree.toggle');
    expect(id(route({ scope: 'table' }, 'q', 'q'))).toBe('app.quit');
    expect(id(route({ scope: 'table' }, 's', 's'))).toBe('domain.start');
  });

  it('q typed in the palette or a text dialog is text, never quit', () => {
    expect(id(route({ scope: 'palette' }, 'q', 'q'))).toBe('text:q');
    expect(id(route({ scope: 'dialog', kind: 'typed' }, 'q', 'q'))).toBe('text:q');
    expect(id(route({ scope: 'dialog', kind: 'filter' }, 's', 's'))).toBe('text:s');
    expect(id(route({ scope: 'dialog', kind: 'typed' }, 'y', 'y'))).toBe('text:y');
  });

  it('modal layers swallow unbound keys; Ctrl+C always quits', () => {
    expect(id(route({ scope: 'dialog', kind: 'confirm' }, 'q', 'q'))).toBe('none');
    expect(id(route({ scope: 'dialog', kind: 'confirm' }, 's', 's'))).toBe('none');
    expect(id(route({ scope: 'dialog', kind: 'confirm' }, 'y', 'y'))).toBe('dialog.yes');
    expect(id(route({ scope: 'help' }, 's', 's'))).toBe('none');
    expect(id(route({ scope: 'help' }, 'q', 'q'))).toBe('help.close');
    expect(id(route({ scope: 'palette' }, 'ctrl+c', 'c'))).toBe('app.quit');
    expect(id(route({ scope: 'dialog', kind: 'output' }, 'ctrl+c', 'c'))).toBe('app.quit');
  });
});
