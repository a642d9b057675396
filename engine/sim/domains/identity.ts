// define / undefine / rename: the name and UUID identity rules of virsh.md §4. Same name and UUID
// is an update (pending for a running domain until its next start); a clash is refused naming the
// existing domain.

import { VirError } from '../../api/errors';
import type { DomainDef } from '../../api/types';
import { Rng } from '../rng';
import type { World } from '../world/world';
import type { DomainRecord } from '../world/state';
import { buildConfig, configInputFromDef, validateName, cloneConfig } from './config';
import { refuseDom0 } from './lifecycle';
import { changed, lifecycle } from './runstate';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function emptyRecord(uuid: string, name: string, host: string): DomainRecord {
  return {
    uuid,
    name,
    host,
    isDom0: false,
    persistent: true,
    autostart: false,
    managedSave: false,
    config: undefined as never,
    live: null,
    state: 'shut off',
    reason: 'unknown',
    id: null,
    startedAt: null,
    bootedAt: null,
    rebooting: false,
    pendingReboot: false,
    pausedAt: null,
    process: null,
    taps: [],
    cpuTimeNs: 0,
    cpuPercent: 0,
    memoryUsedKiB: 0,
    token: 0,
    rev: 0,
  };
}

export function define(w: World, def: DomainDef): DomainRecord {
  if (!def || typeof def !== 'object') throw VirError.of('VIR_ERR_XML_ERROR', 'missing domain definition');
  validateName(def.name);
  const host = w.host(def.host);
  const uuid = def.uuid?.toLowerCase();
  if (uuid !== undefined && !UUID_RE.test(uuid)) throw VirError.of('VIR_ERR_XML_ERROR', `malformed uuid element '${def.uuid}'`);
  const existing = w.byName.get(def.name);
  if (existing && existing.uuid !== uuid) {
    throw VirError.of('VIR_ERR_OPERATION_FAILED', `domain '${def.name}' already exists with uuid ${existing.uuid}`);
  }
  const other = uuid !== undefined ? w.byUuid.get(uuid) : undefined;
  if (other && other !== existing) {
    throw VirError.of('VIR_ERR_OPERATION_FAILED', `domain '${other.name}' is already defined with uuid ${uuid}`);
  }
  if (existing && existing.host !== host.name) {
    throw VirError.of(
      'VIR_ERR_OPERATION_INVALID',
      `domain '${def.name}' is defined on host '${existing.host}', not '${host.name}'; migrate it instead`,
    );
  }

  // Draw from a copy of the world stream: it is committed only if the definition is accepted.
  const rng = new Rng(w.s.rng);
  const driver = w.driver(host);
  const keepMacs = existing ? existing.config.nics.map((n) => n.mac) : [];
  const config = buildConfig(configInputFromDef(def), host, driver, (i) => keepMacs[i] ?? rng.mac(driver.macPrefix));

  if (existing) {
    existing.config = config;
    existing.persistent = true;
    w.touch(existing);
    lifecycle(w, existing, 'defined', 'updated', `Domain '${existing.name}' defined (updated)`);
    return existing;
  }
  const rec = emptyRecord(uuid ?? rng.uuid(), def.name, host.name);
  rec.config = config;
  w.s.rng = rng.state();
  w.addDomain(rec);
  lifecycle(w, rec, 'defined', 'added', `Domain '${rec.name}' defined`);
  return rec;
}

export function undefine(w: World, d: DomainRecord, opts: { managedSave?: boolean } = {}): void {
  refuseDom0(d, 'undefine');
  if (!d.persistent) throw VirError.of('VIR_ERR_OPERATION_INVALID', 'cannot undefine transient domain');
  if (d.managedSave && !opts.managedSave) {
    throw VirError.of('VIR_ERR_OPERATION_INVALID', 'Refusing to undefine while domain managed save image exists');
  }
  const name = d.name;
  if (d.id !== null) {
    // A running domain stays up as a transient one; it vanishes when it stops.
    d.persistent = false;
    d.autostart = false;
    d.config = cloneConfig(d.live!);
    w.touch(d);
  } else {
    w.removeDomain(d);
  }
  lifecycle(w, d, 'undefined', 'removed', `Domain '${name}' has been undefined`);
}

export function rename(w: World, d: DomainRecord, newName: string): void {
  refuseDom0(d, 'rename');
  if (d.id !== null) throw VirError.of('VIR_ERR_OPERATION_INVALID', 'cannot rename active domain');
  if (d.managedSave) throw VirError.of('VIR_ERR_OPERATION_INVALID', "domain with a managed saved state can't be renamed");
  validateName(newName);
  if (newName === d.name) throw VirError.of('VIR_ERR_OPERATION_INVALID', "Can't rename domain to itself");
  if (w.byName.has(newName)) throw VirError.of('VIR_ERR_OPERATION_INVALID', `domain with name '${newName}' already exists`);
  const old = d.name;
  w.rename(d, newName);
  changed(w, d, 'rename', `Domain '${old}' renamed to '${newName}'`);
}
