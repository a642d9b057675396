// The compute screens' state and key actions: which screen shows (main, virt-top table, fleet
// heatmap, host pCPU view), their cursors and sort, what each selects (so domain keys act on the
// row under the cursor), and the compute dialogs (workload, vcpupin, setmem) — every change to
// the world is one virsh command line through controller.runLine.
import type { DomainInfo, HostInfo } from '../../../engine/index';
import type { Controller } from '../../controller';
import type { Selection } from '../../keys/keymap';
import { keepVisible } from '../../state';
import { type HostGroup, cellAt, createFleetGrouping, heatCells } from '../heatmap/presenter';
import { type FormState, backspace, balloonForm, formCommand, moveIn, nextField, pinForm, typeInto, workloadForm } from '../vcpu/forms';
import { computeReads } from '../vcpu/reads';
import type { ComputeUi, ScreenId } from './model';
import { TOP_KEYS, type TopRow, createTopView } from './presenter';

/** Per-controller memoized views and the sizes the views last rendered at. */
interface Views {
  top: ReturnType<typeof createTopView>;
  group: ReturnType<typeof createFleetGrouping>;
  byName: { domains: DomainInfo[] | null; map: Map<string, DomainInfo> };
  /** Visible rows of each screen, and the heatmap's cell area width (set by the views). */
  pages: { top: number; heat: number; host: number; heatWidth: number; hostLines: number };
}

const viewsOf = new WeakMap<Controller, Views>();

export function computeViews(c: Controller): Views {
  let v = viewsOf.get(c);
  if (!v) {
    v = {
      top: createTopView(),
      group: createFleetGrouping(),
      byName: { domains: null, map: new Map() },
      pages: { top: 10, heat: 10, host: 10, heatWidth: 40, hostLines: 0 },
    };
    viewsOf.set(c, v);
  }
  return v;
}

const cu = (c: Controller) => c.getState().compute;
const setCu = (c: Controller, patch: Partial<ComputeUi>) => c.update({ compute: { ...cu(c), ...patch } });

export function topList(c: Controller): TopRow[] {
  const s = c.store.getSnapshot();
  return computeViews(c).top(s.domains, s.hosts, computeReads(c.store).fleet(s.version), s.samples, cu(c).top.sort);
}

export function topCursor(c: Controller): number {
  const rows = topList(c);
  const t = cu(c).top;
  let i = t.cursor;
  if (t.key !== null && rows[i]?.d.uuid !== t.key) {
    const j = rows.findIndex((r) => r.d.uuid === t.key);
    if (j >= 0) i = j;
  }
  return Math.max(0, Math.min(i, rows.length - 1));
}

export function topOffset(c: Controller): number {
  return keepVisible(topCursor(c), cu(c).top.offset, computeViews(c).pages.top, topList(c).length);
}

export function heatGroups(c: Controller): HostGroup[] {
  const s = c.store.getSnapshot();
  return computeViews(c).group(computeReads(c.store).fleet(s.version).load, s.hosts);
}

/** Heatmap cursor clamped to the groups and to the cells of its row. */
export function heatCursor(c: Controller): { row: number; col: number; offset: number } {
  const groups = heatGroups(c);
  const h = cu(c).heat;
  const v = computeViews(c);
  const row = Math.max(0, Math.min(h.row, groups.length - 1));
  const g = groups[row];
  const cells = g ? heatCells(g, v.pages.heatWidth, h.agg, h.metric).values.length : 0;
  const col = Math.max(0, Math.min(h.col, cells - 1));
  return { row, col, offset: keepVisible(row, h.offset, v.pages.heat, groups.length) };
}

function domainByName(c: Controller, host: string, name: string): DomainInfo | null {
  const s = c.store.getSnapshot();
  const v = computeViews(c).byName;
  if (v.domains !== s.domains) {
    v.map = new Map(s.domains.map((d) => [`${d.host}/${d.name}`, d]));
    v.domains = s.domains;
  }
  return v.map.get(`${host}/${name}`) ?? null;
}

const hostNamed = (c: Controller, name: string | null | undefined): HostInfo | null =>
  name ? c.store.hostNamed(name) : null;

/** What the compute screens select (domain keys act on it); null on the main screen. */
export function computeSelection(c: Controller): Selection | null {
  const ui = cu(c);
  const clock = c.store.getSnapshot().clock;
  if (ui.screen === 'top') {
    const r = topList(c)[topCursor(c)];
    return { domain: r?.d ?? null, host: hostNamed(c, r?.d.host), clock };
  }
  if (ui.screen === 'heatmap') {
    const groups = heatGroups(c);
    const { row, col } = heatCursor(c);
    const g = groups[row];
    if (!g) return { domain: null, host: null, clock };
    const at = cellAt(g, heatCells(g, computeViews(c).pages.heatWidth, ui.heat.agg, ui.heat.metric), col);
    return { domain: at ? domainByName(c, g.host, at.domain) : null, host: hostNamed(c, g.host), clock };
  }
  if (ui.screen === 'hostcpu') return { domain: null, host: hostNamed(c, ui.host.name), clock };
  return null;
}

// ── actions ────────────────────────────────────────────────────────────────
function toggle(c: Controller, screen: ScreenId): void {
  setCu(c, { screen: cu(c).screen === screen ? 'main' : screen });
}

function openHost(c: Controller, name: string | null | undefined): void {
  if (!name) return c.update({ status: { kind: 'info', text: 'Host view: select a host or a domain first' } });
  setCu(c, { screen: 'hostcpu', host: { name, offset: 0 } });
}

function moveTop(c: Controller, to: number | 'top' | 'bottom'): void {
  const rows = topList(c);
  if (!rows.length) return;
  const cur = topCursor(c);
  const i = Math.max(0, Math.min(rows.length - 1, to === 'top' ? 0 : to === 'bottom' ? rows.length - 1 : cur + to));
  const offset = keepVisible(i, topOffset(c), computeViews(c).pages.top, rows.length);
  setCu(c, { top: { ...cu(c).top, cursor: i, offset, key: rows[i].d.uuid } });
}

function moveHeat(c: Controller, rows: number | 'top' | 'bottom', cols = 0): void {
  const n = heatGroups(c).length;
  if (!n) return;
  const cur = heatCursor(c);
  const row = Math.max(0, Math.min(n - 1, rows === 'top' ? 0 : rows === 'bottom' ? n - 1 : cur.row + rows));
  const offset = keepVisible(row, cur.offset, computeViews(c).pages.heat, n);
  setCu(c, { heat: { ...cu(c).heat, row, offset, col: Math.max(0, cur.col + cols) } });
  if (cols) setCu(c, { heat: { ...cu(c).heat, col: heatCursor(c).col } });
}

function scrollHost(c: Controller, delta: number): void {
  const v = computeViews(c).pages;
  const max = Math.max(0, v.hostLines - v.host);
  const h = cu(c).host;
  setCu(c, { host: { ...h, offset: Math.max(0, Math.min(max, h.offset + delta)) } });
}

function openForm(c: Controller, make: (d: DomainInfo, host: HostInfo | null, sel: Selection) => FormState, what: string): void {
  const sel = c.selection();
  if (!sel.domain) return c.update({ status: { kind: 'info', text: `${what}: select a domain first` } });
  c.update({ dialog: { kind: 'form', form: make(sel.domain, sel.host, sel) } });
}

function formOf(c: Controller): FormState | null {
  const d = c.getState().dialog;
  return d?.kind === 'form' ? d.form : null;
}

function editForm(c: Controller, f: (form: FormState) => FormState): void {
  const form = formOf(c);
  if (form) c.update({ dialog: { kind: 'form', form: f(form) } });
}

/** Typed text for an open form (the controller routes text here). */
export function typeIntoForm(c: Controller, text: string): void {
  editForm(c, (f) => typeInto(f, text));
}

function submitForm(c: Controller): void {
  const form = formOf(c);
  if (!form) return;
  const r = formCommand(form);
  if ('error' in r) return c.update({ dialog: { kind: 'form', form: { ...form, error: r.error } } });
  c.closeDialog();
  const res = c.runLine(r.line);
  // The engine refused it: keep the dialog so the user can correct the field (status says why too).
  if (res.exitCode !== 0) c.update({ dialog: { kind: 'form', form: { ...form, error: c.getState().status?.text ?? `exit status ${res.exitCode}` } } });
}

type Action = (c: Controller) => void;

export const COMPUTE_ACTIONS: Record<string, Action> = {
  'compute.workload': (c) => openForm(c, (d, h) => workloadForm(d, h), 'Change workload'),
  'compute.pin': (c) => {
    const s = c.store.getSnapshot();
    openForm(c, (d, h) => pinForm(d, h, computeReads(c.store).vcpu(s.version, d).pins), 'Pin a vCPU');
  },
  'compute.balloon': (c) => openForm(c, (d, h) => balloonForm(d, h), 'Balloon memory'),
  'screen.top': (c) => toggle(c, 'top'),
  'screen.heatmap': (c) => toggle(c, 'heatmap'),
  'screen.host': (c) => (cu(c).screen === 'hostcpu' ? setCu(c, { screen: 'main' }) : openHost(c, c.selection().host?.name)),
  'top.back': (c) => setCu(c, { screen: 'main' }),
  'top.down': (c) => moveTop(c, 1),
  'top.up': (c) => moveTop(c, -1),
  'top.pageDown': (c) => moveTop(c, computeViews(c).pages.top),
  'top.pageUp': (c) => moveTop(c, -computeViews(c).pages.top),
  'top.top': (c) => moveTop(c, 'top'),
  'top.bottom': (c) => moveTop(c, 'bottom'),
  'top.sortNext': (c) => {
    const t = cu(c).top;
    const key = TOP_KEYS[(TOP_KEYS.indexOf(t.sort.key) + 1) % TOP_KEYS.length];
    // Numbers read best largest first, names A→Z.
    const desc = !['name', 'host', 'state', 'workload', 'id'].includes(key);
    setCu(c, { top: { ...t, sort: { key, desc } } });
  },
  'top.sortFlip': (c) => {
    const t = cu(c).top;
    setCu(c, { top: { ...t, sort: { ...t.sort, desc: !t.sort.desc } } });
  },
  'top.host': (c) => openHost(c, c.selection().host?.name),
  'heatmap.back': (c) => setCu(c, { screen: 'main' }),
  'heatmap.down': (c) => moveHeat(c, 1),
  'heatmap.up': (c) => moveHeat(c, -1),
  'heatmap.pageDown': (c) => moveHeat(c, computeViews(c).pages.heat),
  'heatmap.pageUp': (c) => moveHeat(c, -computeViews(c).pages.heat),
  'heatmap.top': (c) => moveHeat(c, 'top'),
  'heatmap.bottom': (c) => moveHeat(c, 'bottom'),
  'heatmap.left': (c) => moveHeat(c, 0, -1),
  'heatmap.right': (c) => moveHeat(c, 0, 1),
  'heatmap.agg': (c) => setCu(c, { heat: { ...cu(c).heat, agg: cu(c).heat.agg === 'max' ? 'mean' : 'max' } }),
  'heatmap.metric': (c) => setCu(c, { heat: { ...cu(c).heat, metric: cu(c).heat.metric === 'busy' ? 'steal' : 'busy' } }),
  'heatmap.host': (c) => openHost(c, heatGroups(c)[heatCursor(c).row]?.host),
  'hostcpu.back': (c) => setCu(c, { screen: 'main' }),
  'hostcpu.down': (c) => scrollHost(c, 1),
  'hostcpu.up': (c) => scrollHost(c, -1),
  'hostcpu.pageDown': (c) => scrollHost(c, computeViews(c).pages.host),
  'hostcpu.pageUp': (c) => scrollHost(c, -computeViews(c).pages.host),
  'form.submit': submitForm,
  'form.down': (c) => editForm(c, (f) => moveIn(f, 1)),
  'form.up': (c) => editForm(c, (f) => moveIn(f, -1)),
  'form.next': (c) => editForm(c, (f) => nextField(f, 1)),
  'form.prev': (c) => editForm(c, (f) => nextField(f, -1)),
  'form.backspace': (c) => editForm(c, backspace),
};
