// A FreeBSD guest: the loader, the kernel's probe messages (Hypervisor: Origin, memory, CPUs,
// vtbd/xbd disks with sizes, vtnet/xn NICs with their MACs) and rc bringing up DHCP.

import type { BootFacts } from './facts';
import { spread, type TimedLine } from './timeline';

export function freebsdLines(f: BootFacts, from: number, end: number): TimedLine[] {
  const mb = Math.floor(f.memoryKiB / 1024);
  const origin = f.hypervisor === 'kvm' ? 'KVMKVMKVM' : 'XenVMMXenVMM';
  const lines = [
    'Consoles: internal video/keyboard  serial port',
    'FreeBSD/x86 bootstrap loader, Revision 1.1',
    'Loading /boot/defaults/loader.conf',
    '/boot/kernel/kernel text=0x1e5a8b0 data=0x1d3398+0x5f5e28 syms=[0x8+0x1f1d78+0x8+0x1b9e8c]',
    '---<<BOOT>>---',
    'Copyright (c) 1992-2024 The FreeBSD Project.',
    `FreeBSD ${f.os.kernel} ${f.os.kernelBuild} amd64`,
    `Hypervisor: Origin = "${origin}"`,
    `CPU: ${f.cpuModel} (${f.mhz.toFixed(2)}-MHz K8-class CPU)`,
    `real memory  = ${f.memoryKiB * 1024} (${mb} MB)`,
    `avail memory = ${Math.floor(f.memoryKiB * 1024 * 0.95)} (${Math.floor(mb * 0.95)} MB)`,
    `FreeBSD/SMP: Multiprocessor System Detected: ${f.vcpus} CPUs`,
  ];
  f.disks.forEach((d, i) => {
    const size = Math.floor(d.bytes / 2 ** 20);
    if (d.device === 'cdrom') lines.push(`cd0: <QEMU QEMU DVD-ROM 2.5+> Removable CD-ROM SCSI device`);
    else if (d.bus === 'xen') lines.push(`xbd${i}: ${size}MB <Virtual Block Device> at device/vbd/${768 + i * 16} on xenbusb_front0`);
    else if (d.bus === 'virtio') lines.push(`vtbd${i}: ${size}MB (${Math.floor(d.bytes / 512)} 512 byte sectors)`);
    else lines.push(`ada${i}: ${size}MB (${Math.floor(d.bytes / 512)} 512 byte sectors)`);
  });
  for (const n of f.nics) lines.push(`${n.ifname}: Ethernet address: ${n.mac}`);
  lines.push('Trying to mount root from ufs:/dev/gpt/rootfs [rw]...', `Setting hostname: ${f.name}.`);
  for (const n of f.nics) {
    lines.push(`DHCPDISCOVER on ${n.ifname} to 255.255.255.255 port 67 interval 6`);
    if (n.ip) lines.push(`DHCPACK from ${n.server ?? n.gateway}`, `bound to ${n.ip} -- renewal in 43200 seconds.`);
    else lines.push(`No DHCPOFFERS received.`);
  }
  lines.push('Starting sshd.', 'Starting cron.');
  return spread(lines, from, end);
}
