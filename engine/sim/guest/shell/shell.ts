// The serial shell: getty's login and password prompts, then a shell with line editing
// (insert, backspace, ←/→, Home/End, Ctrl+A/E/U/C/D/L, history with ↑/↓) that runs the command
// table. Keyboard escape sequences may arrive split across writes; the partial one is kept.
// A cursor position report (the answer to `resize`) is consumed here, never shown.

import { COMMANDS, words } from './commands';
import type { ShellCtx } from './context';
import { dateString, notFound, promptFor } from './prompt';
import { loginBanner } from '../transcript';

const HISTORY_MAX = 500;
/** getty waits this long before "Login incorrect" (pam_faildelay). */
const LOGIN_FAIL_MS = 2000;

export function prompt(ctx: ShellCtx): string {
  return promptFor(ctx.os, ctx.d.name, ctx.g.shell.user ?? 'root');
}

function banner(ctx: ShellCtx): string {
  return loginBanner({ name: ctx.d.name, os: ctx.os, console: ctx.facts().console }, ctx.users);
}

function motd(ctx: ShellCtx): string {
  const sh = ctx.g.shell;
  const last = sh.logins > 1 ? `Last login: ${dateString(ctx.w.now)} on ${ctx.facts().console}\r\n` : '';
  if (ctx.os.style === 'freebsd') return `${last}FreeBSD ${ctx.os.kernel} (GENERIC)\r\n\r\nWelcome to FreeBSD!\r\n\r\n`;
  if (ctx.os.style === 'alpine') return `${last}Welcome to Alpine!\r\n\r\n`;
  if (ctx.os.style === 'cirros') return '';
  const uname = `Linux ${ctx.d.name} ${ctx.os.kernel} ${ctx.os.kernelBuild} x86_64`;
  return ctx.os.style === 'redhat' ? last : `${uname}\r\n\r\n${last}`;
}

/** The prompt after a command or a job (also after Ctrl+C). */
export function showPrompt(ctx: ShellCtx): void {
  ctx.g.shell.stage = 'shell';
  ctx.out(prompt(ctx));
}

export function feed(ctx: ShellCtx, data: string): void {
  for (const ch of data) {
    const sh = ctx.g.shell;
    if (sh.esc) {
      sh.esc += ch;
      if (escComplete(sh.esc)) {
        const seq = sh.esc;
        sh.esc = '';
        escape(ctx, seq);
      } else if (sh.esc.length > 32) sh.esc = '';
      continue;
    }
    if (ch === '\x1b') {
      sh.esc = ch;
      continue;
    }
    key(ctx, ch);
  }
}

function escComplete(seq: string): boolean {
  if (seq.length < 2) return false;
  if (seq[1] === 'O') return seq.length >= 3;
  if (seq[1] !== '[') return true; // Alt+key: ESC x
  if (seq.length < 3) return false;
  const c = seq.charCodeAt(seq.length - 1);
  return c >= 0x40 && c <= 0x7e;
}

function escape(ctx: ShellCtx, seq: string): void {
  const sh = ctx.g.shell;
  const cpr = /^\x1b\[(\d+);(\d+)R$/.exec(seq);
  if (cpr) {
    if (sh.awaitingCpr) {
      sh.awaitingCpr = false;
      sh.rows = Number(cpr[1]);
      sh.cols = Number(cpr[2]);
      ctx.out(`\x1b8COLUMNS=${sh.cols};\r\nLINES=${sh.rows};\r\nexport COLUMNS LINES;\r\n`);
      ctx.g.queue = ctx.g.queue.filter((p) => p.act?.kind !== 'resize-timeout');
      showPrompt(ctx);
    }
    return;
  }
  if (sh.stage !== 'shell') return;
  const final = seq[seq.length - 1];
  const csi = seq[1] === '[' || seq[1] === 'O';
  if (csi && final === 'A') return historyMove(ctx, -1);
  if (csi && final === 'B') return historyMove(ctx, 1);
  if (csi && final === 'C') return move(ctx, sh.cursor + 1);
  if (csi && final === 'D') return move(ctx, sh.cursor - 1);
  if (csi && (final === 'H' || seq === '\x1b[1~')) return move(ctx, 0);
  if (csi && (final === 'F' || seq === '\x1b[4~')) return move(ctx, sh.line.length);
  if (seq === '\x1b[3~') return deleteAt(ctx, sh.cursor);
}

function move(ctx: ShellCtx, to: number): void {
  const sh = ctx.g.shell;
  const target = Math.max(0, Math.min(sh.line.length, to));
  if (target < sh.cursor) ctx.out(`\x1b[${sh.cursor - target}D`);
  else if (target > sh.cursor) ctx.out(`\x1b[${target - sh.cursor}C`);
  sh.cursor = target;
}

/** Redraw from the cursor to the end of the line, then put the cursor back. */
function redrawTail(ctx: ShellCtx, erased = 0): void {
  const sh = ctx.g.shell;
  const tail = sh.line.slice(sh.cursor);
  const back = tail.length + erased;
  ctx.out(tail + ' '.repeat(erased) + (back ? `\x1b[${back}D` : ''));
}

function deleteAt(ctx: ShellCtx, at: number): void {
  const sh = ctx.g.shell;
  if (at < 0 || at >= sh.line.length) return;
  sh.line = sh.line.slice(0, at) + sh.line.slice(at + 1);
  redrawTail(ctx, 1);
}

function replaceLine(ctx: ShellCtx, text: string): void {
  const sh = ctx.g.shell;
  ctx.out(`\r\x1b[K${prompt(ctx)}${text}`);
  sh.line = text;
  sh.cursor = text.length;
}

function historyMove(ctx: ShellCtx, dir: -1 | 1): void {
  const sh = ctx.g.shell;
  if (!sh.history.length) return;
  if (sh.browse === null) {
    if (dir === 1) return;
    sh.draft = sh.line;
    sh.browse = sh.history.length;
  }
  const next = sh.browse + dir;
  if (next < 0) return;
  if (next >= sh.history.length) {
    sh.browse = null;
    replaceLine(ctx, sh.draft);
    return;
  }
  sh.browse = next;
  replaceLine(ctx, sh.history[next]);
}

function key(ctx: ShellCtx, ch: string): void {
  const sh = ctx.g.shell;
  switch (sh.stage) {
    case 'login':
    case 'password':
      return loginKey(ctx, ch);
    case 'busy':
      if (ch === '\x03') interrupt(ctx);
      return;
    case 'shell':
      return shellKey(ctx, ch);
    default:
      return; // booting, going down, off: nobody reads the serial line
  }
}

function loginKey(ctx: ShellCtx, ch: string): void {
  const sh = ctx.g.shell;
  const secret = sh.stage === 'password';
  if (ch === '\r' || ch === '\n') {
    const text = sh.line;
    sh.line = '';
    sh.cursor = 0;
    ctx.out('\r\n');
    if (!secret) {
      if (!text) return void ctx.out(banner(ctx).replace(/^(\r\n)+/, ''));
      sh.loginName = text;
      sh.stage = 'password';
      ctx.out('Password: ');
      return;
    }
    const user = ctx.users.find((u) => u.name === sh.loginName && u.password === text);
    sh.loginName = null;
    if (!user) {
      sh.stage = 'boot'; // getty is busy failing for a moment
      ctx.later(LOGIN_FAIL_MS, `\r\nLogin incorrect\r\n${banner(ctx).replace(/^(\r\n)+/, '')}`, { kind: 'login-ready' });
      return;
    }
    sh.user = user.name;
    sh.logins++;
    ctx.note(`${user.name} logged in on ${ctx.facts().console}`);
    ctx.out(motd(ctx));
    showPrompt(ctx);
    return;
  }
  if (ch === '\x7f' || ch === '\b') {
    if (sh.line) {
      sh.line = sh.line.slice(0, -1);
      if (!secret) ctx.out('\b \b');
    }
    return;
  }
  if (ch === '\x15') {
    if (!secret) ctx.out('\b \b'.repeat(sh.line.length));
    sh.line = '';
    return;
  }
  if (ch === '\x03') {
    sh.line = '';
    sh.stage = 'login';
    ctx.out('^C\r\n' + banner(ctx).replace(/^(\r\n)+/, ''));
    return;
  }
  if (ch < ' ' || ch === '\x7f') return;
  sh.line += ch;
  if (!secret) ctx.out(ch);
}

function interrupt(ctx: ShellCtx): void {
  const g = ctx.g;
  // The foreground job dies: what it would still print and do is dropped (a stress run ends now).
  const hadLoad = g.queue.some((p) => p.act?.kind === 'unload');
  g.queue = g.queue.filter((p) => p.act?.kind === 'poweroff' || p.act?.kind === 'panic');
  g.shell.awaitingCpr = false;
  ctx.out('^C\r\n');
  if (hadLoad) ctx.later(0, undefined, { kind: 'unload' });
  showPrompt(ctx);
}

function shellKey(ctx: ShellCtx, ch: string): void {
  const sh = ctx.g.shell;
  switch (ch) {
    case '\r':
    case '\n':
      return submit(ctx);
    case '\x7f':
    case '\b':
      if (sh.cursor === 0) return;
      sh.line = sh.line.slice(0, sh.cursor - 1) + sh.line.slice(sh.cursor);
      sh.cursor--;
      ctx.out('\b');
      redrawTail(ctx, 1);
      return;
    case '\x03':
      sh.line = '';
      sh.cursor = 0;
      sh.browse = null;
      ctx.out('^C\r\n' + prompt(ctx));
      return;
    case '\x15': {
      const n = sh.cursor;
      if (!n) return;
      sh.line = sh.line.slice(n);
      ctx.out(`\x1b[${n}D`);
      sh.cursor = 0;
      redrawTail(ctx, n);
      return;
    }
    case '\x01':
      return move(ctx, 0);
    case '\x05':
      return move(ctx, sh.line.length);
    case '\x04':
      if (!sh.line) return logout(ctx);
      return deleteAt(ctx, sh.cursor);
    case '\x0c':
      ctx.out(`\x1b[H\x1b[2J${prompt(ctx)}${sh.line}`);
      if (sh.cursor < sh.line.length) ctx.out(`\x1b[${sh.line.length - sh.cursor}D`);
      return;
    default:
      if (ch < ' ') return;
      sh.line = sh.line.slice(0, sh.cursor) + ch + sh.line.slice(sh.cursor);
      sh.cursor += ch.length;
      ctx.out(ch);
      if (sh.cursor < sh.line.length) redrawTail(ctx);
  }
}

function logout(ctx: ShellCtx): void {
  const sh = ctx.g.shell;
  ctx.note(`${sh.user ?? 'root'} logged out`);
  sh.user = null;
  sh.line = '';
  sh.cursor = 0;
  sh.browse = null;
  sh.stage = 'login';
  ctx.out('logout\r\n' + banner(ctx));
}

function submit(ctx: ShellCtx): void {
  const sh = ctx.g.shell;
  const text = sh.line;
  sh.line = '';
  sh.cursor = 0;
  sh.browse = null;
  ctx.out('\r\n');
  const trimmed = text.trim();
  if (!trimmed) return showPrompt(ctx);
  ctx.note(`${sh.user ?? 'root'} ran '${trimmed.length > 60 ? trimmed.slice(0, 57) + '...' : trimmed}'`);
  if (sh.history[sh.history.length - 1] !== trimmed) {
    sh.history.push(trimmed);
    if (sh.history.length > HISTORY_MAX) sh.history.splice(0, sh.history.length - HISTORY_MAX);
  }
  run(ctx, trimmed);
}

export function run(ctx: ShellCtx, text: string): void {
  const argv = words(text);
  const name = argv[0];
  if (name === 'exit' || name === 'logout') return logout(ctx);
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    ctx.out(notFound(ctx.os, name) + '\r\n');
    return showPrompt(ctx);
  }
  const result = cmd(ctx, argv, text);
  if (result === 'handled') return;
  if (result === 'busy') {
    if (ctx.g.shell.stage === 'shell') ctx.g.shell.stage = 'busy';
    return;
  }
  showPrompt(ctx);
}
