// Compute commands over the engine's scheduler: vcpuinfo, vcpupin, emulatorpin, schedinfo,
// domstats, dommemstat, nodecpustats, nodememstats, cpu-stats — virsh 9.0's formats (virsh-domain.c,
// virsh-domain-monitor.c, virsh-host.c) and messages, checked against real virsh on its test driver.

import { VirError } from '../../engine/api/errors';
import { formatCpulist } from '../../engine/sim/compute/cpulist';
import type { DomainStatsGroup, ModifyFlags, SchedulerParam } from '../../engine/api/types';
import { fixedC, parseUInt } from '../virsh/numbers';
import { renderTable } from '../virsh/table';
import { DOMAIN_OPT } from './domain-query';
import { AFFECT, checkAffect } from './affect';
import { CommandError } from './errors';
import { isActive, lookupDomain } from './lookup';
import { HOST_OPT } from './host';
import { flag, str } from './parse';
import type { CommandContext, CommandDef, OptDef, ParsedArgs } from './types';

/** --current acts on the domain as it is; the engine's flag-less call does the same. */
function affect(args: ParsedArgs): ModifyFlags {
  checkAffect(args);
  const f: ModifyFlags = {};
  if (flag(args, 'live')) f.live = true;
  if (flag(args, 'config')) f.config = true;
  return f;
}

/** printf("%-15s %s\n") */
const kv = (k: string, v: string) => k.padEnd(15) + ' ' + v + '\n';

/** virsh's own cpulist check before the call: bad text names the list, then libvirt's cause. */
function checkCpulist(list: string, maxcpu: number): void {
  if (list === 'r') return;
  const m = list.split(',').map((p) => /^\^?(\d+)(?:-(\d+))?$/.exec(p.trim()));
  if (list.trim() === '' || m.some((x) => !x || (x[2] !== undefined && Number(x[2]) < Number(x[1])))) {
    throw CommandError.plain('VIR_ERR_INVALID_ARG', `Invalid cpulist '${list}'`).withCause(VirError.of('VIR_ERR_INVALID_ARG', `Failed to parse bitmap '${list}'`));
  }
}

const vcpuinfo: CommandDef = {
  name: 'vcpuinfo',
  group: 'domain',
  summary: 'detailed domain vcpu information',
  description: ['Returns basic information about the domain virtual CPUs.'],
  options: [DOMAIN_OPT, { name: 'pretty', type: 'bool', help: 'return human readable output' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    const list = ctx.conn.vcpuInfo(d.uuid);
    const text = list
      .map((v) => {
        let s = kv('VCPU:', String(v.vcpu));
        if (v.state === null) s += kv('CPU:', 'N/A') + kv('State:', 'N/A') + kv('CPU time', 'N/A');
        else {
          s += kv('CPU:', String(v.cpu)) + kv('State:', v.state);
          if (v.cpuTimeNs !== 0) s += kv('CPU time:', fixedC(v.cpuTimeNs / 1e9, 1) + 's');
        }
        const set = new Set(v.affinity);
        const map = flag(args, 'pretty')
          ? `${formatCpulist(v.affinity)} (out of ${v.hostCpus})`
          : Array.from({ length: v.hostCpus }, (_, c) => (set.has(c) ? 'y' : '-')).join('');
        return s + kv('CPU Affinity:', map);
      })
      .join('\n');
    ctx.emit({ domain: d.name, vcpus: list }, text);
  },
};

function hostCpus(ctx: CommandContext, host: string): number {
  return ctx.conn.getHost(host).pcpus;
}

const vcpupin: CommandDef = {
  name: 'vcpupin',
  group: 'domain',
  summary: 'control or query domain vcpu affinity',
  description: ['Pin domain VCPUs to host physical CPUs.'],
  options: [
    DOMAIN_OPT,
    { name: 'vcpu', type: 'number', positional: true, help: 'vcpu number' },
    { name: 'cpulist', type: 'string', positional: true, help: 'host cpu number(s) to set, or omit option to query' },
    ...AFFECT,
  ],
  run(ctx, args) {
    const flags = affect(args);
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    const rawVcpu = str(args, 'vcpu');
    const vcpu = rawVcpu === undefined ? undefined : parseUInt(rawVcpu, 'vcpu');
    const cpulist = str(args, 'cpulist');
    if (cpulist === undefined) {
      const pins = ctx.conn.vcpuPinInfo(d.uuid, flags);
      const live = flags.live || (!flags.config && isActive(d));
      if (vcpu !== undefined && vcpu >= pins.length) {
        throw CommandError.plain('VIR_ERR_INVALID_ARG', `vcpu ${vcpu} is out of range of ${live ? 'live' : 'persistent'} cpu count ${pins.length}`);
      }
      const rows = pins.map((p, i) => ({ vcpu: i, cpulist: p })).filter((r) => vcpu === undefined || r.vcpu === vcpu);
      ctx.emit({ domain: d.name, pins: rows }, renderTable(['VCPU', 'CPU Affinity'], rows.map((r) => [String(r.vcpu), r.cpulist])));
      return;
    }
    if (vcpu === undefined) throw CommandError.plain('VIR_ERR_INVALID_ARG', 'vcpupin: Missing vCPU number in pin mode.');
    checkCpulist(cpulist, hostCpus(ctx, d.host));
    ctx.conn.pinVcpu(d.uuid, vcpu, cpulist, flags);
    ctx.emit({ domain: d.name, vcpu, cpulist: ctx.conn.vcpuPinInfo(d.uuid, flags)[vcpu] }, '');
  },
};

const emulatorpin: CommandDef = {
  name: 'emulatorpin',
  group: 'domain',
  summary: 'control or query domain emulator affinity',
  description: ['Pin domain emulator threads to host physical CPUs.'],
  options: [DOMAIN_OPT, { name: 'cpulist', type: 'string', positional: true, help: 'host cpu number(s) to set, or omit option to query' }, ...AFFECT],
  run(ctx, args) {
    const flags = affect(args);
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    const cpulist = str(args, 'cpulist');
    if (cpulist === undefined) {
      const list = ctx.conn.emulatorPinInfo(d.uuid, flags);
      ctx.emit({ domain: d.name, cpulist: list }, 'emulator: CPU Affinity\n' + '-'.repeat(34) + '\n' + `       *: ${list}\n`);
      return;
    }
    checkCpulist(cpulist, hostCpus(ctx, d.host));
    ctx.conn.pinEmulator(d.uuid, cpulist, flags);
    ctx.emit({ domain: d.name, cpulist: ctx.conn.emulatorPinInfo(d.uuid, flags) }, '');
  },
};

const TYPE_WORDS: Record<SchedulerParam['type'], string> = { int: 'int', uint: 'unsigned int', llong: 'long long', ullong: 'unsigned long long' };

/** virsh's typed-parameter parse of a --set value (strtoul/strtoll semantics: digits only). */
function paramValue(p: SchedulerParam, raw: string): number {
  const signed = p.type === 'int' || p.type === 'llong';
  const ok = signed ? /^[+-]?\d+$/.test(raw) : /^\+?\d+$/.test(raw);
  const v = Number(raw);
  if (!ok || !Number.isSafeInteger(v)) {
    throw VirError.of('VIR_ERR_INVALID_ARG', `Invalid value for field '${p.field}': expected ${TYPE_WORDS[p.type]}`);
  }
  return v;
}

const schedinfo: CommandDef = {
  name: 'schedinfo',
  group: 'domain',
  summary: 'show/set scheduler parameters',
  description: ['Show/Set scheduler parameters.'],
  options: [
    DOMAIN_OPT,
    { name: 'weight', type: 'number', help: 'weight for XEN_CREDIT' },
    { name: 'cap', type: 'number', help: 'cap for XEN_CREDIT' },
    { name: 'current', type: 'bool', help: 'get/set current scheduler info' },
    { name: 'config', type: 'bool', help: 'get/set value to be used on next boot' },
    { name: 'live', type: 'bool', help: 'get/set value from running domain' },
    { name: 'set', type: 'string', positional: true, help: 'parameter=value' },
  ],
  run(ctx, args) {
    const flags = affect(args);
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    const info = ctx.conn.schedulerInfo(d.uuid, flags);
    const head = `${'Scheduler'.padEnd(15)}: ${info.scheduler}\n`;
    const updates: Record<string, number> = {};
    const fail = (e: unknown): never => {
      // virsh has printed the scheduler's name before it finds a bad parameter.
      if (!ctx.json) ctx.emit(null, head);
      throw e;
    };
    const want = (field: string, raw: string) => {
      const p = info.params.find((x) => x.field === field);
      if (!p) fail(CommandError.plain('VIR_ERR_INVALID_ARG', `invalid scheduler option: ${field}`));
      try {
        updates[field] = paramValue(p!, raw);
      } catch (e) {
        fail(e);
      }
    };
    for (const f of ['weight', 'cap']) {
      const raw = str(args, f);
      if (raw !== undefined) want(f, raw);
    }
    const set = str(args, 'set');
    if (set !== undefined) {
      // One parameter per --set in virsh; a comma-separated list sets several (virtyard).
      for (const pair of set.split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) fail(CommandError.plain('VIR_ERR_INVALID_ARG', 'Invalid syntax for --set, expecting name=value'));
        want(pair.slice(0, eq), pair.slice(eq + 1));
      }
    }
    let now = info;
    if (Object.keys(updates).length) {
      try {
        ctx.conn.setSchedulerParams(d.uuid, updates, flags);
      } catch (e) {
        fail(e);
      }
      now = ctx.conn.schedulerInfo(d.uuid, flags);
    }
    const text = head + now.params.map((p) => `${p.field.padEnd(15)}: ${p.value}\n`).join('');
    ctx.emit({ domain: d.name, ...now }, text);
  },
};

const GROUP_FLAGS: Array<[string, DomainStatsGroup, string]> = [
  ['state', 'state', 'report domain state'],
  ['cpu-total', 'cpu-total', 'report domain physical cpu usage'],
  ['balloon', 'balloon', 'report domain balloon statistics'],
  ['vcpu', 'vcpu', 'report domain virtual cpu information'],
  ['dirtyrate', 'dirtyrate', 'report domain dirty rate information'],
];
const LIST_FLAGS: Array<[string, string]> = [
  ['list-active', 'list only active domains'],
  ['list-inactive', 'list only inactive domains'],
  ['list-persistent', 'list only persistent domains'],
  ['list-transient', 'list only transient domains'],
  ['list-running', 'list only running domains'],
  ['list-paused', 'list only paused domains'],
  ['list-shutoff', 'list only shutoff domains'],
  ['list-other', 'list only domains in other states'],
];

const domstats: CommandDef = {
  name: 'domstats',
  group: 'monitor',
  summary: 'get statistics about one or multiple domains',
  description: ['Gets statistics about one or more (or all) domains'],
  options: [
    ...GROUP_FLAGS.map(([name, , help]): OptDef => ({ name, type: 'bool', help })),
    ...LIST_FLAGS.map(([name, help]): OptDef => ({ name, type: 'bool', help })),
    { name: 'raw', type: 'bool', help: 'do not pretty-print the fields' },
    { name: 'domain', type: 'string', positional: true, help: 'domain to get stats for', complete: 'domain' },
  ],
  run(ctx, args) {
    const groups = GROUP_FLAGS.filter(([f]) => flag(args, f)).map(([, g]) => g);
    const ref = str(args, 'domain');
    let refs: string[] | undefined;
    if (ref !== undefined) {
      if (LIST_FLAGS.some(([f]) => flag(args, f))) {
        throw CommandError.plain('VIR_ERR_INVALID_ARG', 'Filtering using --list-* is not supported together with a list of domains');
      }
      refs = [lookupDomain(ctx.conn, ref).uuid];
    } else {
      const has = (f: string) => flag(args, f);
      refs = ctx.conn
        .listDomains()
        .filter((d) => {
          const active = isActive(d);
          if (has('list-active') !== has('list-inactive') && active !== has('list-active')) return false;
          if (has('list-persistent') !== has('list-transient') && d.persistent !== has('list-persistent')) return false;
          const states = ['list-running', 'list-paused', 'list-shutoff', 'list-other'].filter(has);
          if (states.length) {
            const s = d.state === 'running' ? 'list-running' : d.state === 'paused' ? 'list-paused' : d.state === 'shut off' ? 'list-shutoff' : 'list-other';
            if (!states.includes(s)) return false;
          }
          return true;
        })
        .map((d) => d.uuid);
    }
    const records = ctx.conn.domainStats(refs, groups);
    const text = records.map((r) => `Domain: '${r.name}'\n` + r.params.map(([k, v]) => `  ${k}=${v}\n`).join('')).join('\n');
    ctx.emit(records.map((r) => ({ name: r.name, uuid: r.uuid, stats: Object.fromEntries(r.params) })), text);
  },
};

const dommemstat: CommandDef = {
  name: 'dommemstat',
  group: 'monitor',
  summary: 'get memory statistics for a domain',
  description: ['Get memory statistics for a running domain.'],
  options: [DOMAIN_OPT],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    let stats;
    try {
      stats = ctx.conn.memoryStats(d.uuid);
    } catch (e) {
      throw CommandError.failed(`Failed to get memory statistics for domain ${d.name}`, e);
    }
    ctx.emit({ domain: d.name, stats: Object.fromEntries(stats.map((s) => [s.tag, s.value])) }, stats.map((s) => `${s.tag} ${s.value}\n`).join(''));
  },
};

const nodecpustats: CommandDef = {
  name: 'nodecpustats',
  group: 'host',
  summary: 'Prints cpu stats of the node.',
  description: ['Returns cpu stats of the node, in nanoseconds.'],
  options: [
    { name: 'cpu', type: 'number', help: 'prints specified cpu statistics only.' },
    { name: 'percent', type: 'bool', help: 'prints by percentage during 1 second.' },
    HOST_OPT,
  ],
  run(ctx, args) {
    const raw = str(args, 'cpu');
    // virsh takes an int here: a negative number means "all CPUs".
    let cpu: number | undefined;
    if (raw !== undefined) {
      if (!/^[ \t]*[+-]?\d+$/.test(raw) || Math.abs(Number(raw)) > 2147483647) {
        throw CommandError.plain('VIR_ERR_INVALID_ARG', `Numeric value '${raw}' for <cpu> option is malformed or out of range`);
      }
      cpu = Number(raw) < 0 ? undefined : Number(raw);
    }
    let s;
    try {
      s = ctx.conn.nodeCpuStats({ cpu, host: str(args, 'host') });
    } catch (e) {
      throw CommandError.failed('Unable to get node cpu stats', e);
    }
    let text: string;
    if (flag(args, 'percent')) {
      const p = s.percent;
      const line = (k: string, v: number) => k.padEnd(15) + ' ' + fixedC(v, 1).padStart(5) + '%\n';
      text = line('usage:', p.usage) + line('user:', p.user) + line('system:', p.system) + line('idle:', p.idle) + line('iowait:', p.iowait);
    } else {
      const t = s.times;
      const line = (k: string, v: number) => k.padEnd(15) + ' ' + String(v).padStart(20) + '\n';
      text = line('user:', t.userNs) + line('system:', t.systemNs) + line('idle:', t.idleNs) + line('iowait:', t.iowaitNs);
    }
    ctx.emit(s, text);
  },
};

const nodememstats: CommandDef = {
  name: 'nodememstats',
  group: 'host',
  summary: 'Prints memory stats of the node.',
  description: ['Returns memory stats of the node, in kilobytes.'],
  options: [HOST_OPT],
  run(ctx, args) {
    const m = ctx.conn.nodeMemoryStats(str(args, 'host'));
    const line = (k: string, v: number) => k.padEnd(7) + ': ' + String(v).padStart(20) + ' KiB\n';
    ctx.emit(m, line('total', m.totalKiB) + line('free', m.freeKiB) + line('buffers', m.buffersKiB) + line('cached', m.cachedKiB));
  },
};

/** "\t%-12s %9lld.%09lld seconds\n" */
function seconds(field: string, ns: number): string {
  const whole = Math.floor(ns / 1e9);
  const frac = Math.round(ns - whole * 1e9);
  return `\t${field.padEnd(12)} ${String(whole).padStart(9)}.${String(frac).padStart(9, '0')} seconds\n`;
}

const cpuStats: CommandDef = {
  name: 'cpu-stats',
  group: 'domain',
  summary: 'show domain cpu statistics',
  description: ["Display per-CPU and total statistics about the domain's CPUs"],
  options: [
    DOMAIN_OPT,
    { name: 'total', type: 'bool', help: 'Show total statistics only' },
    { name: 'start', type: 'number', help: 'Show statistics from this CPU' },
    { name: 'count', type: 'number', help: 'Number of shown CPUs at most' },
  ],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, str(args, 'domain')!);
    const startRaw = str(args, 'start');
    const countRaw = str(args, 'count');
    const start = startRaw === undefined ? 0 : parseUInt(startRaw, 'start');
    const count = countRaw === undefined ? undefined : parseUInt(countRaw, 'count');
    let s;
    try {
      s = ctx.conn.cpuStats(d.uuid);
    } catch (e) {
      throw CommandError.failed(`Failed to retrieve CPU statistics for domain '${d.name}'`, e);
    }
    const showTotal = flag(args, 'total') || (startRaw === undefined && countRaw === undefined);
    const showPerCpu = !flag(args, 'total') || startRaw !== undefined || countRaw !== undefined;
    let text = '';
    let perCpu = s.perCpu;
    if (showPerCpu) {
      const max = s.perCpu.length;
      if (start >= max) throw CommandError.plain('VIR_ERR_INVALID_ARG', `Start CPU ${start} is out of range (min: 0, max: ${max - 1})`);
      let n = count ?? max - start;
      if (n > max - start) {
        text += `Only ${max - start} CPUs available to show\n`;
        n = max - start;
      }
      perCpu = s.perCpu.slice(start, start + n);
      for (const c of perCpu) text += `CPU${c.cpu}:\n` + seconds('cpu_time', c.cpuTimeNs) + seconds('vcpu_time', c.vcpuTimeNs);
    }
    if (showTotal) {
      text += 'Total:\n' + seconds('cpu_time', s.total.cpuTimeNs) + seconds('user_time', s.total.userTimeNs) + seconds('system_time', s.total.systemTimeNs);
    }
    ctx.emit({ domain: d.name, perCpu: showPerCpu ? perCpu : [], total: showTotal ? s.total : null }, text);
  },
};

export const COMPUTE_COMMANDS: CommandDef[] = [vcpuinfo, vcpupin, emulatorpin, schedinfo, domstats, dommemstat, nodecpustats, nodememstats, cpuStats];
