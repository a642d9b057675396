// One driver table per hypervisor (libvirt's model): what guests it runs, how it names things,
// and the checks it makes before a start. The lifecycle code is hypervisor-neutral and asks these.

import type { VirError } from '../../api/errors';
import type { DiskInfo, DomainProcess, GuestType, Hypervisor, NicInfo } from '../../api/types';
import type { OsEntry } from '../guest/oscatalog';
import type { DomainConfig, DomainRecord, HostRecord } from '../world/state';

export interface HypervisorDriver {
  readonly name: Hypervisor;
  /** HostInfo.hypervisorVersion, e.g. "QEMU 7.2.0". */
  readonly versionString: string;
  /** virsh version's "Running hypervisor" pair. */
  readonly hypervisorName: string;
  readonly hypervisorVersion: string;
  /** Capabilities: the guest types this hypervisor can run. */
  readonly guestTypes: readonly GuestType[];
  readonly macPrefix: string;
  readonly defaultDiskBus: DiskInfo['bus'];
  readonly defaultNicModel: NicInfo['model'];
  /** Xen: Domain-0 exists on every host. */
  readonly hasDom0: boolean;
  /** Memory the host keeps for itself outside guest admission, KiB (Xen's dom0 is counted as a domain). */
  hostReserveKiB(host: HostRecord): number;
  defaultMachine(type: GuestType): string;
  defaultFirmware(type: GuestType): DomainConfig['firmware'];
  /** Define-time check: is this guest type one the capabilities list? */
  checkDefine(host: HostRecord, name: string, config: DomainConfig): VirError | null;
  /** Start-time check of CPU features and guest kernel. */
  canStart(host: HostRecord, domain: DomainRecord, config: DomainConfig, os: OsEntry): VirError | null;
  /** The process a running guest is (KVM), advancing the host's pid counter; undefined for Xen. */
  spawn(host: HostRecord, config: DomainConfig): DomainProcess | undefined;
  /** Tap device names for a guest's NICs at start (may advance the host's tap counter). */
  taps(host: HostRecord, domainId: number, nicCount: number): string[];
}
