// Details presenter (virt-manager's Overview): the selected domain's hypervisor, process, virtual
// hardware, OS, disks and NICs — or the selected host's facts — as label/value lines.
import type { DomainInfo, DomainSamples, HostInfo } from '../../../engine/index';
import { formatBytes, formatDuration, formatKiB } from '../../format';

export interface DetailLine {
  label: string;
  value: string;
}

export interface Details {
  title: string;
  overview: DetailLine[];
  devices: DetailLine[];
}

const hvName = (h: 'kvm' | 'xen') => (h === 'kvm' ? 'KVM' : 'Xen');

function hypervisorLine(d: DomainInfo, host: HostInfo | null): string {
  const version = host ? ` (${host.hypervisorVersion})` : '';
  if (d.hypervisor === 'xen') {
    return d.isDom0
      ? `Xen${version} · Domain-0, the privileged domain owning the devices`
      : `Xen${version} · domU, ${d.guestType.toUpperCase()} guest`;
  }
  const p = d.process;
  const proc = p ? ` · ${p.emulator} pid ${p.pid}, vCPU tids ${p.vcpuTids.join(' ')}` : ' · no qemu process (inactive)';
  return `KVM${version}${proc}`;
}

/** samples: the store's (the list's snapshots keep older figures across samples). */
export function domainDetails(d: DomainInfo, host: HostInfo | null, now: number, samples: DomainSamples): Details {
  const up = d.startedAt === null ? '' : ` · up ${formatDuration(now - d.startedAt)}`;
  const id = d.id === null ? '' : ` · id ${d.id}`;
  const overview: DetailLine[] = [
    { label: 'Hypervisor', value: hypervisorLine(d, host) },
    { label: 'State', value: `${d.state} (${d.reason})${id}${up}${d.persistent ? '' : ' · transient'}${d.managedSave ? ' · managed save' : ''}` },
    { label: 'Hardware', value: `${d.arch} · machine ${d.machine} · firmware ${d.firmware}` },
    { label: 'OS', value: `${d.osName} (${d.os}) · workload ${d.workload}` },
    {
      label: 'vCPU',
      value: `${d.vcpus.current} of max ${d.vcpus.max} · CPU ${d.id === null ? '-' : `${Math.round(samples.cpuPercent(d))}% of ${d.vcpus.current * 100}%`} · CPU time ${formatDuration(samples.cpuTimeNs(d) / 1e6)}`,
    },
    {
      label: 'Memory',
      value: `${formatKiB(d.memory.currentKiB)} of max ${formatKiB(d.memory.maxKiB)}${d.id === null ? '' : ` · ${formatKiB(samples.memoryUsedKiB(d))} used`}`,
    },
    { label: 'Autostart', value: d.autostart ? 'yes' : 'no' },
    { label: 'On events', value: `poweroff ${d.onPoweroff} · reboot ${d.onReboot} · crash ${d.onCrash}` },
  ];
  const devices: DetailLine[] = [];
  d.disks.forEach((k, i) => {
    const where = k.pool && k.volume ? `${k.pool}/${k.volume}` : k.source;
    const backing = k.backing ? ` · backing ${k.backing}` : '';
    devices.push({
      label: i === 0 ? 'Disks' : '',
      value: `${k.target} ${k.bus} ${k.device}  ${where}  ${k.format} ${formatBytes(k.capacityBytes)} (${formatBytes(k.allocationBytes)} allocated)${backing}`,
    });
  });
  if (!d.disks.length) devices.push({ label: 'Disks', value: 'none' });
  d.nics.forEach((n, i) => {
    const vlan = n.vlan !== undefined ? ` vlan ${n.vlan}` : '';
    devices.push({
      label: i === 0 ? 'NICs' : '',
      value: `${n.target ?? '-'}  ${n.mac}  ${n.network} (${n.type}, ${n.model}${vlan})  ${n.ip ?? 'no IP'}`,
    });
  });
  if (!d.nics.length) devices.push({ label: 'NICs', value: 'none' });
  return { title: `${d.name} ─ Overview`, overview, devices };
}

export function hostDetails(h: HostInfo): Details {
  const c = h.cpu;
  return {
    title: `${h.name} ─ Host`,
    overview: [
      { label: 'Hypervisor', value: `${hvName(h.hypervisor)} · ${h.hypervisorVersion}${h.hypervisor === 'xen' ? ' · type-1, Domain-0 owns the devices' : ' · Linux is the hypervisor'}` },
      { label: 'CPU', value: `${c.model} · ${c.sockets}×${c.cores}×${c.threads} = ${h.pcpus} pCPUs · ${c.mhz} MHz` },
      { label: 'VT', value: c.hvm ? `yes (${c.vendor === 'intel' ? 'vmx' : 'svm'}): HVM guests can run` : 'no: only PV/PVH guests can run here' },
      { label: 'Memory', value: `${formatKiB(h.memoryUsedKiB)} used of ${formatKiB(h.memoryKiB)} (limit ${formatKiB(h.memoryLimitKiB)}, overcommit ${h.overcommitRatio})` },
      { label: 'Load', value: `${Math.round(h.cpuPercent)}% host CPU` },
    ],
    devices: [
      { label: 'Domains', value: `${h.domains} (${h.runningDomains} running)` },
      { label: 'Interfaces', value: h.interfaces.join(', ') || 'none' },
    ],
  };
}

export function detailText(l: DetailLine): string {
  return `${l.label.padEnd(11)}${l.value}`;
}
