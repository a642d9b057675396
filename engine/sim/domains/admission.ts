// Everything a start must pass before anything changes: the hypervisor's CPU/kernel rules,
// the storage and networks the guest uses, and memory admission under the host's overcommit.

import { VirError } from '../../api/errors';
import { findOs } from '../guest/oscatalog';
import type { World } from '../world/world';
import type { DomainConfig, DomainRecord } from '../world/state';

export function mib(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}

export function ratio(r: number): string {
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/** Splits a disk source "pool/volume"; absolute paths are not pool-backed. */
export function poolVolume(source: string): { pool: string; volume: string } | null {
  if (source.startsWith('/')) return null;
  const i = source.indexOf('/');
  if (i <= 0) return null;
  return { pool: source.slice(0, i), volume: source.slice(i + 1) };
}

export function checkStorageAndNetworks(w: World, d: DomainRecord, config: DomainConfig): void {
  for (const disk of config.disks) {
    const pv = poolVolume(disk.source);
    if (!pv) continue;
    const pool = w.pool(pv.pool);
    if (!pool) throw VirError.of('VIR_ERR_NO_STORAGE_POOL', `no storage pool with matching name '${pv.pool}'`);
    if (!pool.active) throw VirError.of('VIR_ERR_OPERATION_INVALID', `storage pool '${pool.name}' is not active`);
    if (!w.volume(pv.pool, pv.volume)) {
      throw VirError.of('VIR_ERR_NO_STORAGE_VOL', `no storage vol with matching name '${pv.volume}'`);
    }
  }
  for (const nic of config.nics) {
    if (nic.type !== 'network') continue;
    const net = w.network(nic.network);
    if (!net) throw VirError.of('VIR_ERR_NO_NETWORK', `no network with matching name '${nic.network}'`);
    if (!net.active) throw VirError.of('VIR_ERR_OPERATION_INVALID', `network '${net.name}' is not active`);
    if (net.hosts.length && !net.hosts.includes(d.host)) {
      throw VirError.of(
        'VIR_ERR_CONFIG_UNSUPPORTED',
        `network '${net.name}' used by domain '${d.name}' does not exist on host '${d.host}'`,
      );
    }
  }
}

/** Throws unless the memory fits the host's admission limit. */
export function checkMemory(w: World, d: DomainRecord, needKiB: number, verb = 'start'): void {
  const host = w.host(d.host);
  const free = w.memFreeKiB(host);
  if (needKiB > free) {
    throw VirError.of(
      'VIR_ERR_INTERNAL_ERROR',
      `cannot ${verb} domain '${d.name}' on host '${host.name}': needs ${mib(needKiB)}, ` +
        `${mib(Math.max(0, free))} free (overcommit ${ratio(host.overcommit)})`,
    );
  }
}

/** All start-time checks, in the order a real host meets them. */
export function checkStart(w: World, d: DomainRecord, opts: { memory?: boolean } = {}): void {
  if (d.id !== null) throw VirError.of('VIR_ERR_OPERATION_INVALID', 'domain is already running');
  const host = w.host(d.host);
  const os = findOs(d.config.os);
  if (!os) throw VirError.of('VIR_ERR_CONFIG_UNSUPPORTED', `unknown OS '${d.config.os}' for domain '${d.name}'`);
  const refused = w.driver(host).canStart(host, d, d.config, os);
  if (refused) throw refused;
  checkStorageAndNetworks(w, d, d.config);
  if (opts.memory !== false) checkMemory(w, d, d.config.memoryKiB);
}
