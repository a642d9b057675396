// KVM: Linux is the hypervisor, each guest a qemu-system-x86_64 process whose vCPUs are threads.
// Only full virtualization, and only with VT-x/AMD-V: there is no TCG fallback for type 'kvm'.

import { VirError } from '../../api/errors';
import type { HypervisorDriver } from './types';

const EMULATOR = '/usr/bin/qemu-system-x86_64';
/** qemu's own threads besides the vCPUs (main loop, I/O, RCU, …): pids the counter skips. */
const QEMU_AUX_THREADS = 3;

export const kvmDriver: HypervisorDriver = {
  name: 'kvm',
  versionString: 'QEMU 7.2.0',
  hypervisorName: 'QEMU',
  hypervisorVersion: '7.2.0',
  guestTypes: ['hvm'],
  macPrefix: '52:54:00',
  defaultDiskBus: 'virtio',
  defaultNicModel: 'virtio',
  hasDom0: false,

  hostReserveKiB: () => 1024 * 1024,
  defaultMachine: () => 'pc-q35-7.2',
  defaultFirmware: () => 'bios',

  checkDefine(_host, _name, config) {
    if (config.guestType === 'hvm') return null;
    const osType = config.guestType === 'pv' ? 'xen' : 'xenpvh';
    return VirError.of('VIR_ERR_CONFIG_UNSUPPORTED', `Emulator '${EMULATOR}' does not support os type '${osType}'`);
  },

  canStart(host) {
    if (host.cpu.hvm) return null;
    // QEMU's own wording (qemuProcessStartValidateGuestCPU on a host without /dev/kvm).
    return VirError.of(
      'VIR_ERR_CONFIG_UNSUPPORTED',
      'Domain requires KVM, but it is not available. Check that virtualization is enabled in the host BIOS, ' +
        'and host configuration is setup to load the kvm modules.',
    );
  },

  spawn(host, config) {
    const pid = host.nextPid;
    const vcpuTids = Array.from({ length: config.vcpus }, (_, i) => pid + QEMU_AUX_THREADS + 1 + i);
    host.nextPid = pid + QEMU_AUX_THREADS + 1 + config.maxVcpus;
    return { pid, vcpuTids, emulator: EMULATOR };
  },

  taps(host, _id, nicCount) {
    const out: string[] = [];
    for (let i = 0; i < nicCount; i++) out.push(`vnet${host.nextTap++}`);
    return out;
  },
};
