// Read-only domain commands: list, dominfo, domstate, domid, domname, domuuid.

import type { DomainInfo } from '../../engine/api/types';
import { renderKeyValues, renderTable } from '../virsh/table';
import { fixedC } from '../virsh/numbers';
import { CommandError } from './errors';
import { isActive, lookupDomain } from './lookup';
import { flag, strReq } from './parse';
import type { CommandDef, OptDef } from './types';

export const DOMAIN_OPT: OptDef = { name: 'domain', type: 'string', required: true, help: 'domain name, id or uuid', complete: 'domain' };

/** State as `list` prints it: "saved" for an inactive domain with a managed save under --managed-save. */
function listState(d: DomainInfo, markSaved: boolean): string {
  return markSaved && !isActive(d) && d.managedSave ? 'saved' : d.state;
}

const listFlags: Array<[string, string]> = [
  ['inactive', 'list inactive domains'],
  ['all', 'list inactive & active domains'],
  ['transient', 'list transient domains'],
  ['persistent', 'list persistent domains'],
  ['state-running', 'list domains in running state'],
  ['state-paused', 'list domains in paused state'],
  ['state-shutoff', 'list domains in shutoff state'],
  ['state-other', 'list domains in other states'],
  ['autostart', 'list domains with autostart enabled'],
  ['no-autostart', 'list domains with autostart disabled'],
  ['with-managed-save', 'list domains with managed save state'],
  ['without-managed-save', 'list domains without managed save'],
  ['uuid', "list uuid's only"],
  ['name', 'list domain names only'],
  ['id', 'list domain IDs only'],
  ['table', 'list table (default)'],
  ['managed-save', 'mark inactive domains with managed save state'],
];

/** virsh list's filters (virshDomainListCollect): each group narrows independently. */
export function filterDomains(all: DomainInfo[], has: (f: string) => boolean): DomainInfo[] {
  const states = ['state-running', 'state-paused', 'state-shutoff', 'state-other'].filter(has);
  return all.filter((d) => {
    if (states.length > 0) {
      const s = d.state === 'running' ? 'state-running' : d.state === 'paused' ? 'state-paused' : d.state === 'shut off' ? 'state-shutoff' : 'state-other';
      if (!states.includes(s)) return false;
    }
    // Active only by default; a state filter lifts that (virsh list --state-shutoff shows
    // inactive domains), --inactive keeps only inactive ones, --all keeps both.
    if (!has('all')) {
      if (has('inactive') && isActive(d)) return false;
      if (!has('inactive') && states.length === 0 && !isActive(d)) return false;
    }
    if (has('persistent') !== has('transient') && d.persistent !== has('persistent')) return false;
    if (has('autostart') !== has('no-autostart') && d.autostart !== has('autostart')) return false;
    if (has('with-managed-save') !== has('without-managed-save') && d.managedSave !== has('with-managed-save')) return false;
    return true;
  });
}

const list: CommandDef = {
  name: 'list',
  group: 'monitor',
  summary: 'list domains',
  description: ['Returns list of domains.'],
  options: listFlags.map(([name, help]) => ({ name, type: 'bool' as const, help })),
  run(ctx, args) {
    const has = (f: string) => flag(args, f);
    if (has('table') && (has('name') || has('uuid') || has('id'))) {
      const other = has('name') ? 'name' : has('uuid') ? 'uuid' : 'id';
      throw CommandError.plain('VIR_ERR_INVALID_ARG', `Options --table and --${other} are mutually exclusive`);
    }
    const domains = filterDomains(ctx.conn.listDomains(), has);
    const markSaved = has('managed-save');
    let text: string;
    if (has('uuid') || has('name') || has('id')) {
      const onlyId = has('id') && !has('uuid') && !has('name');
      text = domains
        .filter((d) => !onlyId || isActive(d))
        .map((d) => {
          const parts: string[] = [];
          if (has('uuid')) parts.push(d.uuid);
          if (has('id')) parts.push(d.id === null ? '-' : String(d.id));
          if (has('name')) parts.push(d.name);
          return parts.join(' ') + '\n';
        })
        .join('');
    } else {
      const rows = domains.map((d) => [d.id === null ? '-' : String(d.id), d.name, listState(d, markSaved)]);
      text = renderTable(['Id', 'Name', 'State'], rows);
    }
    ctx.emit(
      domains.map((d) => ({
        id: d.id,
        name: d.name,
        uuid: d.uuid,
        state: listState(d, markSaved),
        reason: d.reason,
        host: d.host,
        persistent: d.persistent,
        autostart: d.autostart,
        managedSave: d.managedSave,
      })),
      text,
    );
  },
};

/** libvirt's OS type: "hvm" for full virtualization; Xen PV guests are "linux", PVH "xenpvh". */
function osType(d: DomainInfo): string {
  return d.guestType === 'hvm' ? 'hvm' : d.guestType === 'pv' ? 'linux' : 'xenpvh';
}

/** What virDomainGetInfo reports: live values while active, the persistent config when off. */
export function domainFigures(d: DomainInfo) {
  const active = isActive(d);
  return {
    vcpus: active ? d.vcpus.current : d.vcpus.configCurrent,
    maxMemoryKiB: active ? d.memory.maxKiB : d.memory.configMaxKiB,
    usedMemoryKiB: active ? d.memory.currentKiB : d.memory.configCurrentKiB,
    // The qemu driver reports 0 CPU time for an inactive domain, and virsh omits the line.
    cpuTimeNs: active ? d.cpuTimeNs : 0,
  };
}

export function formatDominfo(d: DomainInfo): string {
  const f = domainFigures(d);
  const pairs: Array<[string, string]> = [
    ['Id:', d.id === null ? '-' : String(d.id)],
    ['Name:', d.name],
    ['UUID:', d.uuid],
    ['OS Type:', osType(d)],
    ['State:', d.state],
    ['CPU(s):', String(f.vcpus)],
  ];
  if (f.cpuTimeNs !== 0) pairs.push(['CPU time:', fixedC(f.cpuTimeNs / 1e9, 1) + 's']);
  pairs.push(
    ['Max memory:', `${f.maxMemoryKiB} KiB`],
    ['Used memory:', `${f.usedMemoryKiB} KiB`],
    ['Persistent:', d.persistent ? 'yes' : 'no'],
    ['Autostart:', d.autostart ? 'enable' : 'disable'],
    ['Managed save:', d.managedSave ? 'yes' : 'no'],
    ['Security model:', 'none'],
    ['Security DOI:', '0'],
  );
  return renderKeyValues(pairs, 15);
}

export function dominfoJson(d: DomainInfo) {
  const f = domainFigures(d);
  return {
    id: d.id,
    name: d.name,
    uuid: d.uuid,
    osType: osType(d),
    state: d.state,
    reason: d.reason,
    cpus: f.vcpus,
    cpuTimeNs: f.cpuTimeNs,
    maxMemoryKiB: f.maxMemoryKiB,
    usedMemoryKiB: f.usedMemoryKiB,
    persistent: d.persistent,
    autostart: d.autostart,
    managedSave: d.managedSave,
    securityModel: 'none',
    securityDoi: '0',
    host: d.host,
    hypervisor: d.hypervisor,
    guestType: d.guestType,
  };
}

const dominfo: CommandDef = {
  name: 'dominfo',
  group: 'monitor',
  summary: 'domain information',
  description: ['Returns basic information about the domain.'],
  options: [DOMAIN_OPT],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
    ctx.emit(dominfoJson(d), formatDominfo(d));
  },
};

const domstate: CommandDef = {
  name: 'domstate',
  group: 'monitor',
  summary: 'domain state',
  description: ['Returns state about a domain.'],
  options: [DOMAIN_OPT, { name: 'reason', type: 'bool', help: 'also print reason for the state' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
    const text = flag(args, 'reason') ? `${d.state} (${d.reason})\n` : `${d.state}\n`;
    ctx.emit({ state: d.state, reason: d.reason }, text);
  },
};

const domid: CommandDef = {
  name: 'domid',
  group: 'domain',
  summary: 'convert a domain name or UUID to domain id',
  options: [{ ...DOMAIN_OPT, help: 'domain name or uuid' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'), { name: true, uuid: true });
    ctx.emit({ id: d.id }, `${d.id === null ? '-' : d.id}\n`);
  },
};

const domname: CommandDef = {
  name: 'domname',
  group: 'domain',
  summary: 'convert a domain id or UUID to domain name',
  options: [{ ...DOMAIN_OPT, help: 'domain id or uuid' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'), { id: true, uuid: true });
    ctx.emit({ name: d.name }, `${d.name}\n`);
  },
};

const domuuid: CommandDef = {
  name: 'domuuid',
  group: 'domain',
  summary: 'convert a domain name or id to domain UUID',
  options: [{ ...DOMAIN_OPT, help: 'domain id or name' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'), { id: true, name: true });
    ctx.emit({ uuid: d.uuid }, `${d.uuid}\n`);
  },
};

export const QUERY_COMMANDS: CommandDef[] = [list, dominfo, domstate, domid, domname, domuuid];
