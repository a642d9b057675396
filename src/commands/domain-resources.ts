// vCPU and memory commands: vcpucount, setvcpus, setmem, setmaxmem. Values are parsed as
// virsh does (bad values are runtime errors with virsh's wording) and the --live/--config/
// --current/--maximum combinations are checked with virsh's messages before the engine runs.

import { VirError } from '../../engine/api/errors';
import type { DomainInfo, ModifyFlags } from '../../engine/api/types';
import { bytesToKiB, parseScaled, parseUInt } from '../virsh/numbers';
import { afterJson } from './domain-lifecycle';
import { DOMAIN_OPT } from './domain-query';
import { AFFECT, checkAffect, exclusive } from './affect';
import { CommandError } from './errors';
import { isActive, lookupDomain } from './lookup';
import { flag, str, strReq } from './parse';
import type { CommandDef, ParsedArgs } from './types';

/**
 * The engine's flags. No flag means the live domain (virsh calls the flag-less API); --current
 * means the domain as it is now: live while it runs, its persistent config while it is off.
 */
function modifyFlags(args: ParsedArgs, d: DomainInfo): ModifyFlags {
  if (flag(args, 'current')) return isActive(d) ? { live: true } : { config: true };
  const flags: ModifyFlags = {};
  if (flag(args, 'live')) flags.live = true;
  if (flag(args, 'config')) flags.config = true;
  return flags;
}

const notRunning = () => VirError.of('VIR_ERR_OPERATION_INVALID', 'domain is not running');
const noConfig = () => VirError.of('VIR_ERR_OPERATION_INVALID', 'transient domains do not have any persistent config');

/** vcpucount's four figures; live ones are null while the domain is off, config ones for a transient domain. */
export function vcpuCounts(d: DomainInfo) {
  const active = isActive(d);
  return {
    maximum: { config: d.persistent ? d.vcpus.configMax : null, live: active ? d.vcpus.max : null },
    current: { config: d.persistent ? d.vcpus.configCurrent : null, live: active ? d.vcpus.current : null },
  };
}

const vcpucount: CommandDef = {
  name: 'vcpucount',
  group: 'domain',
  summary: 'domain vcpu counts',
  description: ['Returns the number of virtual CPUs used by the domain.'],
  options: [
    DOMAIN_OPT,
    { name: 'maximum', type: 'bool', help: 'get maximum count of vcpus' },
    { name: 'active', type: 'bool', help: 'get number of currently active vcpus' },
    { name: 'live', type: 'bool', help: 'get value from running domain' },
    { name: 'config', type: 'bool', help: 'get value to be used on next boot' },
    { name: 'current', type: 'bool', help: 'get value according to current domain state' },
  ],
  run(ctx, args) {
    exclusive(args, 'live', 'config');
    // virsh keeps --current's old meaning (= --active) when neither --maximum nor --active is
    // given; only its newer meaning (the current state) conflicts with --live and --config.
    if (flag(args, 'maximum') || flag(args, 'active')) checkAffect(args);
    exclusive(args, 'active', 'maximum');
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
    const counts = vcpuCounts(d);
    const any = ['maximum', 'active', 'live', 'config', 'current'].some((f) => flag(args, f));
    if (!any) {
      const row = (which: string, state: string, n: number | null) =>
        n === null ? '' : which.padEnd(12) + ' ' + state.padEnd(12) + ' ' + String(n).padStart(3) + '\n';
      const text =
        row('maximum', 'config', counts.maximum.config) +
        row('maximum', 'live', counts.maximum.live) +
        row('current', 'config', counts.current.config) +
        row('current', 'live', counts.current.live);
      ctx.emit(counts, text);
      return;
    }
    const which = flag(args, 'maximum') ? counts.maximum : counts.current;
    let value: number | null;
    if (flag(args, 'live')) {
      if (!isActive(d)) throw notRunning();
      value = which.live;
    } else if (flag(args, 'config')) {
      if (!d.persistent) throw noConfig();
      value = which.config;
    } else value = isActive(d) ? which.live : which.config;
    ctx.emit({ count: value }, `${value}\n`);
  },
};

const setvcpus: CommandDef = {
  name: 'setvcpus',
  group: 'domain',
  summary: 'change number of virtual CPUs',
  description: ['Change the number of virtual CPUs in the guest domain.'],
  options: [
    DOMAIN_OPT,
    { name: 'count', type: 'number', required: true, help: 'number of virtual CPUs' },
    { name: 'maximum', type: 'bool', help: 'set maximum limit on next boot' },
    ...AFFECT,
  ],
  run(ctx, args) {
    checkAffect(args);
    if (flag(args, 'maximum') && !flag(args, 'config')) {
      throw CommandError.plain('VIR_ERR_INVALID_ARG', 'Option --config is required by option --maximum');
    }
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
    const flags = modifyFlags(args, d);
    if (flag(args, 'maximum')) flags.maximum = true;
    const count = parseUInt(str(args, 'count')!, 'count');
    if (count === 0) throw VirError.bare('VIR_ERR_INVALID_ARG', "Can't set 0 processors for a VM");
    ctx.conn.setVcpus(d.uuid, count, flags);
    ctx.emit({ ...afterJson(ctx, d, 'vcpus-set'), vcpus: vcpuCounts(ctx.conn.lookupDomain(d.uuid)) }, '');
  },
};

function memoryCommand(name: 'setmem' | 'setmaxmem'): CommandDef {
  const max = name === 'setmaxmem';
  return {
    name,
    group: 'domain',
    summary: max ? 'change maximum memory limit' : 'change memory allocation',
    description: [max ? 'Change the maximum memory allocation limit in the guest domain.' : 'Change the current memory allocation in the guest domain.'],
    options: [
      DOMAIN_OPT,
      {
        name: 'size',
        type: 'scaled',
        required: true,
        help: max ? 'new maximum memory size, as scaled integer (default KiB)' : 'new memory size, as scaled integer (default KiB)',
      },
      ...AFFECT,
    ],
    run(ctx, args) {
      checkAffect(args);
      const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
      const flags = modifyFlags(args, d);
      const kib = bytesToKiB(parseScaled(str(args, 'size')!, 'size'));
      try {
        if (kib === 0) throw VirError.bare('VIR_ERR_INVALID_ARG', 'memory in virDomainSetMemoryFlags must not be zero');
        if (max) ctx.conn.setMaxMemory(d.uuid, kib, flags);
        else ctx.conn.setMemory(d.uuid, kib, flags);
      } catch (e) {
        if (max) throw CommandError.failed('Unable to change MaxMemorySize', e);
        throw e;
      }
      const now = ctx.conn.lookupDomain(d.uuid);
      ctx.emit({ ...afterJson(ctx, d, max ? 'maxmemory-set' : 'memory-set'), memory: now.memory }, '');
    },
  };
}

export const RESOURCE_COMMANDS: CommandDef[] = [vcpucount, setvcpus, memoryCommand('setmem'), memoryCommand('setmaxmem')];
