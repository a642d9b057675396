// Pure presenter logic: formatting, column layout, sorting, filtering, memoization, tree rows,
// palette completion and command summaries.
import { describe, expect, it } from 'vitest';
import { fit, formatDuration, formatKiB } from '../../ui/format';
import { complete, summarize } from '../../ui/palette';
import { hintsText } from '../../ui/panes/chrome/presenter';
import { cell, cpuLoad, createDomainView, filterDomains, layoutColumns, parseFilter, sortDomains } from '../../ui/panes/domains/presenter';
import { buildTreeRows, createTreeView, groupByHost } from '../../ui/panes/hosts/presenter';
import { KEYMAP } from '../../ui/keys/keymap';
import { keepVisible } from '../../ui/state';
import { UiStore } from '../../ui/store/store';
import { defaultWorld } from './world';

const { sim } = defaultWorld();
const domains = sim.listDomains();
const samples = sim.domainSamples();

describe('format', () => {
  it('sizes, durations and fixed widths', () => {
    expect(formatKiB(2097152)).toBe('2.0 GiB');
    expect(formatKiB(524288)).toBe('512 MiB');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration((2 * 3600 + 4 * 60) * 1000)).toBe('2h 04m');
    expect(formatDuration((9 * 86400 + 2 * 3600) * 1000)).toBe('9d 02h');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4, 'right')).toBe('  ab');
  });
});

describe('domain table presenter', () => {
  it('fits columns to the width, dropping the least important first', () => {
    for (const w of [40, 55, 80, 120, 200]) {
      const cols = layoutColumns(w);
      const used = cols.reduce((n, c) => n + c.width, 0) + cols.length - 1;
      expect(used).toBeLessThanOrEqual(w);
      expect(cols.map((c) => c.key)).toContain('name');
    }
    expect(layoutColumns(55).map((c) => c.key)).not.toContain('uptime');
    expect(layoutColumns(120).map((c) => c.key)).toEqual(['id', 'name', 'state', 'host', 'type', 'vcpu', 'memory', 'cpu', 'uptime']);
  });

  it('sorts by any column in both directions, ties by name', () => {
    const byName = sortDomains(domains, { key: 'name', desc: false }, samples).map((d) => d.name.toLowerCase());
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    const mem = sortDomains(domains, { key: 'memory', desc: true }, samples).map((d) => d.memory.currentKiB);
    expect(mem).toEqual([...mem].sort((a, b) => b - a));
    const states = sortDomains(domains, { key: 'state', desc: false }, samples).map((d) => d.state);
    expect(states[0]).toBe('running');
    expect(states[states.length - 1]).toBe('shut off');
  });

  it('filters by substring or regex over name, host, state and OS', () => {
    expect(filterDomains(domains, parseFilter('web')).every((d) => /web/i.test(d.name + d.host + d.state + d.os + d.osName))).toBe(true);
    expect(filterDomains(domains, parseFilter('shut off')).every((d) => d.state === 'shut off')).toBe(true);
    expect(filterDomains(domains, parseFilter('^db-')).map((d) => d.name)).toEqual(domains.filter((d) => d.name.startsWith('db-')).map((d) => d.name));
    // An invalid regex falls back to a substring match instead of failing.
    expect(parseFilter('web(').regex).toBeNull();
    expect(filterDomains(domains, parseFilter('zzz-nothing'))).toEqual([]);
  });

  it('re-sorts only when the list, the filter or the sort changes', () => {
    const view = createDomainView();
    const a = view(domains, { key: 'name', desc: false }, '', samples);
    expect(view(domains, { key: 'name', desc: false }, '', samples)).toBe(a);
    expect(view(domains, { key: 'name', desc: true }, '', samples)).not.toBe(a);
    const f = view(domains, { key: 'name', desc: true }, 'kvm', samples);
    expect(view(domains, { key: 'name', desc: true }, 'kvm', samples)).toBe(f);
  });

  it('a new sample re-sorts a CPU sort only, by the samples, not the snapshots', () => {
    const w = defaultWorld();
    const list = w.sim.listDomains({ sampled: false });
    const view = createDomainView();
    const byName = view(list, { key: 'name', desc: false }, '', w.sim.domainSamples());
    w.sim.advance(2000);
    expect(w.sim.listDomains({ sampled: false })).toBe(list);
    expect(view(list, { key: 'name', desc: false }, '', w.sim.domainSamples())).toBe(byName);
    const byCpu = view(list, { key: 'cpu', desc: true }, '', w.sim.domainSamples());
    w.sim.advance(5000);
    const next = w.sim.domainSamples();
    expect(w.sim.listDomains({ sampled: false })).toBe(list);
    const resorted = view(list, { key: 'cpu', desc: true }, '', next);
    expect(resorted).not.toBe(byCpu);
    const loads = resorted.filter((d) => d.id !== null).map((d) => cpuLoad(d, next));
    expect(loads).toEqual([...loads].sort((x, y) => y - x));
    expect(cell(resorted[0], 'cpu', 0, next)).toBe(`${Math.round(cpuLoad(resorted[0], next))}%`);
  });
});

describe('store', () => {
  it('hostNamed answers from the current snapshot, a new hosts array included', () => {
    const w = defaultWorld();
    const store = new UiStore(w.sim);
    const [first, second] = store.getSnapshot().hosts;
    expect(store.hostNamed(second.name)).toBe(second);
    expect(store.hostNamed('no-such-host')).toBeNull();
    const d = w.sim.listDomains().find((x) => x.host === first.name && x.state === 'shut off')!;
    expect(w.runner.run(`start ${d.name}`).exitCode).toBe(0);
    store.flush();
    const now = store.getSnapshot().hosts.find((h) => h.name === first.name)!;
    expect(now).not.toBe(first);
    expect(store.hostNamed(first.name)).toBe(now);
    store.dispose();
  });
});

describe('hosts tree presenter', () => {
  it('lists every host with its domains, Domain-0 first on Xen, collapsible', () => {
    const hosts = sim.listHosts();
    const groups = groupByHost(domains);
    const rows = buildTreeRows(hosts, groups, new Set());
    expect(rows.filter((r) => r.kind === 'host')).toHaveLength(hosts.length);
    expect(rows.filter((r) => r.kind === 'domain')).toHaveLength(domains.length);
    for (const h of hosts.filter((x) => x.hypervisor === 'xen')) {
      const first = groups.get(h.name)![0];
      expect(first.isDom0).toBe(true);
    }
    const collapsed = buildTreeRows(hosts, groups, new Set([hosts[0].name]));
    expect(collapsed.length).toBe(rows.length - (groups.get(hosts[0].name)?.length ?? 0));
  });

  it('a sample (new host figures, same lines) keeps the rows; a host whose line changes rebuilds them', () => {
    const w = defaultWorld();
    const view = createTreeView();
    const list = w.sim.listDomains({ sampled: false });
    const before = w.sim.listHosts();
    const open = new Set<string>();
    const rows = view(before, list, open);
    w.sim.advance(3000);
    const after = w.sim.listHosts();
    expect(after).not.toBe(before);
    expect(after.some((h, i) => h.cpuPercent !== before[i].cpuPercent)).toBe(true);
    expect(view(after, list, open)).toBe(rows);
    const renamed = after.map((h, i) => (i === 0 ? { ...h, name: 'other-01' } : h));
    const relabelled = view(renamed, list, open);
    expect(relabelled).not.toBe(rows);
    expect(relabelled[0]).toMatchObject({ kind: 'host', key: 'h:other-01' });
  });
});

describe('palette helpers', () => {
  it('completes a word from whole-line or word candidates', () => {
    expect(complete('sta', ['start']).text).toBe('start ');
    expect(complete('start we', ['start web-01', 'start web-02']).text).toBe('start web-0');
    expect(complete('start we', ['web-01']).text).toBe('start web-01 ');
    expect(complete('s', ['shutdown', 'start', 'suspend']).candidates).toHaveLength(3);
  });

  it('summarizes results with the virsh equivalent; errors keep their reason', () => {
    expect(summarize('start web-01', { stdout: "Domain 'web-01' started\n\n", stderr: '', exitCode: 0 })).toEqual({
      kind: 'ok',
      text: "virsh start web-01 → Domain 'web-01' started",
    });
    const err = summarize('suspend x', { stdout: '', stderr: "error: Failed to suspend domain 'x'\nerror: Requested operation is not valid: domain is not running\n", exitCode: 1 });
    expect(err.kind).toBe('error');
    expect(err.text).toContain('domain is not running');
    expect(summarize('clock pause', { stdout: 'Clock paused\n', stderr: '', exitCode: 0 }).text).toMatch(/^virtyard clock pause/);
  });
});

describe('layout helpers', () => {
  it('keeps the cursor inside the scroll window', () => {
    expect(keepVisible(0, 0, 10, 100)).toBe(0);
    expect(keepVisible(15, 0, 10, 100)).toBe(6);
    expect(keepVisible(3, 6, 10, 100)).toBe(3);
    expect(keepVisible(99, 0, 10, 100)).toBe(90);
  });

  it('footer hints fit the width and always end with help', () => {
    const hints = hintsText(KEYMAP.filter((b) => b.scope === 'global' && b.hint), 40);
    expect(hints.length).toBe(40);
    expect(hints.trimEnd().endsWith('? help')).toBe(true);
  });
});
