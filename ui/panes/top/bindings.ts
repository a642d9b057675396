// The compute part of THE keymap (spread into ui/keys/keymap.ts): domain keys that open the
// workload / vCPU pin / balloon dialogs, keys that switch screens, and each compute screen's and
// dialog's own keys. Implemented in ./screens.ts (COMPUTE_ACTIONS) by id.
import type { Binding } from '../../keys/keymap';
import { navigation } from '../../keys/navigation';

/** Global keys: after the domain actions (their footer hints come first). */
export const COMPUTE_GLOBAL_KEYMAP: readonly Binding[] = [
  { id: 'compute.workload', keys: ['w'], description: "Change the domain's workload profile (picker → virsh workload D PROFILE)", scope: 'global', hint: 'workload', needsDomain: true },
  { id: 'compute.pin', keys: ['P'], description: 'Pin a vCPU to pCPUs (vCPU + cpulist → virsh vcpupin D N LIST)', scope: 'global', hint: 'pin', needsDomain: true },
  { id: 'compute.balloon', keys: ['b'], description: 'Balloon the memory (size → virsh setmem D SIZE)', scope: 'global', hint: 'balloon', needsDomain: true },
  { id: 'screen.top', keys: ['t'], description: 'virt-top: every active domain by CPU, steal, memory (again: back)', scope: 'global', hint: 'top' },
  { id: 'screen.heatmap', keys: ['L'], description: 'Fleet load heatmap: hosts × domains × vCPUs (again: back)', scope: 'global', hint: 'heatmap' },
  { id: 'screen.host', keys: ['H'], description: "Host view: pCPU grid, overcommit, memory of the selection's host (again: back)", scope: 'global', hint: 'host' },
];

/** The compute screens' and dialogs' own keys. */
export const COMPUTE_SCREEN_KEYMAP: readonly Binding[] = [
  // ── virt-top table ───────────────────────────────────────────────────────
  ...navigation('top', 'domain'),
  { id: 'top.sortNext', keys: ['o'], description: 'Sort by the next column', scope: 'top', hint: 'sort' },
  { id: 'top.sortFlip', keys: ['O'], description: 'Flip the sort direction', scope: 'top' },
  { id: 'top.host', keys: ['enter'], description: "Open the domain's host view", scope: 'top', hint: 'host view' },
  { id: 'top.back', keys: ['esc'], description: 'Back to the main screen', scope: 'top', hint: 'back' },
  // ── fleet heatmap ────────────────────────────────────────────────────────
  ...navigation('heatmap', 'host'),
  { id: 'heatmap.left', keys: ['left', 'h'], description: 'Previous cell (vCPU or group of vCPUs)', scope: 'heatmap' },
  { id: 'heatmap.right', keys: ['right', 'l'], description: 'Next cell', scope: 'heatmap' },
  { id: 'heatmap.agg', keys: ['v'], description: 'Aggregated cells: max ↔ mean', scope: 'heatmap', hint: 'max/mean' },
  { id: 'heatmap.metric', keys: ['V'], description: 'Shade by busy ↔ steal', scope: 'heatmap', hint: 'busy/steal' },
  { id: 'heatmap.host', keys: ['enter'], description: "Open the host's pCPU view", scope: 'heatmap', hint: 'host view' },
  { id: 'heatmap.back', keys: ['esc'], description: 'Back to the main screen', scope: 'heatmap', hint: 'back' },
  // ── host pCPU view ───────────────────────────────────────────────────────
  { id: 'hostcpu.down', keys: ['down', 'j'], description: 'Scroll the pCPU grid down', scope: 'hostcpu', hint: 'scroll' },
  { id: 'hostcpu.up', keys: ['up', 'k'], description: 'Scroll the pCPU grid up', scope: 'hostcpu' },
  { id: 'hostcpu.pageDown', keys: ['pgdn'], description: 'Page down', scope: 'hostcpu' },
  { id: 'hostcpu.pageUp', keys: ['pgup'], description: 'Page up', scope: 'hostcpu' },
  { id: 'hostcpu.back', keys: ['esc'], description: 'Back to the main screen', scope: 'hostcpu', hint: 'back' },
  // ── compute dialogs (workload picker, vCPU pin, balloon) ─────────────────
  { id: 'form.submit', keys: ['enter'], description: 'Run the command the dialog shows', scope: 'dialog', hint: 'run', dialogs: ['form'] },
  { id: 'form.down', keys: ['down'], description: 'Next choice / next field', scope: 'dialog', hint: 'choose', dialogs: ['form'] },
  { id: 'form.up', keys: ['up'], description: 'Previous choice / previous field', scope: 'dialog', dialogs: ['form'] },
  { id: 'form.next', keys: ['tab'], description: 'Next field', scope: 'dialog', hint: 'field', dialogs: ['form'] },
  { id: 'form.prev', keys: ['shift+tab'], description: 'Previous field', scope: 'dialog', dialogs: ['form'] },
  { id: 'form.backspace', keys: ['backspace'], description: 'Delete a character in a field', scope: 'dialog', dialogs: ['form'] },
];
