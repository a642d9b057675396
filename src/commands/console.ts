// virsh console DOMAIN: the real terminal attached to the guest's serial console until Ctrl+].
// The table entry validates like virsh (unknown domain, shut-off domain, no TTY); the attach
// itself is asynchronous, so the CLI runs it through attachConsole() with its world store:
// while attached the virtual clock follows wall time (the store's catchUp), output passes
// through the engine's sanitiser, and the world is saved on detach.

import type { Connection } from '../../engine/api/connection';
import type { ConsoleSession } from '../../engine/api/console';
import type { StyledLine } from '../../engine/api/types';
import { CommandError } from './errors';
import { lookupDomain } from './lookup';
import type { CommandDef, ParsedArgs } from './types';

const DETACH = 0x1d; // Ctrl+]
const TICK_MS = 50;
const SAVE_MS = 2000;

/** virsh's checks, in virsh's order: the domain, its state, then the terminal. */
export function checkConsole(conn: Connection, ref: string, isTTY: boolean): string {
  const d = lookupDomain(conn, ref);
  if (d.state === 'shut off') throw CommandError.plain('VIR_ERR_OPERATION_INVALID', 'The domain is not running');
  if (!isTTY) throw CommandError.plain('VIR_ERR_OPERATION_INVALID', 'Cannot run interactive console without a controlling TTY');
  return d.name;
}

const consoleCmd: CommandDef = {
  name: 'console',
  group: 'domain',
  summary: 'connect to the guest console',
  description: ['Connect the virtual serial console for the guest. Ctrl+] detaches.'],
  options: [
    { name: 'domain', type: 'string', required: true, help: 'domain name, id or uuid', complete: 'domain' },
    { name: 'devname', type: 'string', help: 'character device name' },
    { name: 'force', type: 'bool', help: 'force console connection (disconnect already connected sessions)' },
    { name: 'safe', type: 'bool', help: 'only connect if safe console handling is supported' },
  ],
  run(ctx, args) {
    // Inside a command list or the TUI palette there is no terminal to hand over.
    checkConsole(ctx.conn, String(args.get('domain')), false);
  },
};

export const CONSOLE_COMMANDS: CommandDef[] = [consoleCmd];

/** SGR for a styled run: only what the engine produced (colours, attributes), never guest bytes. */
function sgr(run: StyledLine['runs'][number]): string {
  const p: string[] = [];
  if (run.bold) p.push('1');
  if (run.dim) p.push('2');
  if (run.italic) p.push('3');
  if (run.underline) p.push('4');
  if (run.inverse) p.push('7');
  const color = (c: typeof run.fg, base: number) => {
    if (!c || c.kind === 'default') return;
    if (c.kind === 'palette') p.push(c.index < 8 ? String(base + c.index) : `${base + 8};5;${c.index}`);
    else p.push(`${base + 8};2;${(c.rgb >> 16) & 255};${(c.rgb >> 8) & 255};${c.rgb & 255}`);
  };
  color(run.fg, 30);
  color(run.bg, 40);
  return p.length ? `\x1b[${p.join(';')}m${run.text}\x1b[0m` : run.text;
}

/**
 * The console's screen down to the cursor (at most `maxRows` rows, the last ones), so the user
 * sees where the guest is (e.g. its prompt) below the "Connected" banner.
 */
export function screenText(session: ConsoleSession, maxRows = session.rows): string {
  const lines = session.lines();
  const cur = session.cursor();
  const last = cur ? cur.row : lines.length - 1;
  let first = Math.max(0, last + 1 - maxRows);
  while (first < last && lines[first].runs.length === 0) first++;
  const rows = lines.slice(first, last + 1).map((l) => l.runs.map(sgr).join(''));
  let out = rows.join('\r\n');
  if (cur) {
    const width = lines[last].runs.reduce((n, r) => n + r.text.length, 0);
    if (cur.col > width) out += ' '.repeat(cur.col - width);
  }
  return out;
}

export interface ConsoleStore {
  world: Connection;
  /** Bring virtual time up to the wall clock (no lock). */
  catchUp(): void;
  saveIfDirty(): void;
}

export interface ConsoleTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Attaches until Ctrl+] (or stdin ends). Resolves with the exit status. */
export function attachConsole(store: ConsoleStore, args: ParsedArgs, term: ConsoleTerminal): Promise<number> {
  const conn = store.world;
  const { stdin, stdout } = term;
  const name = checkConsole(conn, String(args.get('domain')), !!stdin.isTTY);
  const session = conn.openConsole(name, { cols: stdout.columns || 80, rows: stdout.rows || 24 });
  stdout.write(`Connected to domain '${name}'\r\nEscape character is ^] (Ctrl + ])\r\n`);
  // Guests answer in virtual time: with the clock paused, a login would wait for ever, unexplained.
  if (conn.clock().paused) stdout.write("The world's clock is paused: the guest answers once it runs (virtyard virsh clock resume)\r\n");
  stdout.write(screenText(session, Math.max(1, (stdout.rows || 24) - 3)));
  const offOutput = session.onOutput((data) => stdout.write(data));
  return new Promise<number>((resolve) => {
    let done = false;
    const onData = (chunk: Buffer) => {
      const at = chunk.indexOf(DETACH);
      const keys = at >= 0 ? chunk.subarray(0, at) : chunk;
      try {
        if (keys.length) session.write(keys);
      } catch {
        /* the domain vanished: detach below */
      }
      if (at >= 0) finish();
    };
    const onResize = () => session.resize(stdout.columns || 80, stdout.rows || 24);
    const ticker = setInterval(() => {
      try {
        store.catchUp();
      } catch {
        /* a failed step is retried on the next tick */
      }
    }, TICK_MS);
    const saver = setInterval(() => {
      try {
        store.saveIfDirty();
      } catch {
        /* lock busy: the next period retries */
      }
    }, SAVE_MS);
    const finish = () => {
      if (done) return;
      done = true;
      try {
        store.catchUp(); // the world is saved as of the detach
      } catch {
        /* saved by the caller's close() all the same */
      }
      clearInterval(ticker);
      clearInterval(saver);
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdout.off('resize', onResize);
      offOutput();
      session.close();
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      // Leave the host terminal as we found it: default colours, cursor shown, on a new line.
      stdout.write('\x1b[0m\x1b[?25h\r\n');
      resolve(0);
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.on('end', finish);
    stdout.on('resize', onResize);
    stdin.resume();
  });
}
