// The guests of a world: their console output, boot and shutdown logs, and serial shells, kept
// in step with the lifecycle by listening to the world's events. Output is timed on the virtual
// clock but released lazily: a domain's due output moves into its ring when something looks at
// it or happens to it, and when a timer fires for an action that must change the world on time
// (power-off, panic, end of a stress run, a dd completing). Nothing runs for domains nobody
// watches, so a large world pays only for what is used.

import { VirError } from '../../api/errors';
import type { WorldEvent } from '../../api/events';
import type { ConsoleState } from '../../api/types';
import { appendRing, emptyRing, RING_CAPACITY } from '../console/ring';
import { bootMs as osBootMs, changed, crashHook, guestPoweredOffHook, rebootHook, shutdownMs } from './runstate-bridge';
import { armTimer } from '../timers';
import type { World } from '../world/world';
import type { DomainRecord, Timer } from '../world/state';
import { consoleDevice, gatherFacts } from './facts';
import { findOs, type OsEntry } from './oscatalog';
import type { ShellCtx } from './shell/context';
import { feed, showPrompt } from './shell/shell';
import { shutdownTranscript, type DownKind } from './shutdown';
import { DEFAULT_USERS, newShell, type GuestAction, type GuestConsole, type GuestWorld, type Pending } from './state';
import { bootTranscript } from './transcript';
import type { TimedLine } from './timeline';

type Watcher = (text: string) => void;

export class GuestSystem {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private flushing = new Set<string>();

  constructor(private readonly w: World) {
    w.bus.subscribe((e) => this.onEvent(e));
    w.beforeStop = (d) => this.recordLastOutput(d);
  }

  /** The guests' part of the state (created on first use; older saved worlds have none). */
  get gw(): GuestWorld {
    const s = this.w.s;
    return (s.guest ??= { consoles: {}, leases: {} });
  }

  users() {
    return this.gw.users?.length ? this.gw.users : DEFAULT_USERS;
  }

  // ── console access ────────────────────────────────────────────────────────

  /** The domain's console, caught up to now (history synthesised on first sight). */
  console(d: DomainRecord): GuestConsole {
    const g = this.ensure(d);
    this.flush(d, g);
    return g;
  }

  /**
   * A run is ending: what the guest printed up to now goes into the ring, so the console of a
   * shut-off domain shows its last output even if nobody ever looked. Text only: the run's
   * pending actions end with it (performing them here would re-enter the lifecycle).
   */
  private recordLastOutput(d: DomainRecord): void {
    if (!d.isDom0) this.releaseDueText(d, this.ensure(d));
  }

  private releaseDueText(d: DomainRecord, g: GuestConsole): void {
    const limit = g.frozenAt ?? this.w.now;
    while (g.queue.length && g.queue[0].at <= limit) {
      const p = g.queue.shift()!;
      if (p.text) this.emit(d.uuid, g, p.text);
    }
  }

  /** The domain's console record, created (with its current run's history queued) on first sight. */
  private ensure(d: DomainRecord): GuestConsole {
    let g = this.gw.consoles[d.uuid];
    if (!g) {
      g = { ring: emptyRing(), queue: [], frozenAt: null, bootAt: null, shell: newShell() };
      this.gw.consoles[d.uuid] = g;
      if (d.live && d.startedAt !== null && !d.isDom0) {
        this.newBoot(d, g, d.startedAt);
        if (d.state === 'paused') g.frozenAt = d.pausedAt ?? this.w.now;
        if (d.state === 'in shutdown' || d.rebooting) {
          this.releaseDueText(d, g); // what it printed before going down stays on the console
          this.goingDown(d, g, d.rebooting ? 'reboot' : 'poweroff', true);
        }
      }
    }
    return g;
  }

  watch(uuid: string, fn: Watcher): () => void {
    let set = this.watchers.get(uuid);
    if (!set) this.watchers.set(uuid, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size) this.watchers.delete(uuid);
    };
  }

  attached(uuid: string): number {
    return this.watchers.get(uuid)?.size ?? 0;
  }

  state(d: DomainRecord): ConsoleState {
    const cfg = d.live ?? d.config;
    const os = findOs(cfg.os)!;
    const g = d.isDom0 ? null : this.console(d);
    return {
      domain: d.name,
      available: os.serialConsole && !d.isDom0,
      running: d.state === 'running' || d.state === 'in shutdown',
      device: consoleDevice(this.w.host(d.host).hypervisor, cfg.guestType, os),
      recordedBytes: g?.ring.data.length ?? 0,
      capacityBytes: RING_CAPACITY,
      attached: this.attached(d.uuid),
    };
  }

  /** Keys typed on the console. Ignored while the guest cannot read its serial line. */
  input(d: DomainRecord, data: string): void {
    if (d.isDom0) throw VirError.of('VIR_ERR_OPERATION_INVALID', `Domain-0 on host '${d.host}' has no serial console in virtyard`);
    const g = this.console(d);
    if (d.state !== 'running' || g.frozenAt !== null) return;
    feed(this.ctx(d, g), data);
  }

  /** Output that did not come from the guest's own logic (tests: a hostile byte corpus). */
  inject(d: DomainRecord, text: string): void {
    this.emit(d.uuid, this.console(d), text);
  }

  // ── time ──────────────────────────────────────────────────────────────────

  /** Due output/actions of every watched console (called as the clock advances). */
  flushWatched(): void {
    for (const uuid of [...this.watchers.keys()]) {
      const d = this.w.byUuid.get(uuid);
      const g = this.gw.consoles[uuid];
      if (d && g) this.flush(d, g);
    }
  }

  onTimer(t: Timer): void {
    if (t.kind !== 'guest') return;
    const d = this.w.byUuid.get(t.uuid);
    const g = this.gw.consoles[t.uuid];
    if (d && g) this.flush(d, g);
  }

  private flush(d: DomainRecord, g: GuestConsole): void {
    if (this.flushing.has(d.uuid)) return; // an action's own events re-enter: the outer loop continues
    this.flushing.add(d.uuid);
    try {
      for (;;) {
        const limit = g.frozenAt ?? this.w.now;
        const next = g.queue[0];
        if (!next || next.at > limit) break;
        g.queue.shift();
        if (next.text) this.emit(d.uuid, g, next.text);
        if (next.act) this.perform(d, g, next.act);
        if (this.gw.consoles[d.uuid] !== g) break; // the domain vanished
      }
    } finally {
      this.flushing.delete(d.uuid);
    }
  }

  private emit(uuid: string, g: GuestConsole, text: string): void {
    appendRing(g.ring, text);
    const set = this.watchers.get(uuid);
    if (set) for (const fn of [...set]) fn(text);
  }

  private schedule(d: DomainRecord, g: GuestConsole, p: Pending): void {
    // keep time order; equal times stay in insertion order
    let i = g.queue.length;
    while (i > 0 && g.queue[i - 1].at > p.at) i--;
    g.queue.splice(i, 0, p);
    if (p.act && g.frozenAt === null) armTimer(this.w.s, Math.max(p.at, this.w.now), 'guest', d.uuid, 0);
  }

  private scheduleLines(d: DomainRecord, g: GuestConsole, lines: TimedLine[], base: number): void {
    for (const l of lines) this.schedule(d, g, { at: base + l.at, text: l.open ? l.text : l.text + '\r\n' });
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────

  private newBoot(d: DomainRecord, g: GuestConsole, at: number): void {
    const os = findOs((d.live ?? d.config).os)!;
    g.queue = [];
    g.bootAt = at;
    const history = g.shell.history;
    const files = g.shell.files;
    g.shell = { ...newShell(), history, files, stage: 'boot' };
    if (d.loadOverride) d.loadOverride = null;
    const duration = Math.max(0, (d.bootedAt ?? at + osBootMs(d)) - at);
    const facts = gatherFacts(this.w, this.gw, d);
    // The last run may have ended mid-line (at a prompt): the new boot starts on a line of its own.
    if (g.ring.data && !g.ring.data.endsWith('\n')) this.schedule(d, g, { at, text: '\r\n' });
    this.scheduleLines(d, g, bootTranscript(facts, duration, this.users()), at);
    if (os.serialConsole) this.schedule(d, g, { at: at + duration, act: { kind: 'login-ready' } });
  }

  private goingDown(d: DomainRecord, g: GuestConsole, kind: DownKind, acpi: boolean): void {
    const os = findOs(d.live!.os)!;
    // Output the guest would still print before going down is cut: the shell is gone.
    g.queue = g.queue.filter((p) => p.act?.kind === 'disk-write' || p.act?.kind === 'unload');
    g.shell.stage = 'down';
    const start = Math.max(this.w.now, d.bootedAt ?? this.w.now);
    this.scheduleLines(d, g, shutdownTranscript(os, kind, acpi, start, shutdownMs(d), g.bootAt ?? d.startedAt ?? start), 0);
  }

  private stopped(d: DomainRecord, g: GuestConsole, keepShell: boolean): void {
    g.queue = [];
    g.frozenAt = null;
    if (!keepShell) g.shell.stage = 'off';
    if (d.loadOverride) d.loadOverride = null;
  }

  private onEvent(e: WorldEvent): void {
    if (e.type === 'clock') {
      if (e.what === 'advanced') this.flushWatched();
      return;
    }
    if (e.type !== 'domain.lifecycle' && e.type !== 'domain.changed') return;
    const d = this.w.byUuid.get(e.uuid);
    const gw = this.gw;
    if (!d) {
      delete gw.consoles[e.uuid];
      const set = this.watchers.get(e.uuid);
      if (set) for (const fn of [...set]) fn('');
      return;
    }
    if (d.isDom0) return;
    const known = gw.consoles[e.uuid];
    const g = this.console(d); // on first sight this already reflects the new state
    if (!known) return;
    if (e.type === 'domain.lifecycle') {
      switch (e.event) {
        case 'started':
          if (e.detail === 'booted') this.newBoot(d, g, d.startedAt ?? this.w.now);
          else if (g.shell.stage === 'busy') showPrompt(this.ctx(d, g));
          break;
        case 'stopped':
          this.stopped(d, g, e.detail === 'saved');
          break;
        case 'shutdown':
          if (e.detail === 'host') this.goingDown(d, g, 'poweroff', true);
          else this.stopped(d, g, false);
          break;
        case 'crashed':
          if (d.state === 'running') this.newBoot(d, g, this.w.now);
          else this.stopped(d, g, false);
          break;
        case 'suspended':
          g.frozenAt = this.w.now;
          break;
        case 'resumed':
          this.thaw(d, g);
          if (d.rebooting && g.shell.stage !== 'down') this.goingDown(d, g, 'reboot', true);
          break;
      }
    } else {
      switch (e.what) {
        case 'reboot':
          if (d.rebooting && g.shell.stage !== 'down') this.goingDown(d, g, 'reboot', true);
          break;
        case 'rebooted':
        case 'restart':
          this.newBoot(d, g, this.w.now);
          break;
        case 'reset':
          if (d.state === 'running') this.newBoot(d, g, this.w.now);
          else if (d.state === 'paused' && d.reason !== 'crashed') {
            this.newBoot(d, g, d.pausedAt ?? this.w.now);
            g.frozenAt = d.pausedAt ?? this.w.now;
          } else this.stopped(d, g, false);
          break;
      }
    }
  }

  /** Resume: the guest's pending timeline moves by the time it stood still. */
  private thaw(d: DomainRecord, g: GuestConsole): void {
    if (g.frozenAt === null) return;
    const shift = this.w.now - g.frozenAt;
    g.frozenAt = null;
    for (const p of g.queue) {
      p.at += shift;
      if (p.act) armTimer(this.w.s, p.at, 'guest', d.uuid, 0);
    }
  }

  // ── actions ───────────────────────────────────────────────────────────────

  private perform(d: DomainRecord, g: GuestConsole, a: GuestAction): void {
    const ctx = this.ctx(d, g);
    switch (a.kind) {
      case 'login-ready':
        if (g.shell.stage === 'boot') g.shell.stage = 'login';
        break;
      case 'prompt':
        if (g.shell.stage === 'busy') showPrompt(ctx);
        break;
      case 'resize-timeout':
        if (g.shell.awaitingCpr) {
          g.shell.awaitingCpr = false;
          ctx.out('\x1b8resize: Time out occurred\r\n');
          showPrompt(ctx);
        }
        break;
      case 'unload':
        if (d.loadOverride) {
          d.loadOverride = null;
          this.w.touch(d);
          changed(this.w, d, 'load', `Domain '${d.name}': stress finished`);
        }
        break;
      case 'disk-write': {
        const vol = this.w.volume(a.pool, a.volume);
        if (!vol) break;
        const next = Math.min(vol.capacityBytes, vol.allocationBytes + a.bytes);
        if (next === vol.allocationBytes) break;
        vol.allocationBytes = next;
        this.w.touch(d);
        changed(this.w, d, 'disk', `Domain '${d.name}' wrote ${a.bytes} bytes to ${a.pool}/${a.volume}`);
        break;
      }
      case 'poweroff':
        if (d.state === 'running' && d.live) guestPoweredOffHook(this.w, d);
        break;
      case 'panic':
        if (d.state === 'running') crashHook(this.w, d);
        break;
    }
  }

  private ctx(d: DomainRecord, g: GuestConsole): ShellCtx {
    const os: OsEntry = findOs(d.live!.os)!;
    const self = this;
    return {
      w: this.w, d, g, gw: this.gw, os, users: this.users(),
      out: (text) => self.emit(d.uuid, g, text),
      later: (ms, text, act) => self.schedule(d, g, { at: this.w.now + ms, text, act }),
      facts: () => gatherFacts(self.w, self.gw, d, false),
      uptimeMs: () => self.w.now - (g.bootAt ?? d.startedAt ?? self.w.now),
      note: (message) => changed(self.w, d, 'console', `Domain '${d.name}' console: ${message}`),
      goDown: (kind) => {
        // `halt` on a VM ends like poweroff here: a halted guest would otherwise sit "running" forever.
        self.goingDown(d, g, kind === 'reboot' ? 'reboot' : 'poweroff', false);
        if (kind === 'reboot') return rebootHook(self.w, d);
        const end = g.queue.length ? g.queue[g.queue.length - 1].at : self.w.now;
        self.schedule(d, g, { at: end, act: { kind: 'poweroff' } });
      },
    };
  }
}
