// The simulated datacenter behind the Connection contract. It owns the World (state + indexes),
// the read caches and the CPU scheduler (compute/); the verbs live in domains/*, the rules in
// hypervisors/*. Every mutating call validates, applies, emits one event; errors change nothing.

import type { Connection } from '../api/connection';
import { VirError } from '../api/errors';
import type { EventListener, Unsubscribe, WorldEvent } from '../api/events';
import type {
  ClockInfo,
  DomainDef,
  DomainInfo,
  DomainLoad,
  DomainSamples,
  HostInfo,
  ModifyFlags,
  NetworkInfo,
  NodeInfo,
  PoolInfo,
  VersionInfo,
  VolumeInfo,
  WorkloadProfile,
  VcpuInfo,
  SchedulerInfo,
  DomainStatsGroup,
  DomainStatsRecord,
  MemoryStat,
  NodeCpuStats,
  NodeMemoryStats,
  DomainCpuStats,
  VcpuHistory,
  HostCpuMap,
  FleetLoad,
} from '../api/types';
import * as reads from './compute/reads';
import type { StepPoolStats } from './compute/parallel';
import type { Layout } from './compute/layout';
import { Scheduler } from './compute/scheduler';
import * as tuning from './compute/tuning';
import { WORKLOADS } from './domains/config';
import { define, rename, undefine } from './domains/identity';
import * as life from './domains/lifecycle';
import { resolveDomain } from './domains/lookup';
import { setMaxMemory, setMemory, setVcpus } from './domains/resize';
import { changed } from './domains/runstate';
import { DomainViews } from './domains/view';
import { HostViews, listNetworks, listPools, listVolumes, nodeInfo } from './hosts/view';
import { driverFor } from './hypervisors';
import { nextTimerAt, popTimer } from './timers';
import type { SimState } from './world/state';
import { SIM_STATE_VERSION } from './world/state';
import { World } from './world/world';
import { GuestSystem } from './guest/guests';
import { ConsoleSessionImpl } from './console/session';
import type { ConsoleOpenOptions, ConsoleSession } from '../api/console';
import type { ConsoleState } from '../api/types';

export const LIBRARY_VERSION = '10.0.0';
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MAX_SPEED = 1000;

export interface SimulationOptions {
  uri: string;
  /** Compute worker threads for the scheduler's steps (compute/parallel.ts); default: automatic. */
  computeWorkers?: number;
}

export class Simulation implements Connection {
  private readonly w: World;
  private readonly domains: DomainViews;
  private readonly hostViews: HostViews;
  private readonly guests: GuestSystem;
  private readonly sched: Scheduler;
  private fleet: { version: number; load: FleetLoad } | null = null;

  /** Use createSimulation() or Simulation.fromState(). */
  constructor(state: SimState, private readonly opts: SimulationOptions) {
    checkState(state);
    this.w = new World(state);
    this.domains = new DomainViews(this.w, () => this.sched.syncRecords());
    this.hostViews = new HostViews(this.w);
    this.guests = new GuestSystem(this.w);
    this.sched = new Scheduler(this.w, opts.computeWorkers);
  }

  /** A world from a copy of saved state (the caller keeps its object). */
  static fromState(state: SimState, opts: SimulationOptions): Simulation {
    return Simulation.adopt(structuredClone(state), opts);
  }

  /**
   * A world over saved state itself, which the caller hands over (a state just parsed from a file):
   * at 20,000 domains the copy fromState makes is ~0.6 s of a TUI's start.
   */
  static adopt(state: SimState, opts: SimulationOptions): Simulation {
    const sim = new Simulation(state, opts);
    sim.sched.restored();
    return sim;
  }

  /** The whole world as plain JSON (a deep copy). */
  toState(): SimState {
    return structuredClone(this.flushedState());
  }

  /**
   * JSON.stringify(toState()) without the copy: what a save writes. The copy was three quarters
   * of a save (1.7 of 2.2 s at 20,000 domains), and the text of the live state is the same text.
   */
  stateJson(): string {
    return JSON.stringify(this.flushedState());
  }

  /** The live state with the scheduler's counters (kept in typed arrays) written into it. */
  private flushedState(): SimState {
    this.sched.flush();
    return this.w.s;
  }

  /**
   * Replaces the world in place (subscribers stay) with `state` itself, which the caller hands over
   * (as adopt does), then emits one world 'reloaded' event.
   */
  loadState(state: SimState): void {
    checkState(state);
    this.w.replace(state);
    this.sched.restored();
    this.fleet = null;
    this.domains.reset();
    this.hostViews.reset();
    this.w.bus.emit({ type: 'world', what: 'reloaded', message: 'World reloaded from saved state' });
  }

  /** Internal to engine/sim: world construction and later subsystems (guest panic, consoles). */
  get world(): World {
    return this.w;
  }

  /** @internal world creation: statistics at the start instant. */
  primeStatistics(): void {
    this.sched.sampleNow(this.w.now);
  }

  // ── connection ────────────────────────────────────────────────────────────
  uri(): string {
    return this.opts.uri;
  }

  hostname(): string {
    const h = this.w.s.hosts[0];
    if (!h) throw VirError.of('VIR_ERR_NO_NODE', 'the world has no hosts');
    return h.name;
  }

  version(): VersionInfo {
    const first = this.w.s.hosts[0];
    const d = driverFor(first?.hypervisor ?? 'kvm');
    return { library: LIBRARY_VERSION, api: LIBRARY_VERSION, hypervisorName: d.hypervisorName, hypervisorVersion: d.hypervisorVersion };
  }

  // ── reads ─────────────────────────────────────────────────────────────────
  listHosts(): HostInfo[] {
    return this.hostViews.all();
  }

  getHost(name: string): HostInfo {
    return this.hostViews.get(name);
  }

  nodeInfo(host?: string): NodeInfo {
    return nodeInfo(this.w, host);
  }

  listDomains(opts: { sampled?: boolean } = {}): DomainInfo[] {
    return this.domains.all(opts.sampled ?? true);
  }

  domainSamples(): DomainSamples {
    // Straight from the scheduler's arrays while only samples changed the world, else from the records.
    return this.sched.publishedSamples() ?? this.domains.samples();
  }

  lookupDomain(ref: string): DomainInfo {
    return this.domains.info(resolveDomain(this.w, ref));
  }

  listNetworks(): NetworkInfo[] {
    return listNetworks(this.w);
  }

  listPools(): PoolInfo[] {
    return listPools(this.w);
  }

  listVolumes(pool: string): VolumeInfo[] {
    return listVolumes(this.w, pool);
  }

  clock(): ClockInfo {
    const c = this.w.s.clock;
    return { now: c.now, speed: c.speed, paused: c.paused, seed: this.w.s.seed };
  }

  recentEvents(limit?: number): WorldEvent[] {
    return this.w.bus.recent(limit);
  }

  // ── domain lifecycle ─────────────────────────────────────────────────────
  defineDomain(def: DomainDef): DomainInfo {
    return this.domains.info(define(this.w, def));
  }

  undefineDomain(ref: string, opts?: { managedSave?: boolean }): void {
    undefine(this.w, this.dom(ref), opts);
  }

  startDomain(ref: string): void {
    life.start(this.w, this.dom(ref));
  }

  shutdownDomain(ref: string): void {
    life.shutdown(this.w, this.dom(ref));
  }

  destroyDomain(ref: string): void {
    life.destroy(this.w, this.dom(ref));
  }

  rebootDomain(ref: string): void {
    life.reboot(this.w, this.dom(ref));
  }

  resetDomain(ref: string): void {
    life.reset(this.w, this.dom(ref));
  }

  suspendDomain(ref: string): void {
    life.suspend(this.w, this.dom(ref));
  }

  resumeDomain(ref: string): void {
    life.resume(this.w, this.dom(ref));
  }

  managedSave(ref: string): void {
    life.managedSave(this.w, this.dom(ref));
  }

  managedSaveRemove(ref: string): void {
    life.managedSaveRemove(this.w, this.dom(ref));
  }

  setAutostart(ref: string, on: boolean): void {
    life.setAutostart(this.w, this.dom(ref), !!on);
  }

  setVcpus(ref: string, count: number, flags?: ModifyFlags): void {
    setVcpus(this.w, this.dom(ref), count, flags);
  }

  setMemory(ref: string, kib: number, flags?: ModifyFlags): void {
    setMemory(this.w, this.dom(ref), kib, flags);
  }

  setMaxMemory(ref: string, kib: number, flags?: ModifyFlags): void {
    setMaxMemory(this.w, this.dom(ref), kib, flags);
  }

  renameDomain(ref: string, newName: string): void {
    rename(this.w, this.dom(ref), newName);
  }

  setWorkload(ref: string, profile: WorkloadProfile): void {
    const d = this.dom(ref);
    if (!WORKLOADS.includes(profile)) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `unknown workload profile '${profile}' (expected ${WORKLOADS.join(', ')})`);
    }
    if (d.isDom0) life.refuseDom0(d, 'set the workload of');
    const cur = d.live ?? d.config;
    if (cur.workload === profile && d.config.workload === profile) return;
    // A workload is what runs inside the guest: it applies now and to later boots alike.
    if (d.live) d.live.workload = profile;
    d.config.workload = profile;
    this.w.touch(d);
    changed(this.w, d, 'workload', `Domain '${d.name}' workload set to ${profile}`);
  }

  /** Guest kernel panic (not part of Connection): honours on_crash. */
  crashDomain(ref: string): void {
    life.crash(this.w, this.dom(ref));
  }

  // ── compute ──────────────────────────────────────────────────────────────
  vcpuInfo(ref: string): VcpuInfo[] {
    return reads.vcpuInfo(this.w, this.sched, this.dom(ref));
  }

  vcpuPinInfo(ref: string, flags?: ModifyFlags): string[] {
    return tuning.vcpuPinInfo(this.w, this.dom(ref), flags);
  }

  pinVcpu(ref: string, vcpu: number, cpulist: string, flags?: ModifyFlags): void {
    if (tuning.pinVcpu(this.w, this.dom(ref), vcpu, cpulist, flags)) this.sched.invalidate();
  }

  emulatorPinInfo(ref: string, flags?: ModifyFlags): string {
    return tuning.emulatorPinInfo(this.w, this.dom(ref), flags);
  }

  pinEmulator(ref: string, cpulist: string, flags?: ModifyFlags): void {
    if (tuning.pinEmulator(this.w, this.dom(ref), cpulist, flags)) this.sched.invalidate();
  }

  schedulerInfo(ref: string, flags?: ModifyFlags): SchedulerInfo {
    return tuning.schedulerInfo(this.w, this.dom(ref), flags);
  }

  setSchedulerParams(ref: string, params: Record<string, number>, flags?: ModifyFlags): void {
    if (tuning.setSchedulerParams(this.w, this.dom(ref), params, flags)) this.sched.invalidate();
  }

  domainStats(refs?: string[], groups?: DomainStatsGroup[]): DomainStatsRecord[] {
    const want = groups && groups.length ? groups : reads.ALL_STATS_GROUPS;
    for (const g of want) {
      if (!['state', 'cpu-total', 'balloon', 'vcpu', 'dirtyrate'].includes(g)) {
        throw VirError.of('VIR_ERR_INVALID_ARG', `unknown stats group '${g}'`);
      }
    }
    const list = refs && refs.length ? refs.map((r) => this.dom(r)) : this.domains.all().map((i) => this.w.byUuid.get(i.uuid)!);
    return list.map((d) => reads.domainStats(this.w, this.sched, d, want));
  }

  memoryStats(ref: string): MemoryStat[] {
    return reads.memoryStats(this.w, this.sched, this.dom(ref));
  }

  nodeCpuStats(opts?: { host?: string; cpu?: number }): NodeCpuStats {
    return reads.nodeCpuStats(this.w, this.sched, opts);
  }

  nodeMemoryStats(host?: string): NodeMemoryStats {
    return reads.nodeMemoryStats(this.w, host);
  }

  cpuStats(ref: string): DomainCpuStats {
    return reads.cpuStats(this.w, this.sched, this.dom(ref));
  }

  vcpuHistory(ref: string): VcpuHistory {
    return reads.vcpuHistory(this.w, this.sched, this.dom(ref));
  }

  hostCpuMap(host: string): HostCpuMap {
    return reads.hostCpuMap(this.w, this.sched, host);
  }

  /** How the scheduler's steps are shared out between threads (benchmarks and tests). */
  computeParallelism(): StepPoolStats {
    return this.sched.parallelism();
  }

  fleetLoad(): FleetLoad {
    const l = this.sched.current();
    this.sched.syncRecords();
    const version = this.sched.sampleVersion * 1_000_003 + this.w.orderVersion;
    if (this.fleet && this.fleet.version === version) return this.fleet.load;
    const order = Array.from(l.doms.keys()).sort((a, b) => l.domHost[a] - l.domHost[b] || a - b);
    const load: FleetLoad = { time: this.sched.lastStepAt, rows: order.map((i) => this.loadOf(l, i)) };
    this.fleet = { version, load };
    return load;
  }

  domainLoad(ref: string): DomainLoad | null {
    const d = this.dom(ref);
    const l = this.sched.current();
    const i = l.slotOf.get(d);
    if (i === undefined) return null;
    this.sched.syncRecord(i); // its CPU%, not 20,000 records'
    return this.loadOf(l, i);
  }

  /** The load row of the layout's domain i. */
  private loadOf(l: Layout, i: number): DomainLoad {
    const d = l.doms[i];
    const n = l.domVcpus[i];
    const off = l.domVcpuOff[i];
    const busy: number[] = [];
    const steal: number[] = [];
    for (let v = 0; v < n; v++) {
      const e = l.vcpuEnt[off + v];
      busy.push(this.sched.alloc[e]);
      steal.push(this.sched.eff[e] - this.sched.alloc[e]);
    }
    const stolen = steal.reduce((a, b) => a + b, 0);
    return { domain: d.name, host: d.host, cpuPercent: d.cpuPercent, stealPercent: Math.round(stolen * 1000) / 10, busy, steal };
  }

  // ── time ─────────────────────────────────────────────────────────────────
  pauseClock(): void {
    const c = this.w.s.clock;
    if (c.paused) return;
    c.paused = true;
    this.w.bus.emit({ type: 'clock', what: 'paused', message: 'Clock paused' });
  }

  resumeClock(): void {
    const c = this.w.s.clock;
    if (!c.paused) return;
    c.paused = false;
    this.w.bus.emit({ type: 'clock', what: 'resumed', message: 'Clock resumed' });
  }

  setClockSpeed(speed: number): void {
    if (!Number.isInteger(speed) || speed < 1 || speed > MAX_SPEED) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `clock speed must be a whole number from 1 to ${MAX_SPEED}, got ${speed}`);
    }
    const c = this.w.s.clock;
    if (c.speed === speed) return;
    c.speed = speed;
    this.w.bus.emit({ type: 'clock', what: 'speed', message: `Clock speed set to ${speed}×` });
  }

  advance(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `advance needs a non-negative whole number of milliseconds, got ${ms}`);
    }
    if (ms === 0) return;
    const s = this.w.s;
    const end = s.clock.now + ms;
    // Beyond this, times no longer format as dates (and a saved world would be unusable).
    if (end > LAST_INSTANT) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `cannot advance the clock by ${ms} ms: virtual time would pass 9999-12-31 23:59:59 UTC`);
    }
    for (let at = nextTimerAt(s); at !== null && at <= end; at = nextTimerAt(s)) {
      const timer = popTimer(s)!;
      if (timer.at > s.clock.now) {
        this.sched.advanceTo(timer.at);
        s.clock.now = timer.at;
      }
      life.fireTimer(this.w, timer);
      this.guests.onTimer(timer);
    }
    this.sched.advanceTo(end);
    s.clock.now = end;
    this.w.bus.emit({ type: 'clock', what: 'advanced', message: `Clock advanced ${ms} ms` });
  }

  elapse(wallMs: number): void {
    if (!Number.isFinite(wallMs) || wallMs < 0) {
      throw VirError.of('VIR_ERR_INVALID_ARG', `elapsed wall time must be a non-negative number of milliseconds, got ${wallMs}`);
    }
    const c = this.w.s.clock;
    if (c.paused) return;
    const exact = c.speed * wallMs + c.carry;
    const ms = Math.floor(exact);
    c.carry = exact - ms;
    this.advance(ms);
  }

  // ── events ───────────────────────────────────────────────────────────────
  subscribe(listener: EventListener): Unsubscribe {
    return this.w.bus.subscribe(listener);
  }

  // ── serial consoles ───────────────────────────────────────────────────────
  /** virsh console: a session on the domain's serial console (a shut-off domain shows its last output). */
  openConsole(ref: string, opts: ConsoleOpenOptions): ConsoleSession {
    const d = this.dom(ref);
    if (d.isDom0) throw VirError.of('VIR_ERR_OPERATION_INVALID', `Domain-0 on host '${d.host}' has no serial console in virtyard`);
    // The guest shell reads its record's figures (uptime, top): current from now on.
    this.sched.syncRecords();
    try {
      return new ConsoleSessionImpl(this.w, this.guests, d.uuid, opts);
    } catch (e) {
      if (e instanceof RangeError) throw VirError.of('VIR_ERR_INVALID_ARG', e.message);
      throw e;
    }
  }

  consoleState(ref: string): ConsoleState {
    const d = this.dom(ref);
    this.sched.syncRecords();
    return this.guests.state(d);
  }

  /** @internal tests and benchmarks: output as if the guest had written it (e.g. hostile bytes). */
  injectConsoleOutput(ref: string, text: string): void {
    this.guests.inject(this.dom(ref), text);
  }

  private dom(ref: string) {
    return resolveDomain(this.w, ref);
  }
}

function checkState(state: SimState): void {
  if (!state || typeof state !== 'object' || !Array.isArray(state.domains) || !Array.isArray(state.hosts)) {
    throw VirError.of('VIR_ERR_INTERNAL_ERROR', 'saved world state is not a virtyard world');
  }
  if (state.version !== SIM_STATE_VERSION) {
    throw VirError.of('VIR_ERR_INTERNAL_ERROR', `saved world state has version ${state.version}, this virtyard reads version ${SIM_STATE_VERSION}`);
  }
}
