import type { Hypervisor } from '../../api/types';
import { kvmDriver } from './kvm';
import type { HypervisorDriver } from './types';
import { xenDriver } from './xen';

export type { HypervisorDriver } from './types';

const DRIVERS: Record<Hypervisor, HypervisorDriver> = { kvm: kvmDriver, xen: xenDriver };

export function driverFor(h: Hypervisor): HypervisorDriver {
  return DRIVERS[h];
}
