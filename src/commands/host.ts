// Host and connection commands: nodeinfo, hostname, uri, version, and virtyard's `hosts`.

import { fixedC } from '../virsh/numbers';
import { prettyBytes, renderKeyValues, renderTable } from '../virsh/table';
import type { CommandDef, OptDef } from './types';
import { flag, str } from './parse';

/** virtyard addition to the node commands: a connection here reaches every host of the datacenter. */
export const HOST_OPT: OptDef = { name: 'host', type: 'string', help: 'the host to report (virtyard addition; default: the first host)' };

const nodeinfo: CommandDef = {
  name: 'nodeinfo',
  group: 'host',
  summary: 'node information',
  description: ['Returns basic information about the node.'],
  options: [HOST_OPT],
  run(ctx, args) {
    const n = ctx.conn.nodeInfo(str(args, 'host'));
    const text = renderKeyValues(
      [
        ['CPU model:', n.cpuModel],
        ['CPU(s):', String(n.cpus)],
        ['CPU frequency:', `${n.mhz} MHz`],
        ['CPU socket(s):', String(n.sockets)],
        ['Core(s) per socket:', String(n.cores)],
        ['Thread(s) per core:', String(n.threads)],
        ['NUMA cell(s):', String(n.numaCells)],
        ['Memory size:', `${n.memoryKiB} KiB`],
      ],
      20,
    );
    ctx.emit(n, text);
  },
};

const hostname: CommandDef = {
  name: 'hostname',
  group: 'host',
  summary: 'print the hypervisor hostname',
  options: [],
  run(ctx) {
    const h = ctx.conn.hostname();
    ctx.emit({ hostname: h }, `${h}\n`);
  },
};

const uri: CommandDef = {
  name: 'uri',
  group: 'host',
  summary: 'print the hypervisor canonical URI',
  options: [],
  run(ctx) {
    const u = ctx.conn.uri();
    ctx.emit({ uri: u }, `${u}\n`);
  },
};

const version: CommandDef = {
  name: 'version',
  group: 'host',
  summary: 'show version',
  description: ['Display the system version information.'],
  options: [{ name: 'daemon', type: 'bool', help: 'report daemon version too' }],
  run(ctx, args) {
    const v = ctx.conn.version();
    // The simulated hosts run the same libvirt as the library the connection uses.
    const daemon = flag(args, 'daemon') ? `Running against daemon: ${v.library}\n` : '';
    const text =
      `Compiled against library: libvirt ${v.library}\n` +
      `Using library: libvirt ${v.library}\n` +
      `Using API: ${v.hypervisorName} ${v.api}\n` +
      `Running hypervisor: ${v.hypervisorName} ${v.hypervisorVersion}\n` +
      daemon;
    ctx.emit(flag(args, 'daemon') ? { ...v, daemon: v.library } : v, text);
  },
};

const hosts: CommandDef = {
  name: 'hosts',
  group: 'virtyard',
  summary: 'list the hosts of the simulated datacenter (virtyard)',
  description: [
    'virtyard addition: one row per host with its hypervisor, physical CPUs,',
    'hardware virtualization (VT-x on Intel, AMD-V on AMD), memory in use by',
    'guests (and Domain-0 on Xen) out of the total, and its domains (running/all).',
  ],
  options: [],
  run(ctx) {
    const list = ctx.conn.listHosts();
    const rows = list.map((h) => [
      h.name,
      h.hypervisor,
      String(h.pcpus),
      h.cpu.hvm ? (h.cpu.vendor === 'amd' ? 'yes (svm)' : 'yes (vmx)') : 'no',
      `${prettyBytes(h.memoryUsedKiB * 1024, fixedC)} / ${prettyBytes(h.memoryKiB * 1024, fixedC)}`,
      `${h.runningDomains}/${h.domains}`,
    ]);
    ctx.emit(list, renderTable(['Name', 'Hypervisor', 'CPUs', 'VT-x', 'Memory used', 'Domains'], rows));
  },
};

export const HOST_COMMANDS: CommandDef[] = [nodeinfo, hostname, uri, version, hosts];
