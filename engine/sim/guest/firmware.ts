// What the console shows before the kernel: SeaBIOS or OVMF (KVM, Xen HVM behind hvmloader),
// pygrub's menu for Xen PV (no BIOS at all: the domain builder loads the kernel directly), and
// the bootloader. Times are ms after power-on within [0, end).

import type { BootFacts } from './facts';
import { spread, type TimedLine } from './timeline';

function entryTitle(f: BootFacts): string {
  const s = f.os.style;
  if (s === 'redhat') return `${f.os.name.replace(/ \(.*\)$/, '')} (${f.os.kernel}) ${f.os.name.match(/\((.*)\)/)?.[1] ?? ''}`.trim();
  if (s === 'ubuntu') return 'Ubuntu';
  if (s === 'debian') return 'Debian GNU/Linux';
  return f.os.name;
}

export function firmwareLines(f: BootFacts, end: number): TimedLine[] {
  const out: string[] = [];
  if (f.hypervisor === 'xen' && f.guestType === 'pv') {
    // pygrub runs in Domain-0, reads the guest's grub.cfg and hands its kernel to the domain builder.
    const title = `${entryTitle(f)}, with Linux ${f.os.kernel}`;
    const w = 74;
    out.push(`pyGRUB  version 0.6`);
    out.push(`\u250c${'\u2500'.repeat(w)}\u2510`);
    out.push(`\u2502 \x1b[7m${title.padEnd(w - 1).slice(0, w - 1)}\x1b[0m\u2502`);
    out.push(`\u2502 ${`${entryTitle(f)}, with Linux ${f.os.kernel} (recovery mode)`.padEnd(w - 1).slice(0, w - 1)}\u2502`);
    out.push(`\u2514${'\u2500'.repeat(w)}\u2518`);
    out.push(`Will boot selected entry in  0 seconds`);
    return spread(out, 0, end);
  }
  if (f.hypervisor === 'xen' && f.guestType === 'pvh') {
    return spread([`Xen PVH direct kernel boot: ${f.os.kernel}`], 0, end);
  }
  if (f.hypervisor === 'xen') {
    out.push('HVM Loader', `Detected Xen v${f.hypervisorVersion}`, 'Xenbus rings @0xfeffc000, event channel 1', 'System requested SeaBIOS');
  }
  if (f.firmware === 'uefi') {
    out.push(
      'BdsDxe: loading Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x2,0x3)/Pci(0x0,0x0)',
      'BdsDxe: starting Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x2,0x3)/Pci(0x0,0x0)',
    );
  } else {
    out.push(f.hypervisor === 'xen' ? 'SeaBIOS (version rel-1.16.2-0-gea1b7a0-Xen)' : 'SeaBIOS (version 1.16.2-debian-1.16.2-1)', '');
    if (f.nics.length && f.hypervisor === 'kvm') out.push('', 'iPXE (https://ipxe.org) 00:02.0 CA00 PCI2.10 PnP PMM+7EFC7F60+7EF07F60 CA00', '');
    out.push('Booting from Hard Disk...');
  }
  if (f.os.style === 'windows') return spread(out, 0, end);
  if (f.os.style === 'freebsd') return spread(out, 0, end);
  const title = entryTitle(f);
  out.push(
    `  Booting \`${title}'`,
    '',
    `Loading Linux ${f.os.kernel} ...`,
    'Loading initial ramdisk ...',
  );
  return spread(out, 0, end);
}
