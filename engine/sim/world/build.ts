// Building a world from a FixtureWorld: hosts (with a seeded uptime and pid counter), networks,
// pools, Domain-0 on every Xen host, and the fixture's domains, the running ones backdated so the
// table does not open on a row of zeros. Every random choice comes from a per-entity stream.

import { VirError, isVirError } from '../../api/errors';
import type { FixtureDomain, FixtureWorld } from '../fixture/types';
import { findOs } from '../guest/oscatalog';
import { demandPerVcpu } from '../compute/workload';
import { buildConfig, validateName } from '../domains/config';
import { emptyRecord } from '../domains/identity';
import { checkStart } from '../domains/admission';
import { activate } from '../domains/runstate';
import { hash32, Rng } from '../rng';
import type { DomainRecord, HostRecord, SimState } from './state';
import { SIM_STATE_VERSION } from './state';
import type { World } from './world';
import { driverFor } from '../hypervisors';

const DAY = 86_400_000;

/** The world before any domain exists: hosts, networks, pools, Domain-0s. */
export function baseState(f: FixtureWorld): SimState {
  const seed = f.seed >>> 0;
  const hosts: HostRecord[] = f.hosts.map((h) => {
    const r = Rng.stream(seed, `host:${h.name}`);
    const host: HostRecord = {
      name: h.name,
      hypervisor: h.hypervisor,
      cpu: { ...h.cpu },
      memoryKiB: h.memoryKiB,
      overcommit: h.overcommit,
      interfaces: [...h.interfaces],
      bootedAt: f.start - r.int(3 * DAY, 120 * DAY),
      nextPid: r.int(1200, 24000),
      nextTap: 0,
      cpuPercent: 0,
      rev: 0,
    };
    if (h.dom0) host.dom0 = { ...h.dom0 };
    return host;
  });
  const state: SimState = {
    version: SIM_STATE_VERSION,
    seed,
    start: f.start,
    clock: { now: f.start, speed: 1, paused: false, carry: 0 },
    rng: Rng.stream(seed, 'world').state(),
    nextDomainId: 1,
    nextToken: 0,
    lastSampleAt: Math.floor(f.start / 1000) * 1000,
    hosts,
    domains: [],
    networks: f.networks.map((n) => ({ ...n, hosts: [...n.hosts], uuid: n.uuid ?? Rng.stream(seed, `network:${n.name}`).uuid() })),
    pools: f.pools.map((p) => ({
      ...p,
      volumes: p.volumes.map((v) => ({ ...v })),
      uuid: p.uuid ?? Rng.stream(seed, `pool:${p.name}`).uuid(),
    })),
    timers: [],
    timerSeq: 0,
    eventSeq: 0,
    events: [],
  };
  if (f.users?.length) state.guest = { consoles: {}, leases: {}, users: f.users.map((u) => ({ ...u })) };
  let xenIndex = 0;
  for (const h of hosts) {
    if (!driverFor(h.hypervisor).hasDom0) continue;
    const dom0 = dom0Record(h, xenIndex++);
    // Domain-0 has been up since its host booted, so it has used CPU time all along, like its guests.
    dom0.cpuTimeNs = backdatedCpuTimeNs(dom0, state.seed, state.clock.now - h.bootedAt);
    state.domains.push(dom0);
  }
  return state;
}

/** Domain-0: id 0, running since the host booted. Xen gives it the all-zero UUID; later hosts count up. */
function dom0Record(h: HostRecord, index: number): DomainRecord {
  const uuid = `00000000-0000-0000-0000-${index.toString(16).padStart(12, '0')}`;
  const d = emptyRecord(uuid, 'Domain-0', h.name);
  const vcpus = h.dom0?.vcpus ?? Math.min(4, h.cpu.sockets * h.cpu.cores * h.cpu.threads);
  const memoryKiB = h.dom0?.memoryKiB ?? 2 * 1024 * 1024;
  d.isDom0 = true;
  d.config = {
    guestType: 'pv',
    os: 'debian12',
    vcpus,
    maxVcpus: vcpus,
    memoryKiB,
    maxMemoryKiB: memoryKiB,
    firmware: 'direct',
    machine: 'xenpv',
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'restart',
    workload: 'idle',
    disks: [],
    nics: [],
  };
  d.live = { ...d.config, disks: [], nics: [] };
  d.id = 0;
  d.state = 'running';
  d.reason = 'booted';
  d.startedAt = h.bootedAt;
  d.bootedAt = h.bootedAt;
  return d;
}

function fixtureError(e: unknown, fd: FixtureDomain): never {
  if (isVirError(e)) throw new VirError(e.code, `${e.message} (fixture domain '${fd.name}')`);
  throw e;
}

/**
 * Adds the fixture's domains (starting the running/paused ones with a seeded uptime). A fixture
 * that breaks a hypervisor, storage or network rule is an error; one whose running domains do
 * not fit a host's memory leaves the excess shut off (as a host would have refused them) and
 * returns their names.
 */
export function populate(w: World, f: FixtureWorld): string[] {
  const leftOff: string[] = [];
  const seed = w.s.seed;
  for (const fd of f.domains) {
    let d: DomainRecord;
    try {
      validateName(fd.name);
      if (w.byName.has(fd.name)) throw VirError.of('VIR_ERR_OPERATION_FAILED', `domain '${fd.name}' is defined twice`);
      const host = w.host(fd.host);
      const driver = driverFor(host.hypervisor);
      const config = buildConfig(
        { ...fd, guestType: fd.type },
        host,
        driver,
        (i) => Rng.stream(seed, `mac:${fd.name}:${i}`).mac(driver.macPrefix),
      );
      const uuid = (fd.uuid ?? Rng.stream(seed, `domain:${fd.name}`).uuid()).toLowerCase();
      if (w.byUuid.has(uuid)) throw VirError.of('VIR_ERR_OPERATION_FAILED', `domain '${w.byUuid.get(uuid)!.name}' is already defined with uuid ${uuid}`);
      d = emptyRecord(uuid, fd.name, host.name);
      d.config = config;
      d.persistent = fd.persistent;
      d.autostart = fd.persistent && fd.autostart;
      w.addDomain(d);
      if (fd.state !== 'shut off') {
        checkStart(w, d, { memory: false });
        if (w.memFreeKiB(host) < d.config.memoryKiB) {
          leftOff.push(d.name);
          continue;
        }
        bringUpBackdated(w, d, host);
        if (fd.state === 'paused') {
          d.state = 'paused';
          d.reason = 'user';
          d.pausedAt = w.now;
        }
      }
    } catch (e) {
      fixtureError(e, fd);
    }
  }
  return leftOff;
}

/** Starts a fixture domain as if it had been running for a seeded while (≤ the host's uptime). */
function bringUpBackdated(w: World, d: DomainRecord, host: HostRecord): void {
  const r = Rng.stream(w.s.seed, `uptime:${d.uuid}`);
  const hostUp = w.now - host.bootedAt;
  const minUp = 10 * 60_000;
  const uptime = Math.min(hostUp, Math.round(minUp + Math.pow(r.float(), 2) * Math.max(0, hostUp - minUp)));
  activate(w, d, 'booted', w.now - uptime);
  const live = d.live!;
  const os = findOs(live.os)!;
  d.bootedAt = d.startedAt! + os.bootSeconds * 1000;
  d.cpuTimeNs = backdatedCpuTimeNs(d, w.s.seed, uptime);
}

/** CPU time a domain running for `uptime` ms has used: its workload's mean over 16 points of the uptime. */
function backdatedCpuTimeNs(d: DomainRecord, worldSeed: number, uptime: number): number {
  const live = d.live!;
  const seed = hash32(d.uuid, worldSeed);
  let mean = 0;
  for (let k = 0; k < 16; k++) {
    const t = d.startedAt! + ((k + 0.5) / 16) * uptime;
    for (let v = 0; v < live.vcpus; v++) mean += demandPerVcpu(live.workload, t, seed, v) / 16;
  }
  return Math.round(mean * uptime * 1e6);
}
