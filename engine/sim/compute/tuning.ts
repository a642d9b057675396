// Scheduler parameters and pinning: what `schedinfo` and `vcpupin`/`emulatorpin` read and change,
// with libvirt's names, defaults, ranges and error texts. KVM hosts expose the CFS cgroup knobs
// (qemu's "posix" scheduler); Xen hosts the credit scheduler's weight and cap. Every setter
// validates everything first, then applies, then emits one domain.changed event.

import { VirError } from '../../api/errors';
import type { Hypervisor, ModifyFlags, SchedulerInfo, SchedulerParam, SchedulerParamType } from '../../api/types';
import { changed } from '../domains/runstate';
import type { World } from '../world/world';
import type { DomainConfig, DomainRecord } from '../world/state';
import { allCpus, cpusOf, everyCpu, formatCpulist, parseCpulist } from './cpulist';

interface ParamSpec {
  field: string;
  type: SchedulerParamType;
  dflt: number;
  /** Inclusive range of accepted values; `unlimited` (-1) is accepted too when set. */
  min: number;
  max: number;
  unlimited?: boolean;
}

const PERIOD = { type: 'ullong', dflt: 100_000, min: 1000, max: 1_000_000 } as const;
const QUOTA = { type: 'llong', dflt: -1, min: 1000, max: 17_592_186_044_415, unlimited: true } as const;

/** qemu's order (virsh prints them as the driver returns them). */
const KVM_PARAMS: ParamSpec[] = [
  { field: 'cpu_shares', type: 'ullong', dflt: 1024, min: 2, max: 262_144 },
  { field: 'vcpu_period', ...PERIOD },
  { field: 'vcpu_quota', ...QUOTA },
  { field: 'emulator_period', ...PERIOD },
  { field: 'emulator_quota', ...QUOTA },
  { field: 'global_period', ...PERIOD },
  { field: 'global_quota', ...QUOTA },
  { field: 'iothread_period', ...PERIOD },
  { field: 'iothread_quota', ...QUOTA },
];

const XEN_PARAMS: ParamSpec[] = [
  { field: 'weight', type: 'uint', dflt: 256, min: 1, max: 65_535 },
  { field: 'cap', type: 'uint', dflt: 0, min: 0, max: 65_535 },
];

export function schedulerSpecs(hv: Hypervisor): ParamSpec[] {
  return hv === 'kvm' ? KVM_PARAMS : XEN_PARAMS;
}

const TYPE_WORDS: Record<SchedulerParamType, string> = { int: 'int', uint: 'unsigned int', llong: 'long long', ullong: 'unsigned long long' };

/** Which definitions a call affects: libvirt's VIR_DOMAIN_AFFECT_CURRENT when no flag is given. */
export function affected(d: DomainRecord, flags: ModifyFlags | undefined): { live: boolean; config: boolean } {
  let live = !!flags?.live;
  let config = !!flags?.config;
  if (!live && !config) {
    if (d.id !== null) live = true;
    else config = true;
  }
  if (live && d.id === null) throw VirError.of('VIR_ERR_OPERATION_INVALID', 'domain is not running');
  if (config && !d.persistent) {
    throw VirError.of('VIR_ERR_OPERATION_INVALID', 'transient domains do not have any persistent config');
  }
  return { live, config };
}

/** The definition a query reads: --config reads the persistent one, otherwise the current one. */
function readDef(d: DomainRecord, flags: ModifyFlags | undefined): DomainConfig {
  const t = affected(d, flags);
  return t.live ? d.live! : d.config;
}

export function schedulerInfo(w: World, d: DomainRecord, flags?: ModifyFlags): SchedulerInfo {
  const hv = w.host(d.host).hypervisor;
  const def = readDef(d, flags);
  const params: SchedulerParam[] = schedulerSpecs(hv).map((p) => ({ field: p.field, type: p.type, value: def.sched?.[p.field] ?? p.dflt }));
  return { scheduler: hv === 'kvm' ? 'posix' : 'credit', params };
}

export function setSchedulerParams(w: World, d: DomainRecord, params: Record<string, number>, flags?: ModifyFlags): boolean {
  const hv = w.host(d.host).hypervisor;
  const specs = schedulerSpecs(hv);
  const t = affected(d, flags);
  if (!params || typeof params !== 'object') throw VirError.of('VIR_ERR_INVALID_ARG', 'no scheduler parameters given');
  const updates: Array<[ParamSpec, number]> = [];
  for (const [field, value] of Object.entries(params)) {
    const spec = specs.find((s) => s.field === field);
    if (!spec) throw VirError.of('VIR_ERR_INVALID_ARG', `parameter '${field}' not supported by the ${hv === 'kvm' ? 'posix' : 'credit'} scheduler`);
    const unsigned = spec.type === 'uint' || spec.type === 'ullong';
    if (!Number.isSafeInteger(value) || (unsigned && value < 0)) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `Invalid value for field '${field}': expected ${TYPE_WORDS[spec.type]}`);
    }
    const v = spec.unlimited && value < 0 ? -1 : value;
    if (!(spec.unlimited && v === -1) && (v < spec.min || v > spec.max)) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `value of '${field}' is out of range [${spec.min}, ${spec.max}]`);
    }
    updates.push([spec, v]);
  }
  if (updates.length === 0) throw VirError.of('VIR_ERR_INVALID_ARG', 'no scheduler parameters given');
  const apply = (c: DomainConfig): boolean => {
    const next: Record<string, number> = { ...c.sched };
    for (const [spec, v] of updates) {
      if (v === spec.dflt) delete next[spec.field];
      else next[spec.field] = v;
    }
    const same = JSON.stringify(next) === JSON.stringify(c.sched ?? {});
    if (same) return false;
    if (Object.keys(next).length) c.sched = next;
    else delete c.sched;
    return true;
  };
  let any = false;
  if (t.live) any = apply(d.live!) || any;
  if (t.config && (!t.live || d.config !== d.live)) any = apply(d.config) || any;
  if (!any) return false;
  w.touch(d);
  const text = updates.map(([s, v]) => `${s.field}=${v}`).join(', ');
  changed(w, d, 'schedinfo', `Domain '${d.name}' scheduler parameters set: ${text}${scope(t)}`);
  return true;
}

export function pcpuCount(w: World, d: DomainRecord): number {
  const c = w.host(d.host).cpu;
  return c.sockets * c.cores * c.threads;
}

export function vcpuPinInfo(w: World, d: DomainRecord, flags?: ModifyFlags): string[] {
  const def = readDef(d, flags);
  const n = pcpuCount(w, d);
  const unpinned = formatCpulist(everyCpu(n)); // most vCPUs: once, not an array of every pCPU each
  return Array.from({ length: def.maxVcpus }, (_, v) => {
    const pin = def.vcpuPin?.[v];
    return pin === undefined ? unpinned : formatCpulist(cpusOf(pin, n));
  });
}

export function pinVcpu(w: World, d: DomainRecord, vcpu: number, cpulist: string, flags?: ModifyFlags): boolean {
  const t = affected(d, flags);
  const n = pcpuCount(w, d);
  if (!Number.isInteger(vcpu) || vcpu < 0) throw VirError.of('VIR_ERR_INVALID_ARG', `vcpu number must be a non-negative whole number, got ${vcpu}`);
  if (t.live && vcpu >= d.live!.maxVcpus) {
    throw VirError.of('VIR_ERR_INVALID_ARG', `vcpu ${vcpu} is out of range of live cpu count ${d.live!.maxVcpus}`);
  }
  if (t.config && vcpu >= d.config.maxVcpus) {
    throw VirError.of('VIR_ERR_INVALID_ARG', `vcpu ${vcpu} is out of range of persistent cpu count ${d.config.maxVcpus}`);
  }
  const list = formatCpulist(parseCpulist(cpulist, n));
  const apply = (c: DomainConfig): boolean => {
    const key = String(vcpu);
    const old = c.vcpuPin?.[key];
    const want = list === allCpus(n) ? undefined : list;
    if (old === want) return false;
    const next: Record<string, string> = { ...c.vcpuPin };
    if (want === undefined) delete next[key];
    else next[key] = want;
    if (Object.keys(next).length) c.vcpuPin = next;
    else delete c.vcpuPin;
    return true;
  };
  let any = false;
  if (t.live) any = apply(d.live!) || any;
  if (t.config && (!t.live || d.config !== d.live)) any = apply(d.config) || any;
  if (!any) return false;
  w.touch(d);
  changed(w, d, 'vcpupin', `Domain '${d.name}' vCPU ${vcpu} pinned to pCPUs ${list}${scope(t)}`);
  return true;
}

function noEmulatorPin(w: World, d: DomainRecord, api: string): void {
  if (w.host(d.host).hypervisor !== 'kvm') {
    throw VirError.of('VIR_ERR_NO_SUPPORT', api);
  }
}

export function emulatorPinInfo(w: World, d: DomainRecord, flags?: ModifyFlags): string {
  noEmulatorPin(w, d, 'virDomainGetEmulatorPinInfo');
  const def = readDef(d, flags);
  return formatCpulist(cpusOf(def.emulatorPin, pcpuCount(w, d)));
}

export function pinEmulator(w: World, d: DomainRecord, cpulist: string, flags?: ModifyFlags): boolean {
  noEmulatorPin(w, d, 'virDomainPinEmulator');
  const t = affected(d, flags);
  const n = pcpuCount(w, d);
  const list = formatCpulist(parseCpulist(cpulist, n));
  const want = list === allCpus(n) ? undefined : list;
  const apply = (c: DomainConfig): boolean => {
    if (c.emulatorPin === want) return false;
    if (want === undefined) delete c.emulatorPin;
    else c.emulatorPin = want;
    return true;
  };
  let any = false;
  if (t.live) any = apply(d.live!) || any;
  if (t.config && (!t.live || d.config !== d.live)) any = apply(d.config) || any;
  if (!any) return false;
  w.touch(d);
  changed(w, d, 'emulatorpin', `Domain '${d.name}' emulator threads pinned to pCPUs ${list}${scope(t)}`);
  return true;
}

function scope(t: { live: boolean; config: boolean }): string {
  return t.live && t.config ? ' (live and config)' : t.live ? ' (live)' : ' (config)';
}

/** What the scheduler needs of a live definition: weight, per-thread caps and a domain-wide cap (pCPUs). */
export interface EffectiveTuning {
  weight: number;
  vcpuCap: number;
  emulatorCap: number;
  domainCap: number;
}

export function effectiveTuning(hv: Hypervisor, c: DomainConfig): EffectiveTuning {
  const s = c.sched ?? {};
  if (hv === 'xen') {
    const cap = s.cap ?? 0;
    return { weight: s.weight ?? 256, vcpuCap: 1, emulatorCap: 1, domainCap: cap > 0 ? cap / 100 : Infinity };
  }
  const ratio = (quota: number | undefined, period: number | undefined) =>
    quota !== undefined && quota > 0 ? Math.min(1, quota / (period ?? PERIOD.dflt)) : 1;
  const gq = s.global_quota;
  return {
    weight: s.cpu_shares ?? 1024,
    vcpuCap: ratio(s.vcpu_quota, s.vcpu_period),
    emulatorCap: ratio(s.emulator_quota, s.emulator_period),
    domainCap: gq !== undefined && gq > 0 ? gq / (s.global_period ?? PERIOD.dflt) : Infinity,
  };
}
