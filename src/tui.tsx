// `virtyard` with no subcommand: the full-screen TUI. Renders the App with Ink on the alternate
// screen and guarantees the terminal comes back (cursor shown, alternate screen left, raw mode
// off) on quit, on SIGTERM/SIGHUP and on a crash.
import { render } from 'ink';
import React from 'react';
import type { Connection } from '../engine/index';
import { App } from '../ui/App';
import { Controller } from '../ui/controller';
import type { CommandRunner } from '../ui/runner';
import { UiStore } from '../ui/store/store';

export interface TuiOptions {
  conn: Connection;
  runner: CommandRunner;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Called on every key the user presses (the periodic save waits for a pause). */
  onInput?: () => void;
}

// Ink 6.8 has no alternateScreen option: switch screens ourselves.
const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

export async function startTui(opts: TuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const store = new UiStore(opts.conn);
  const controller = new Controller(store, opts.runner);
  if (opts.onInput) controller.onInput = opts.onInput;

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // stdin already closed: nothing to restore
    }
    try {
      stdout.write(LEAVE_ALT);
    } catch {
      // stdout gone (terminal closed)
    }
  };
  // A signal asks the app to quit normally, so the caller still saves the world afterwards.
  const onSignal = () => controller.quit();
  const onCrash = (e: unknown) => {
    instance.unmount();
    restore();
    process.stderr.write(`error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  };
  process.on('exit', restore);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  stdout.write(ENTER_ALT);
  const instance = render(<App controller={controller} />, {
    stdout,
    stdin,
    exitOnCtrlC: false,
    maxFps: 30,
    incrementalRendering: process.env.VIRTYARD_INCREMENTAL === "1",
  });
  try {
    await instance.waitUntilExit();
  } finally {
    store.dispose();
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}
