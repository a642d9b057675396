// WorldStore: one simulated world persisted in a state directory and shared by every virtyard
// process that opens it (one-shot CLI commands, a running TUI).
//
// Time between calls. The file records `wallAnchor`, the wall-clock instant the world's
// virtual time is synced to. Whenever a process takes the world (open, transact, the TUI's
// ticker) it catches up with elapse(now − wallAnchor): a running clock advances speed × the
// wall time that passed, so a guest told to shut down is off a few seconds later even though
// no process was running in between. A paused clock ignores elapse, so nothing moves except on
// `clock advance`, and scripts that pause the clock are fully deterministic.
//
// Concurrency. Every read-modify-write holds the directory's lock file. The file carries a
// `generation` (+1 per save); a process whose in-memory world is older than the file reloads
// it (in place: sim.loadState emits 'reloaded' so a TUI re-renders) before acting, and a
// periodic save never overwrites a newer generation: it adopts it instead.

import { join } from 'node:path';
import type { EventListener, Unsubscribe } from '../../engine/api/events';
import type { ClockInfo } from '../../engine/api/types';
import { cleanTempFiles, writeFileAtomic, type AtomicWriteHooks } from './atomic';
import { acquireLock } from './lock';
import { encodeStateFile, ensureStateDir, readStateFile, sameSig, statSig, StateFileError, type FileSig } from './state-file';

/** What the store needs of a world (engine/sim's Simulation has all of it). */
export interface PersistableWorld<S> {
  /** The state's JSON text (what restore() gets back, parsed). */
  stateJson(): string;
  /** Replaces the world with `state`, which the store hands over (just parsed: nothing else holds it). */
  loadState(state: S): void;
  elapse(wallMs: number): void;
  clock(): ClockInfo;
  subscribe(listener: EventListener): Unsubscribe;
}

export interface StoreOptions<W extends PersistableWorld<S>, S> {
  dir: string;
  /** The connect URI; a saved world from another URI is refused (use reset). */
  uri: string;
  /** A fresh world (from the fixture). */
  create(): W;
  /** A world from saved state, handed over as loadState's is. */
  restore(state: S): W;
  /** Start again from the fixture even if a world is saved. */
  reset?: boolean;
  /** Wall clock in ms (injected by tests). */
  now?: () => number;
  lockTimeoutMs?: number;
  /** Test hook for crash simulation. */
  writeHooks?: AtomicWriteHooks;
  /**
   * A newly created world is not saved by open() but by the caller's next saveIfDirty()/
   * transact() (the TUI: right after its first frame). Until then nothing the user did is at
   * stake, and if another process creates and saves the world meanwhile, that one is adopted.
   */
  deferCreateSave?: boolean;
}

export const WORLD_FILE = 'world.json';
export const LOCK_FILE = 'world.lock';
/** saveWhenDue waits this many times the last save's duration between saves. */
const SAVE_PACE = 20;
/** A due periodic save waits for a pause this long in the user's input… */
const INPUT_PAUSE_MS = 1500;
/** …but not longer than this past its time. */
const MAX_INPUT_DEFER_MS = 60_000;

export class WorldStore<W extends PersistableWorld<S>, S = unknown> {
  readonly file: string;
  readonly lockFile: string;
  /** How the world was obtained on open. */
  created = false;
  private generation = 0;
  private anchor: number;
  private dirty = false;
  /** Wall ms before which saveWhenDue does not save: SAVE_PACE times the last save's duration after it. */
  private nextPeriodicSave = -Infinity;
  private loading = false;
  /** A world created by this process starts its time at its first use, not at its creation. */
  private startPending = false;
  private sig: FileSig | null = null;
  private stopWatch: (() => void) | null = null;
  private readonly now: () => number;
  private worldRef!: W;

  private constructor(private readonly opts: StoreOptions<W, S>) {
    this.file = join(opts.dir, WORLD_FILE);
    this.lockFile = join(opts.dir, LOCK_FILE);
    this.now = opts.now ?? Date.now;
    this.anchor = this.now();
  }

  /** Opens (or creates) the world in opts.dir, caught up to the wall clock and saved if it moved. */
  static open<W extends PersistableWorld<S>, S>(opts: StoreOptions<W, S>): WorldStore<W, S> {
    ensureStateDir(opts.dir);
    const store = new WorldStore<W, S>(opts);
    store.locked(() => store.init());
    return store;
  }

  get world(): W {
    return this.worldRef;
  }

  /** Generation of the world in memory (the file's, after a load or save). */
  get currentGeneration(): number {
    return this.generation;
  }

  private init(): void {
    cleanTempFiles(this.file);
    const sig = statSig(this.file);
    if (sig && !this.opts.reset) {
      const f = readStateFile<S>(this.file);
      if (f.fixtureUri !== this.opts.uri) {
        throw new StateFileError(
          `the world in ${this.opts.dir} was created from ${f.fixtureUri}, not ${this.opts.uri}; ` +
            `use --reset to replace it or --state to choose another directory`,
        );
      }
      this.adopt(this.restoreSaved(f.state));
      this.generation = f.generation;
      this.anchor = f.wallAnchor;
      this.sig = sig;
      this.catchUp();
    } else {
      // A reset keeps counting generations so watchers of the old file see the new one as newer.
      let previous = 0;
      if (sig) {
        try {
          previous = readStateFile<S>(this.file).generation;
        } catch {
          previous = 0;
        }
      }
      this.adopt(this.opts.create());
      this.generation = previous;
      this.created = true;
      this.startPending = true;
      this.dirty = true;
    }
    // A resumed world that only caught up in time is saved by the transaction or periodic
    // save that follows, not twice; a new world is saved at once (unless deferCreateSave).
    if (this.created && !this.opts.deferCreateSave) this.save();
  }

  /** A saved world this build cannot load (another version, damaged) is a plain error with the way out. */
  private restoreSaved(state: S): W {
    try {
      return this.opts.restore(state);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new StateFileError(`cannot resume the saved world ${this.file}: ${why}; use --reset to start again from the fixture`);
    }
  }

  private adopt(world: W): void {
    this.worldRef = world;
    world.subscribe(() => {
      if (!this.loading) this.dirty = true;
    });
  }

  private locked<T>(fn: () => T): T {
    const release = acquireLock(this.lockFile, { timeoutMs: this.opts.lockTimeoutMs });
    try {
      return fn();
    } finally {
      release();
    }
  }

  /** Brings virtual time up to the wall clock (speed × elapsed wall time, nothing if paused). */
  catchUp(): void {
    const now = this.now();
    if (this.startPending) {
      // Building and saving a new world takes wall time that must not move it: otherwise
      // `--reset clock pause` would pause a few milliseconds after the fixture's start,
      // differently on every run.
      this.startPending = false;
      this.anchor = now;
      return;
    }
    const delta = now - this.anchor;
    this.anchor = now;
    if (delta > 0) this.advanceWall(delta);
  }

  /** Lets `wallMs` of real time pass without locking (the TUI's ticker). */
  elapse(wallMs: number): void {
    if (this.startPending) {
      this.startPending = false;
      this.anchor = this.now() - wallMs;
    }
    this.anchor += wallMs;
    if (wallMs > 0) this.advanceWall(wallMs);
  }

  private advanceWall(wallMs: number): void {
    if (this.worldRef.clock().paused) return;
    this.worldRef.elapse(wallMs);
    this.dirty = true;
  }

  /** Reloads the file in place if another process saved a newer generation. Returns true if it did. */
  private refresh(): boolean {
    const sig = statSig(this.file);
    if (sig === null || sameSig(sig, this.sig)) return false;
    const f = readStateFile<S>(this.file);
    this.sig = sig;
    if (f.generation <= this.generation) return false;
    this.loading = true;
    try {
      this.worldRef.loadState(f.state);
    } finally {
      this.loading = false;
    }
    this.generation = f.generation;
    this.anchor = f.wallAnchor;
    this.startPending = false;
    this.dirty = false;
    return true;
  }

  private save(): void {
    const start = this.now();
    this.generation += 1;
    const text = encodeStateFile(
      { fixtureUri: this.opts.uri, generation: this.generation, wallAnchor: this.anchor, stateJson: this.worldRef.stateJson() },
      this.now(),
    );
    writeFileAtomic(this.file, text, this.opts.writeHooks);
    this.sig = statSig(this.file);
    this.dirty = false;
    const end = this.now();
    this.nextPeriodicSave = end + SAVE_PACE * (end - start);
  }

  /**
   * One read-modify-write: lock → adopt a newer saved world → catch up with the wall clock
   * → fn → save if anything changed → unlock.
   */
  transact<T>(fn: () => T): T {
    return this.locked(() => {
      this.refresh();
      this.catchUp();
      try {
        return fn();
      } finally {
        if (this.dirty) this.save();
      }
    });
  }

  /** Periodic/exit save. If another process saved a newer world meanwhile, adopt it instead. */
  saveIfDirty(): void {
    if (!this.dirty) return;
    this.locked(() => {
      if (this.refresh()) {
        this.catchUp();
        return;
      }
      if (this.dirty) this.save();
    });
  }

  /**
   * The TUI's periodic save: saveIfDirty, but not within SAVE_PACE save-times of the last save, so
   * saving takes at most ~5% of the TUI's time however big the world (a 20,000-domain save, 45 MB
   * written and synced, takes ~1 s). Nothing is at stake meanwhile: commands save through
   * transact(), and the time that passed is caught up from the saved wall anchor by whichever
   * process takes the world next. A save stalls the process while it runs, so one that falls due
   * while the user types (`lastInputAt`, wall ms) waits for a pause, up to a minute.
   */
  saveWhenDue(lastInputAt = -Infinity): void {
    const now = this.now();
    if (now < this.nextPeriodicSave) return;
    if (now - lastInputAt < INPUT_PAUSE_MS && now < this.nextPeriodicSave + MAX_INPUT_DEFER_MS) return;
    this.saveIfDirty();
  }

  /** Polls the file and reloads the world in place when another process wrote a newer one. */
  watch(intervalMs = 300, onError?: (e: Error) => void): () => void {
    this.stopWatch?.();
    const timer = setInterval(() => {
      try {
        if (this.refresh()) this.catchUp();
      } catch (e) {
        onError?.(e as Error);
      }
    }, intervalMs);
    timer.unref();
    this.stopWatch = () => clearInterval(timer);
    return this.stopWatch;
  }

  /** Stops watching and saves what is left. */
  close(): void {
    this.stopWatch?.();
    this.stopWatch = null;
    this.saveIfDirty();
  }

  /** Test aid: a poll step of watch(), run synchronously. */
  pollOnce(): boolean {
    const reloaded = this.refresh();
    if (reloaded) this.catchUp();
    return reloaded;
  }
}
