// A Linux guest's kernel and init output, from its boot facts: the hypervisor it detects, the
// CPUs, memory, disks (virtio-blk vda / xen-blkfront xvda / ATA sda with sizes) and NICs (with
// their MACs), then systemd, OpenRC or BusyBox init bringing up the network with a DHCP lease.

import type { BootFacts, NicFact } from './facts';
import { BGREEN, BOLD, GREEN, RESET, gbGib, kernelLines, sectors, spread, type TimedLine } from './timeline';

function hypervisorLines(f: BootFacts): string[] {
  if (f.hypervisor === 'kvm') return ['Hypervisor detected: KVM', 'kvm-clock: Using msrs 4b564d01 and 4b564d00'];
  if (f.guestType === 'pv') {
    return ['Booting paravirtualized kernel on Xen', `Xen version: ${f.hypervisorVersion} (preserve-AD)`, 'Hypervisor detected: Xen PV'];
  }
  if (f.guestType === 'pvh') return ['Booting kernel on Xen PVH', 'Hypervisor detected: Xen PVH'];
  return ['Hypervisor detected: Xen HVM', `Xen version ${f.hypervisorVersion}.`, 'Xen Platform PCI: I/O protocol version 1'];
}

function cpuId(f: BootFacts): string {
  return f.cpuVendor === 'amd' ? '(family: 0x17, model: 0x31, stepping: 0x0)' : '(family: 0x6, model: 0x55, stepping: 0x7)';
}

function diskLines(f: BootFacts): string[] {
  const out: string[] = [];
  let vdev = 0;
  f.disks.forEach((d, i) => {
    if (d.device === 'cdrom') {
      out.push(`sr 0:0:0:0: [sr0] scsi3-mmc drive: 4x/4x cd/rw xa/form2 tray`);
      return;
    }
    const n = sectors(d.bytes);
    if (d.bus === 'xen') out.push(`blkfront: ${d.target}: ${n} 512-byte sectors (${gbGib(d.bytes)}); flush diskcache: enabled; persistent grants: enabled`);
    else if (d.bus === 'virtio') out.push(`virtio_blk virtio${vdev++}: [${d.target}] ${n} 512-byte logical blocks (${gbGib(d.bytes)})`);
    else out.push(`sd ${i}:0:0:0: [${d.target}] ${n} 512-byte logical blocks: (${gbGib(d.bytes)})`);
    if (i === 0) out.push(` ${d.target}: ${d.target}1 ${d.target}2 < ${d.target}5 >`);
  });
  return out;
}

function nicLines(f: BootFacts): string[] {
  return f.nics.map((n, i) => {
    if (n.model === 'netfront') return `xen_netfront: vif vif-${i} ${n.ifname}: MAC ${n.mac}`;
    if (n.model === 'virtio') return `virtio_net virtio${f.disks.length + i} ${n.ifname}: MAC ${n.mac}`;
    return `${n.model} 0000:00:0${3 + i}.0 ${n.ifname}: (PCI:33MHz:32-bit) ${n.mac}`;
  });
}

export function kernelText(f: BootFacts): string[] {
  const memTotal = f.memoryKiB - 388;
  const avail = memTotal - Math.round(f.memoryKiB * 0.03) - 28_000;
  const cmdRoot = f.disks.find((d) => d.device === 'disk')?.target ?? 'vda';
  const lines = [
    `Linux version ${f.os.kernel} (builder@${f.os.style}) (gcc (GCC) 12.2.0, GNU ld 2.40) ${f.os.kernelBuild}`,
    `Command line: BOOT_IMAGE=/boot/vmlinuz-${f.os.kernel} root=/dev/${cmdRoot}1 ro console=${f.console}${f.console === 'ttyS0' ? ',115200n8' : ''}`,
    ...hypervisorLines(f),
    // PV and PVH guests have no firmware, so no DMI tables either.
    ...(f.hypervisor === 'kvm'
      ? [`DMI: QEMU Standard PC (${f.machine.includes('q35') ? 'Q35 + ICH9, 2009' : 'i440FX + PIIX, 1996'}), BIOS 1.16.2-debian-1.16.2-1 04/01/2014`]
      : f.guestType === 'hvm' ? [`DMI: Xen HVM domU, BIOS ${f.hypervisorVersion} 11/15/2024`] : []),
    `Memory: ${avail}K/${memTotal}K available`,
  ];
  if (f.maxVcpus > f.vcpus) lines.push(`smpboot: Allowing ${f.maxVcpus} CPUs, ${f.maxVcpus - f.vcpus} hotplug CPUs`);
  lines.push(
    `smpboot: CPU0: ${f.cpuModel} ${cpuId(f)}`,
    `smp: Brought up 1 node, ${f.vcpus} CPU${f.vcpus === 1 ? '' : 's'}`,
    `smpboot: Total of ${f.vcpus} processors activated (${(f.mhz * 2 * f.vcpus).toFixed(2)} BogoMIPS)`,
    `clocksource: Switched to clocksource ${f.hypervisor === 'kvm' ? 'kvm-clock' : 'xen'}`,
    ...diskLines(f),
    ...nicLines(f),
    `EXT4-fs (${cmdRoot}1): mounted filesystem with ordered data mode. Quota mode: none.`,
    `Run /sbin/init as init process`,
  );
  return lines;
}

function dhcpLine(f: BootFacts, n: NicFact): string {
  const s = f.os.style;
  if (!n.ip) return s === 'debian' ? `dhclient: No DHCPOFFERS received.` : `${n.ifname}: no DHCP lease obtained`;
  if (!n.server) return `${n.ifname}: static address ${n.ip}/${n.prefix}`;
  if (s === 'debian') return `dhclient: DHCPACK of ${n.ip} from ${n.server}`;
  if (s === 'ubuntu') return `systemd-networkd: ${n.ifname}: DHCPv4 address ${n.ip}/${n.prefix}, gateway ${n.gateway} acquired from ${n.server}`;
  return `NetworkManager: <info>  dhcp4 (${n.ifname}): state changed new lease, address=${n.ip}`;
}

const ok = (what: string) => `[${GREEN}  OK  ${RESET}] ${what}`;

function systemd(f: BootFacts): string[] {
  const virt = f.hypervisor === 'kvm' ? 'kvm' : 'xen';
  return [
    '',
    `Welcome to ${BOLD}${f.os.name}${RESET}!`,
    '',
    `systemd[1]: ${f.os.initVersion} running in system mode`,
    `systemd[1]: Detected virtualization ${virt}.`,
    `systemd[1]: Hostname set to <${f.name}>.`,
    ok('Started systemd-journald.service - Journal Service.'),
    ok('Reached target local-fs.target - Local File Systems.'),
    ok('Finished systemd-tmpfiles-setup.service - Create System Files and Directories.'),
    ok('Reached target sysinit.target - System Initialization.'),
    ...f.nics.map((n) => dhcpLine(f, n)),
    ok('Reached target network-online.target - Network is Online.'),
    ok('Started ssh.service - OpenBSD Secure Shell server.'),
    ok(`Started serial-getty@${f.console}.service - Serial Getty on ${f.console}.`),
    ok('Reached target multi-user.target - Multi-User System.'),
  ];
}

function openrc(f: BootFacts): string[] {
  const star = ` ${BGREEN}*${RESET} `;
  const done = ` [ ${GREEN}ok${RESET} ]`;
  const out = ['', `   ${f.os.initVersion} is starting up Linux ${f.os.kernel} (x86_64)`, '', `${star}Mounting /run ...${done}`, `${star}Remounting root filesystem read/write ...${done}`, `${star}Starting networking ...`];
  for (const n of f.nics) {
    out.push(`${star}  ${n.ifname} ...`, 'udhcpc: started, v1.36.1', 'udhcpc: broadcasting discover');
    out.push(n.ip ? `udhcpc: lease of ${n.ip} obtained from ${n.server ?? n.gateway}, lease time 86400` : 'udhcpc: no lease, failing');
  }
  out.push(`${star}Starting sshd ...${done}`, `${star}Starting crond ...${done}`);
  return out;
}

function busybox(f: BootFacts): string[] {
  const out = ['Starting syslogd: OK', 'Starting klogd: OK', 'Starting network...'];
  for (const n of f.nics) {
    out.push('udhcpc: started, v1.36.1', 'udhcpc: broadcasting discover');
    out.push(...(n.ip ? [`udhcpc: broadcasting select for ${n.ip}, server ${n.server ?? n.gateway}`, `udhcpc: lease of ${n.ip} obtained from ${n.server ?? n.gateway}, lease time 3600`] : ['udhcpc: no lease, failing']));
  }
  out.push('Starting dropbear sshd: OK', '  ____               ____  ____', ' / __/ __ ____ ____ / __ \\/ __/', '/ /__ / // __// __// /_/ /\\ \\ ', '\\___//_//_/  /_/   \\____/___/ ', '   http://cirros-cloud.net', '');
  return out;
}

/** Kernel from `k0` to `k1`, init from `k1` to `end` (ms after power-on). */
export function linuxLines(f: BootFacts, k0: number, k1: number, end: number): TimedLine[] {
  const kernel = kernelLines(kernelText(f), k0, k1, k0, f.name);
  const initText = f.os.init === 'systemd' ? systemd(f) : f.os.init === 'openrc' ? openrc(f) : busybox(f);
  return [...kernel, ...spread(initText, k1, end)];
}
