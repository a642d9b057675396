// The one keypress router. Priorities: console > dialog > palette > help > focused pane > global.
// An attached console takes every key but its own (Ctrl+C goes to the guest, as in virsh). Modal
// layers (dialog, palette, help) swallow every key they do not bind — a `q` typed into the palette
// is text, never "quit" — except bindings marked `always` (Ctrl+C). Text layers take printable keys
// as text once their own bindings had their chance.
import { isPrintable } from './keyname';
import { type Binding, type DialogKind, KEYMAP, type Scope } from './keymap';

export type Layer =
  | { scope: 'dialog'; kind: DialogKind }
  | { scope: 'palette' }
  | { scope: 'help' }
  | { scope: PaneScope }
  | ConsoleLayer;

/** An open console (top priority): attached and live, scrolled back (or not running), or its search line. */
export type ConsoleLayer = { scope: 'console' | 'scrollback' | 'search'; tiled: boolean };

export type Routed =
  | { type: 'binding'; binding: Binding }
  | { type: 'text'; text: string }
  /** An attached console's key: to the guest, encoded as a terminal sends it. */
  | { type: 'forward' }
  | { type: 'none' };

const TEXT_DIALOGS: DialogKind[] = ['typed', 'filter', 'form'];

/** Layers where the focused pane's (or screen's) keys come first, then the global ones. */
export type PaneScope = 'table' | 'tree' | 'top' | 'heatmap' | 'hostcpu';
const PANES: readonly Scope[] = ['table', 'tree', 'top', 'heatmap', 'hostcpu'];

export function isPaneLayer(layer: Layer): layer is { scope: PaneScope } {
  return PANES.includes(layer.scope);
}

export function isTextLayer(layer: Layer): boolean {
  return layer.scope === 'palette' || (layer.scope === 'dialog' && TEXT_DIALOGS.includes(layer.kind));
}

function find(scope: Scope, name: string, kind?: DialogKind, keymap: readonly Binding[] = KEYMAP): Binding | undefined {
  return keymap.find(
    (b) => b.scope === scope && b.keys.includes(name) && (!b.dialogs || (kind !== undefined && b.dialogs.includes(kind))),
  );
}

export function isConsoleLayer(layer: Layer): layer is ConsoleLayer {
  return layer.scope === 'console' || layer.scope === 'scrollback' || layer.scope === 'search';
}

const inConsole = (b: Binding, layer: ConsoleLayer, scope: Scope, name: string) =>
  b.scope === scope && b.keys.includes(name) && (!b.tiledOnly || layer.tiled);

/**
 * An attached console takes EVERY key: its own bindings, then (live) the guest. Scrollback and
 * search keep their keys in virtyard and fall back to the attached bindings (Ctrl+] detach, F2).
 */
function routeConsole(layer: ConsoleLayer, name: string, input: string, keymap: readonly Binding[]): Routed {
  const own = keymap.find((b) => inConsole(b, layer, layer.scope, name));
  if (own) return { type: 'binding', binding: own };
  if (layer.scope === 'console') return { type: 'forward' };
  if (layer.scope === 'search' && isPrintable(name, input)) return { type: 'text', text: name === 'space' ? ' ' : input };
  const attached = keymap.find((b) => inConsole(b, layer, 'console', name));
  return attached ? { type: 'binding', binding: attached } : { type: 'none' };
}

export function route(layer: Layer, name: string, input: string, keymap: readonly Binding[] = KEYMAP): Routed {
  if (isConsoleLayer(layer)) return routeConsole(layer, name, input, keymap);
  if (isPaneLayer(layer)) {
    const b = find(layer.scope, name, undefined, keymap) ?? find('global', name, undefined, keymap);
    return b ? { type: 'binding', binding: b } : { type: 'none' };
  }
  const own = find(layer.scope, name, layer.scope === 'dialog' ? layer.kind : undefined, keymap);
  if (own) return { type: 'binding', binding: own };
  if (isTextLayer(layer) && isPrintable(name, input)) return { type: 'text', text: name === 'space' ? ' ' : input };
  const always = keymap.find((b) => b.scope === 'global' && b.always && b.keys.includes(name) && name.startsWith('ctrl+'));
  return always ? { type: 'binding', binding: always } : { type: 'none' };
}

/** Bindings shown in the footer for a layer: its own hints, then the global ones for panes. */
export function hintsFor(layer: Layer, keymap: readonly Binding[] = KEYMAP): Binding[] {
  if (isConsoleLayer(layer)) {
    // Ctrl+] first, in every console layer: the way out is always on screen.
    const detach = keymap.filter((b) => b.id === 'console.detach');
    return [...detach, ...keymap.filter((b) => b.scope === layer.scope && b.hint && !detach.includes(b) && (!b.tiledOnly || layer.tiled))];
  }
  if (isPaneLayer(layer)) {
    return [...keymap.filter((b) => b.scope === layer.scope && b.hint), ...keymap.filter((b) => b.scope === 'global' && b.hint)];
  }
  return keymap.filter(
    (b) => b.scope === layer.scope && b.hint && (layer.scope !== 'dialog' || !b.dialogs || b.dialogs.includes(layer.kind)),
  );
}
