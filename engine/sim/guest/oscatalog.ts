// The guest OS catalogue: facts the hypervisor rules and (later) the boot transcripts need.
// `pvKernel`: the OS ships a Xen paravirtualized-capable kernel (pvops), so it may run as Xen PV.

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
}

export const OS_CATALOG: readonly OsEntry[] = [
  { id: 'debian12', name: 'Debian GNU/Linux 12 (bookworm)', family: 'linux', kernel: '6.1.0-27-amd64', pvKernel: true, init: 'systemd', bootSeconds: 9, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 180 * 1024 },
  { id: 'ubuntu24.04', name: 'Ubuntu 24.04.1 LTS', family: 'linux', kernel: '6.8.0-48-generic', pvKernel: true, init: 'systemd', bootSeconds: 14, shutdownSeconds: 5, serialConsole: true, baseMemoryKiB: 320 * 1024 },
  { id: 'fedora41', name: 'Fedora Linux 41 (Server Edition)', family: 'linux', kernel: '6.11.4-301.fc41.x86_64', pvKernel: true, init: 'systemd', bootSeconds: 12, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 300 * 1024 },
  { id: 'alpine3.20', name: 'Alpine Linux v3.20', family: 'linux', kernel: '6.6.58-0-virt', pvKernel: true, init: 'openrc', bootSeconds: 4, shutdownSeconds: 2, serialConsole: true, baseMemoryKiB: 48 * 1024 },
  { id: 'rhel9', name: 'Red Hat Enterprise Linux 9.4 (Plow)', family: 'linux', kernel: '5.14.0-427.13.1.el9_4.x86_64', pvKernel: false, init: 'systemd', bootSeconds: 16, shutdownSeconds: 6, serialConsole: true, baseMemoryKiB: 380 * 1024 },
  { id: 'freebsd14', name: 'FreeBSD 14.1-RELEASE', family: 'bsd', kernel: '14.1-RELEASE', pvKernel: false, init: 'rc', bootSeconds: 11, shutdownSeconds: 4, serialConsole: true, baseMemoryKiB: 140 * 1024 },
  { id: 'cirros', name: 'CirrOS 0.6.2', family: 'linux', kernel: '5.15.0-71-generic', pvKernel: true, init: 'sysvinit', bootSeconds: 3, shutdownSeconds: 1, serialConsole: true, baseMemoryKiB: 24 * 1024 },
  { id: 'windows2022', name: 'Microsoft Windows Server 2022', family: 'windows', kernel: '10.0.20348', pvKernel: false, init: 'windows', bootSeconds: 35, shutdownSeconds: 12, serialConsole: false, baseMemoryKiB: 1400 * 1024 },
];

const BY_ID = new Map(OS_CATALOG.map((o) => [o.id, o]));

export function findOs(id: string): OsEntry | undefined {
  return BY_ID.get(id);
}
