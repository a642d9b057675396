// Renders the App in-process with a fake terminal: settable columns/rows, a fake stdin for keys,
// Ink's debug mode (every frame written whole — and frames are still written under CI=true, where
// Ink otherwise hides them). Keys are delivered one write at a time, then we wait one macrotask
// so Ink's pending-Escape flush and React's commit have run: no timers, no sleeps.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import React from 'react';
import type { Connection } from '../../engine/index';
import { App } from '../../ui/App';
import { Controller } from '../../ui/controller';
import type { CommandRunner } from '../../ui/runner';
import { UiStore } from '../../ui/store/store';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  /**
   * keepFrames false: only the last frame is kept (a benchmark's thousands of retained frames
   * would be its garbage collector's work, not the App's).
   */
  constructor(public columns: number, public rows: number, private keepFrames = true) {
    super();
  }
  write(s: string): boolean {
    if (!this.keepFrames) this.frames.length = 0;
    this.frames.push(s);
    return true;
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  private queue: string[] = [];
  setRawMode(on: boolean) {
    this.isRaw = on;
    return this;
  }
  setEncoding() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  send(data: string): void {
    this.queue.push(data);
    this.emit('readable');
  }
}

const SEQ: Record<string, string> = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pgup: '\x1b[5~',
  pgdn: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  space: ' ',
  'ctrl+c': '\x03',
};

export const tick = () => new Promise<void>((r) => setImmediate(r));

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
export const stripAnsi = (s: string) => s.replace(ANSI, '');

export interface Harness {
  stdout: FakeStdout;
  stdin: FakeStdin;
  store: UiStore;
  controller: Controller;
  /** The last frame, ANSI stripped, trailing newline removed. */
  lastFrame(): string;
  /** The last frame with its ANSI codes. */
  rawFrame(): string;
  /** Key names ("j", "down", "enter", "esc", "ctrl+c") or literal characters. */
  press(...keys: string[]): Promise<void>;
  /** Types each character of `text`. */
  type(text: string): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  exited(): boolean;
  unmount(): Promise<void>;
}

export async function renderApp(opts: { conn: Connection; runner: CommandRunner; columns?: number; rows?: number; keepFrames?: boolean }): Promise<Harness> {
  const stdout = new FakeStdout(opts.columns ?? 80, opts.rows ?? 24, opts.keepFrames);
  const stdin = new FakeStdin();
  const store = new UiStore(opts.conn);
  const controller = new Controller(store, opts.runner);
  const instance = render(<App controller={controller} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let exited = false;
  void instance.waitUntilExit().then(() => (exited = true));
  await tick();
  const h: Harness = {
    stdout,
    stdin,
    store,
    controller,
    rawFrame: () => stdout.frames[stdout.frames.length - 1] ?? '',
    lastFrame: () => stripAnsi(h.rawFrame()).replace(/\n$/, ''),
    async press(...keys) {
      for (const k of keys) {
        stdin.send(SEQ[k] ?? k);
        await tick();
      }
      if (store.pending) store.flush();
      await tick();
    },
    async type(text) {
      for (const ch of text) await h.press(ch);
    },
    async resize(columns, rows) {
      stdout.resize(columns, rows);
      await tick();
    },
    exited: () => exited,
    async unmount() {
      instance.unmount();
      store.dispose();
      await tick();
    },
  };
  return h;
}
