// Xen: a type-1 hypervisor. Domain-0 is always there and owns the devices; guests (domU) are PV
// (paravirtualized kernel, no VT-x needed), HVM (needs VT-x/AMD-V) or PVH (PV kernel, no VT-x).

import { VirError } from '../../api/errors';
import type { HypervisorDriver } from './types';

export const xenDriver: HypervisorDriver = {
  name: 'xen',
  versionString: 'Xen 4.17',
  hypervisorName: 'Xen',
  hypervisorVersion: '4.17.0',
  guestTypes: ['pv', 'hvm', 'pvh'],
  macPrefix: '00:16:3e',
  defaultDiskBus: 'xen',
  defaultNicModel: 'netfront',
  hasDom0: true,

  hostReserveKiB: () => 0,
  defaultMachine: (type) => (type === 'hvm' ? 'xenfv' : 'xenpv'),
  defaultFirmware: (type) => (type === 'hvm' ? 'bios' : type === 'pv' ? 'pygrub' : 'direct'),

  checkDefine() {
    return null;
  },

  canStart(host, domain, config, os) {
    if (config.guestType === 'hvm' && !host.cpu.hvm) {
      // The second half is libxl's own complaint when the CPU lacks the extensions.
      return VirError.of(
        'VIR_ERR_CONFIG_UNSUPPORTED',
        `cannot start HVM domain '${domain.name}' on host '${host.name}': ` +
          'HVM guest support is unavailable: is VT/AMD-V supported by your CPU and enabled in your BIOS?',
      );
    }
    if (config.guestType !== 'hvm' && !os.pvKernel) {
      const kind = config.guestType.toUpperCase();
      return VirError.of(
        'VIR_ERR_CONFIG_UNSUPPORTED',
        `cannot start ${kind} domain '${domain.name}' on host '${host.name}': ` +
          `${os.name} (${os.id}) has no Xen paravirtualized kernel; define it as HVM`,
      );
    }
    return null;
  },

  spawn() {
    return undefined;
  },

  taps(_host, domainId, nicCount) {
    return Array.from({ length: nicCount }, (_, i) => `vif${domainId}.${i}`);
  },
};
