// The guest OS catalogue: facts the hypervisor rules, the boot transcripts and the serial shell
// need. `pvKernel`: the OS ships a Xen paravirtualized-capable kernel (pvops), so it may run as
// Xen PV. `style` picks the family look of boot logs and prompts (Debian vs Red Hat vs …).

export interface OsEntry {
  id: string;
  name: string;
  family: 'linux' | 'bsd' | 'windows';
  kernel: string;
  pvKernel: boolean;
  init: 'systemd' | 'openrc' | 'rc' | 'sysvinit' | 'windows';
  /** Virtual seconds from power-on to login prompt, and from ACPI shutdown to power-off. */
  bootSeconds: number;
  shutdownSeconds: number;
  serialConsole: boolean;
  /** Typical resident memory of an idle install, KiB. */
  baseMemoryKiB: number;
  /** Login shell: bash answers "-bash: x: command not found", ash/sh "-sh: x: not found". */
  shell: 'bash' | 'ash' | 'sh';
  style: 'debian' | 'ubuntu' | 'redhat' | 'alpine' | 'cirros' | 'freebsd' | 'windows';
  /** `uname -r` / the kernel banner's build string. */
  kernelBuild: string;
  /** systemd or OpenRC version shown at boot, busybox for the small distros. */
  initVersion: string;
}

export const OS_CATALOG: readonly OsEntry[] = [
  { id: 'debian12', name: 'Debian GNU/Linux 12 (bookworm)', family: 'linux', kernel: '6.1.0-27-amd64', pvKernel: true, init: 'systemd', bootSeconds: 9, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 180 * 1024, shell: 'bash', style: 'debian', kernelBuild: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)', initVersion: 'systemd 252 (252.30-1~deb12u2)' },
  { id: 'ubuntu24.04', name: 'Ubuntu 24.04.1 LTS', family: 'linux', kernel: '6.8.0-48-generic', pvKernel: true, init: 'systemd', bootSeconds: 14, shutdownSeconds: 5, serialConsole: true, baseMemoryKiB: 320 * 1024, shell: 'bash', style: 'ubuntu', kernelBuild: '#48-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 27 14:04:52 UTC 2024', initVersion: 'systemd 255 (255.4-1ubuntu8.4)' },
  { id: 'fedora41', name: 'Fedora Linux 41 (Server Edition)', family: 'linux', kernel: '6.11.4-301.fc41.x86_64', pvKernel: true, init: 'systemd', bootSeconds: 12, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 300 * 1024, shell: 'bash', style: 'redhat', kernelBuild: '#1 SMP PREEMPT_DYNAMIC Tue Oct 22 20:11:15 UTC 2024', initVersion: 'systemd 256 (256.7-1.fc41)' },
  { id: 'alpine3.20', name: 'Alpine Linux v3.20', family: 'linux', kernel: '6.6.58-0-virt', pvKernel: true, init: 'openrc', bootSeconds: 4, shutdownSeconds: 2, serialConsole: true, baseMemoryKiB: 48 * 1024, shell: 'ash', style: 'alpine', kernelBuild: '#1-Alpine SMP PREEMPT_DYNAMIC 2024-10-24 12:27:39', initVersion: 'OpenRC 0.54' },
  { id: 'rhel9', name: 'Red Hat Enterprise Linux 9.4 (Plow)', family: 'linux', kernel: '5.14.0-427.13.1.el9_4.x86_64', pvKernel: false, init: 'systemd', bootSeconds: 16, shutdownSeconds: 6, serialConsole: true, baseMemoryKiB: 380 * 1024, shell: 'bash', style: 'redhat', kernelBuild: '#1 SMP PREEMPT_DYNAMIC Fri Apr 19 12:38:31 EDT 2024', initVersion: 'systemd 252 (252-32.el9_4)' },
  { id: 'freebsd14', name: 'FreeBSD 14.1-RELEASE', family: 'bsd', kernel: '14.1-RELEASE', pvKernel: false, init: 'rc', bootSeconds: 11, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 140 * 1024, shell: 'sh', style: 'freebsd', kernelBuild: 'releng/14.1-n267679-10e31f0946d8 GENERIC', initVersion: 'rc' },
  { id: 'cirros', name: 'CirrOS 0.6.2', family: 'linux', kernel: '5.15.0-71-generic', pvKernel: true, init: 'sysvinit', bootSeconds: 3, shutdownSeconds: 1, serialConsole: true, baseMemoryKiB: 24 * 1024, shell: 'sh', style: 'cirros', kernelBuild: '#71-Ubuntu SMP Tue Apr 18 14:50:31 UTC 2023', initVersion: 'BusyBox v1.36.1' },
  { id: 'windows2022', name: 'Microsoft Windows Server 2022', family: 'windows', kernel: '10.0.20348', pvKernel: false, init: 'windows', bootSeconds: 35, shutdownSeconds: 12, serialConsole: false, baseMemoryKiB: 1400 * 1024, shell: 'sh', style: 'windows', kernelBuild: '10.0.20348', initVersion: 'Windows' },
];

const BY_ID = new Map(OS_CATALOG.map((o) => [o.id, o]));

export function findOs(id: string): OsEntry | undefined {
  return BY_ID.get(id);
}
