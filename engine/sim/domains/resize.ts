// setvcpus / setmem / setmaxmem with virsh's --live / --config / --maximum semantics (virsh.md §5):
// no flag means the live domain; both sides are validated before either is changed.

import { VirError } from '../../api/errors';
import type { ModifyFlags } from '../../api/types';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { checkMemory } from './admission';
import { changed } from './runstate';

const invalid = (d: string) => VirError.of('VIR_ERR_OPERATION_INVALID', d);
const badArg = (d: string) => VirError.of('VIR_ERR_INVALID_ARG', d);

interface Targets {
  live: boolean;
  config: boolean;
}

/** Which definitions a call affects; throws when the domain cannot take it. */
function targets(d: DomainRecord, flags: ModifyFlags | undefined, defaultLive = true): Targets {
  let live = !!flags?.live;
  const config = !!flags?.config;
  if (!live && !config) {
    if (!defaultLive && d.id === null) return { live: false, config: true };
    live = true;
  }
  if (live && d.id === null) throw invalid('domain is not running');
  if (config && !d.persistent) throw invalid('transient domains do not have any persistent config');
  return { live, config };
}

function wholeNumber(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0) throw badArg(`${what} must be a positive whole number, got ${v}`);
}

export function setVcpus(w: World, d: DomainRecord, count: number, flags?: ModifyFlags): void {
  wholeNumber(count, 'vcpu count');
  if (count === 0) throw VirError.bare('VIR_ERR_INVALID_ARG', "Can't set 0 processors for a VM");
  const t = targets(d, flags);
  if (flags?.maximum) {
    if (t.live) throw badArg("maximum vcpu count of a live domain can't be modified");
    if (d.config.maxVcpus === count) return;
    d.config.maxVcpus = count;
    if (d.config.vcpus > count) d.config.vcpus = count;
    w.touch(d);
    changed(w, d, 'vcpus', `Domain '${d.name}' maximum vCPUs set to ${count} (config)`);
    return;
  }
  if (t.live && count > d.live!.maxVcpus) throw badArg(`requested cpu amount exceeds maximum (${count} > ${d.live!.maxVcpus})`);
  if (t.config && count > d.config.maxVcpus) throw badArg(`requested cpu amount exceeds maximum (${count} > ${d.config.maxVcpus})`);
  if ((!t.live || d.live!.vcpus === count) && (!t.config || d.config.vcpus === count)) return;
  if (t.live) {
    const live = d.live!;
    const p = d.process;
    if (p) {
      // vCPU hotplug: thread ids keep their slot in the pid range reserved at spawn.
      const first = p.vcpuTids.length ? p.vcpuTids[0] : p.pid + 4;
      p.vcpuTids = Array.from({ length: count }, (_, i) => first + i);
    }
    live.vcpus = count;
  }
  if (t.config) d.config.vcpus = count;
  w.touch(d);
  changed(w, d, 'vcpus', `Domain '${d.name}' vCPUs set to ${count}${scope(t)}`);
}

export function setMemory(w: World, d: DomainRecord, kib: number, flags?: ModifyFlags): void {
  if (flags?.maximum) return setMaxMemory(w, d, kib, flags);
  wholeNumber(kib, 'memory size');
  if (kib === 0) throw VirError.bare('VIR_ERR_INVALID_ARG', 'memory in virDomainSetMemoryFlags must not be zero');
  const t = targets(d, flags);
  if (t.live && kib > d.live!.maxMemoryKiB) throw badArg('cannot set memory higher than max memory');
  if (t.config && kib > d.config.maxMemoryKiB) throw badArg('cannot set memory higher than max memory');
  const grow = t.live ? kib - d.live!.memoryKiB : 0;
  if (grow > 0) checkMemory(w, d, grow, 'grow memory of');
  if ((!t.live || d.live!.memoryKiB === kib) && (!t.config || d.config.memoryKiB === kib)) return;
  if (t.live) {
    w.adjustMem(d.host, grow);
    d.live!.memoryKiB = kib;
    if (d.memoryUsedKiB > kib) d.memoryUsedKiB = kib;
  }
  if (t.config) d.config.memoryKiB = kib;
  w.touch(d);
  changed(w, d, 'memory', `Domain '${d.name}' memory set to ${kib} KiB${scope(t)}`);
}

export function setMaxMemory(w: World, d: DomainRecord, kib: number, flags?: ModifyFlags): void {
  wholeNumber(kib, 'memory size');
  if (kib === 0) throw VirError.bare('VIR_ERR_INVALID_ARG', 'memory in virDomainSetMaxMemory must not be zero');
  const t = targets(d, { live: flags?.live, config: flags?.config }, false);
  if (t.live) throw invalid('cannot resize the maximum memory on an active domain');
  if (d.config.maxMemoryKiB === kib) return;
  d.config.maxMemoryKiB = kib;
  if (d.config.memoryKiB > kib) d.config.memoryKiB = kib;
  w.touch(d);
  changed(w, d, 'maxmemory', `Domain '${d.name}' maximum memory set to ${kib} KiB (config)`);
}

function scope(t: Targets): string {
  return t.live && t.config ? ' (live and config)' : t.live ? ' (live)' : ' (config)';
}
