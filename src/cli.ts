// The `virtyard` entry point (bundled to dist/virtyard.js):
//   virtyard [global options]                  the TUI on the world
//   virtyard [global options] virsh CMD [ARG…]  one virsh command (or a ';'-separated list)
//   virtyard [global options] clock ACTION [V]  the virtual clock (same as `virsh clock …`)
//   virtyard img …                              qemu-img compatible image tool
// Users never see a stack trace: unexpected exceptions print `error: internal error: …`
// (VIRTYARD_DEBUG=1 adds the stack).

import pkg from '../package.json';
import type { Connection } from '../engine/api/connection';
import { FixtureError } from '../engine/sim/fixture/index';
import { createRunner } from './commands/runner';
import { reportError, runParsed, type Io } from './commands/run';
import { parseScript } from './commands/run';
import { CommandError, toCommandError } from './commands/errors';
import { ConfigError, DEFAULT_URI, defaultStateDir, parseConnectUri } from './config';
import { LockTimeoutError } from './persist/lock';
import { StateFileError } from './persist/state-file';
import { openWorld, type SimStore } from './persist/world-source';
import { runImg } from './img/index';
import { attachConsole } from './commands/console';
import type { ParsedArgs } from './commands/types';

const USAGE = `usage: virtyard [OPTIONS] [COMMAND]

A keyboard-driven virtual machine manager over a simulated datacenter.

Commands:
  (none)                    start the full-screen TUI
  virsh CMD [ARG...]        run a virsh command, or a ';'-separated list in one argument
                            ('virtyard virsh help' lists the commands)
  clock status|pause|resume|speed N|advance DURATION
                            show or control the virtual clock (DURATION: 500ms, 30s, 5m, 2h, 1d)
  img CMD [ARG...]          qemu-img compatible disk image tool ('virtyard img --help')

Options (before the command):
  -c, --connect URI         the world: sim:///default (default), sim:///PATH.yaml,
                            sim:///generate?hosts=N&domains=M&seed=S
      --state DIR           where the world is kept (default
                            $XDG_DATA_HOME/virtyard/<world>, ~/.local/share/virtyard/<world>)
      --reset               start again from the fixture, discarding the saved world
      --seed N              the world's random seed when it is created (first run or --reset)
      --json                machine-readable output: one JSON document per command,
                            errors as {"error": {"code", "message"}} on stderr
  -h, --help                this help
  -V, --version             print the version
`;

interface Globals {
  uri: string;
  state?: string;
  reset: boolean;
  seed?: number;
  json: boolean;
  help: boolean;
  version: boolean;
}

class UsageFailure extends Error {}

function parseGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const g: Globals = { uri: process.env.VIRTYARD_DEFAULT_URI || DEFAULT_URI, reset: false, json: false, help: false, version: false };
  let i = 0;
  const value = (name: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageFailure(`option ${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    switch (name) {
      case '-c':
      case '--connect':
        g.uri = value(name, inline);
        break;
      case '--state':
        g.state = value(name, inline);
        break;
      case '--seed': {
        const v = value(name, inline);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageFailure(`--seed needs a non-negative integer, got '${v}'`);
        g.seed = Number(v);
        break;
      }
      case '--reset':
      case '--json':
      case '--help':
      case '-h':
      case '--version':
      case '-V':
        if (inline !== undefined) throw new UsageFailure(`option ${name} takes no value`);
        if (name === '--reset') g.reset = true;
        else if (name === '--json') g.json = true;
        else if (name === '--help' || name === '-h') g.help = true;
        else g.version = true;
        break;
      default:
        throw new UsageFailure(`unknown option '${arg}'`);
    }
  }
  return { globals: g, rest: argv.slice(i) };
}

const stdio: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
};

function openStore(g: Globals, deferCreateSave = false): SimStore {
  const spec = parseConnectUri(g.uri);
  const dir = g.state ?? defaultStateDir(spec);
  const store = openWorld({ spec, dir, reset: g.reset, seed: g.seed, deferCreateSave });
  if (g.seed !== undefined && !store.created && store.world.clock().seed !== g.seed) {
    throw new ConfigError(
      `--seed ${g.seed} applies when a world is created, and the saved world in ${dir} has seed ${store.world.clock().seed}`,
      `add --reset to start again from the fixture with seed ${g.seed}`,
    );
  }
  return store;
}

/** A stand-in for commands that need no world (help): using it is a bug, reported as such. */
const NO_WORLD = new Proxy({} as Connection, {
  get() {
    throw new Error('this command needs no world but asked for one');
  },
});

function runVirsh(g: Globals, words: string[]): number | Promise<number> {
  if (words.length === 0) throw new UsageFailure('virsh needs a command, e.g. virtyard virsh list --all');
  let cmds;
  try {
    cmds = parseScript(words.length === 1 ? words[0] : words);
  } catch (e) {
    reportError(toCommandError(e), g.json, stdio);
    return 1;
  }
  if (cmds.every((c) => c.def.offline)) return runParsed(cmds, NO_WORLD, g.json, stdio);
  if (cmds.length === 1 && cmds[0].def.name === 'console') return runConsole(g, cmds[0].args);
  const store = openStore(g);
  return store.transact(() => runParsed(cmds, store.world, g.json, stdio));
}

/** virsh console: attached until Ctrl+]; the world is saved on detach. */
async function runConsole(g: Globals, args: ParsedArgs): Promise<number> {
  const store = openStore(g);
  try {
    return await attachConsole(store, args, { stdin: process.stdin, stdout: process.stdout });
  } catch (e) {
    reportError(toCommandError(e), g.json, stdio);
    return 1;
  } finally {
    store.close();
  }
}

async function runTui(g: Globals): Promise<number> {
  // A new world is saved just after the first frame rather than before it (the save, with its
  // fsync, is most of what creating a world costs). Not on --reset: until saved, the file would
  // still hold the old world, which another process could act on and this one then adopt.
  const store = openStore(g, !g.reset);
  const conn = store.world;
  const runner = createRunner({ conn, transact: (fn) => store.transact(fn) });
  const quiet = (fn: () => void) => () => {
    try {
      fn();
    } catch {
      // A busy lock or a full disk must not kill the TUI: the next period retries.
    }
  };
  const ticker = setInterval(quiet(() => store.catchUp()), 100);
  let lastInputAt = -Infinity;
  const saver = setInterval(quiet(() => store.saveWhenDue(lastInputAt)), 2000);
  store.watch(300);
  try {
    // Loaded on demand: Ink and React cost a one-shot `virsh` command ~100 ms of startup.
    const { startTui } = await import('./tui');
    // startTui renders the first frame synchronously; this runs once that is written. Every
    // command goes through store.transact, which saves first anyway.
    if (store.created) setImmediate(quiet(() => store.saveIfDirty()));
    await startTui({ conn, runner, onInput: () => (lastInputAt = Date.now()) });
  } finally {
    clearInterval(ticker);
    clearInterval(saver);
    store.close();
  }
  return 0;
}

/** Reports a failure outside a command (bad option, unreadable state, bad fixture…). */
function fail(json: boolean, e: unknown): number {
  const hint = e instanceof UsageFailure ? "run 'virtyard --help' for usage" : e instanceof ConfigError ? e.hint : undefined;
  let err: CommandError;
  if (e instanceof UsageFailure) err = new CommandError('SYNTAX_ERROR', e.message);
  else if (e instanceof ConfigError) err = new CommandError('VIR_ERR_INVALID_ARG', e.message);
  else if (e instanceof FixtureError) err = new CommandError('VIR_ERR_CONFIG_UNSUPPORTED', e.message);
  else if (e instanceof StateFileError || e instanceof LockTimeoutError) err = new CommandError('VIR_ERR_OPERATION_FAILED', e.message);
  else {
    if (process.env.VIRTYARD_DEBUG === '1') process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
    err = toCommandError(e);
  }
  if (json) stdio.err(JSON.stringify(hint ? { error: { ...err.toJSON().error, hint } } : err.toJSON()) + '\n');
  else {
    // A fixture error has one FILE:LINE:COL line per problem.
    stdio.err(err.message.split('\n').map((l) => `error: ${l}\n`).join(''));
    if (hint) stdio.err(`hint: ${hint}\n`);
  }
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  let g: Globals | undefined;
  try {
    const parsed = parseGlobals(argv);
    g = parsed.globals;
    const [cmd, ...rest] = parsed.rest;
    if (g.version) {
      stdio.out(`virtyard ${pkg.version}\n`);
      return 0;
    }
    if (g.help || cmd === 'help') {
      stdio.out(USAGE);
      return 0;
    }
    switch (cmd) {
      case undefined:
        return await runTui(g);
      case 'virsh':
        return await runVirsh(g, rest);
      case 'clock':
        return await runVirsh(g, ['clock', ...rest]);
      case 'img':
        return runImg(rest, { stdout: stdio.out, stderr: stdio.err });
      default:
        throw new UsageFailure(`unknown command '${cmd}'`);
    }
  } catch (e) {
    // A bad global option stops parsing before --json is seen: look for it in the words.
    return fail(g?.json ?? argv.includes('--json'), e);
  }
}

// A closed pipe (`virtyard virsh list | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = fail(false, e);
  },
);
