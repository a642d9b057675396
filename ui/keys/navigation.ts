// The list-navigation bindings every scrollable pane shares (j/k, pages, first/last), so each
// pane's keys read the same in help and behave the same.
import type { Binding, Scope } from './keymap';

export function navigation(scope: Scope, what: string): Binding[] {
  return [
    { id: `${scope}.down`, keys: ['down', 'j'], description: `Next ${what}`, scope },
    { id: `${scope}.up`, keys: ['up', 'k'], description: `Previous ${what}`, scope },
    { id: `${scope}.pageDown`, keys: ['pgdn', 'ctrl+f'], description: 'Page down', scope },
    { id: `${scope}.pageUp`, keys: ['pgup', 'ctrl+b'], description: 'Page up', scope },
    { id: `${scope}.top`, keys: ['g', 'home'], description: `First ${what}`, scope },
    { id: `${scope}.bottom`, keys: ['G', 'end'], description: `Last ${what}`, scope },
  ];
}
