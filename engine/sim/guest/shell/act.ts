// Commands that change the world or take time: stress (vCPU load), dd (disk writes), ping (the
// network's reachability rule), poweroff/halt/reboot, the sysrq panic, and a few shell builtins.
// Long commands queue their output on the virtual clock and end with a 'prompt' action.

import { hash32 } from '../../rng';
import { changed } from '../../domains/runstate';
import { ping as reach, resolve } from '../net';
import type { Command, ShellCtx } from './context';

const line = (ctx: ShellCtx, text: string) => ctx.out(text + '\r\n');
const MAX_STRESS_S = 86_400;
/** Guest sequential write speed, MiB per virtual second. */
const DD_MIB_PER_S = 400;

function opt(argv: string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    for (const n of names) {
      if (argv[i] === n) return argv[i + 1];
      if (n.startsWith('--') && argv[i].startsWith(n + '=')) return argv[i].slice(n.length + 1);
    }
  }
  return undefined;
}

/** "10", "10s", "2m" → seconds. */
function seconds(text: string | undefined): number | null {
  const m = /^(\d+)([smh]?)$/.exec(text ?? '');
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
}

export const stress: Command = (ctx, argv) => {
  const cpu = Number(opt(argv, ['--cpu', '-c']) ?? NaN);
  const t = seconds(opt(argv, ['--timeout', '-t']));
  if (!Number.isInteger(cpu) || cpu < 1 || cpu > 1024 || t === null || t < 1 || t > MAX_STRESS_S) {
    line(ctx, "stress: FAIL: usage: stress --cpu N --timeout S  (N ≥ 1 hogs, S seconds ≥ 1)");
    return 'done';
  }
  const pid = 2000 + (hash32(`${ctx.d.uuid}:${ctx.w.now}`) % 5000);
  const d = ctx.d;
  // The hogs keep min(N, vCPUs) vCPUs busy: the override the CPU accounting honours until `until`.
  d.loadOverride = { until: ctx.w.now + t * 1000, vcpus: Math.min(cpu, d.live!.vcpus) };
  ctx.w.touch(d);
  changed(ctx.w, d, 'load', `Domain '${d.name}': stress keeps ${d.loadOverride.vcpus} vCPU(s) busy for ${t} s`);
  line(ctx, `stress: info: [${pid}] dispatching hogs: ${cpu} cpu, 0 io, 0 vm, 0 hdd`);
  ctx.later(t * 1000, `stress: info: [${pid}] successful run completed in ${t}s\r\n`, { kind: 'unload' });
  ctx.later(t * 1000, undefined, { kind: 'prompt' });
  return 'busy';
};

function ddSize(text: string | undefined): number | null {
  const m = /^(\d+)([kKMG]?)$/.exec(text ?? '');
  if (!m) return null;
  const mult = { '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]] ?? 1;
  return Number(m[1]) * mult;
}

export const dd: Command = (ctx, argv) => {
  const args = Object.fromEntries(argv.slice(1).map((a) => a.split('=', 2) as [string, string]));
  const bs = ddSize(args.bs ?? '512');
  const count = Number(args.count ?? NaN);
  if (!args.of || bs === null || !Number.isInteger(count) || count < 0) {
    line(ctx, "dd: usage: dd if=/dev/zero of=FILE bs=SIZE count=N");
    return 'done';
  }
  if (args.if && args.if !== '/dev/zero' && args.if !== '/dev/urandom') {
    line(ctx, `dd: failed to open '${args.if}': No such file or directory`);
    return 'done';
  }
  const live = ctx.d.live!;
  const root = live.disks.find((k) => k.device === 'disk');
  const slash = root ? root.source.indexOf('/') : -1;
  const pool = root && slash > 0 ? root.source.slice(0, slash) : '';
  const volName = root && slash > 0 ? root.source.slice(slash + 1) : '';
  const vol = pool ? ctx.w.volume(pool, volName) : undefined;
  const want = bs * count;
  const room = vol ? Math.max(0, vol.capacityBytes - vol.allocationBytes) : 0;
  const bytes = Math.min(want, room);
  const full = bytes < want;
  const secs = Math.max(0.001, bytes / (DD_MIB_PER_S * 1024 * 1024));
  const records = Math.floor(bytes / bs);
  const partial = bytes % bs ? 1 : 0;
  const rate = bytes / secs;
  const rateText = rate >= 1e9 ? `${(rate / 1e9).toFixed(1)} GB/s` : `${Math.round(rate / 1e6)} MB/s`;
  const sizeText = bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB, ${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 1e6).toFixed(1)} MB, ${(bytes / 2 ** 20).toFixed(0)} MiB`;
  let text = '';
  if (full) text += `dd: error writing '${args.of}': No space left on device\r\n`;
  text += `${records}+${partial} records in\r\n${records}+${partial} records out\r\n${bytes} bytes (${sizeText}) copied, ${secs.toFixed(4)} s, ${rateText}\r\n`;
  const ms = Math.max(1, Math.round(secs * 1000));
  if (vol && bytes > 0) ctx.later(ms, undefined, { kind: 'disk-write', pool, volume: volName, bytes });
  ctx.g.shell.files[args.of] = (ctx.g.shell.files[args.of] ?? 0) + bytes;
  ctx.later(ms, text, { kind: 'prompt' });
  return 'busy';
};

export const ping: Command = (ctx, argv) => {
  const count = Number(opt(argv, ['-c']) ?? 4);
  const target = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '-c' && i > 0)[0];
  if (!target) {
    line(ctx, 'ping: usage error: Destination address required');
    return 'done';
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    line(ctx, `ping: invalid argument: '${opt(argv, ['-c'])}'`);
    return 'done';
  }
  const outward = reach(ctx.w, ctx.gw, ctx.d, '8.8.8.8');
  const ip = resolve(ctx.w, ctx.gw, ctx.d, target);
  const isName = ip !== target;
  if (!ip || (isName && ip.startsWith('93.184.') && !outward.ok)) {
    line(ctx, `ping: ${target}: ${outward.ok ? 'Name or service not known' : 'Temporary failure in name resolution'}`);
    return 'done';
  }
  const v = reach(ctx.w, ctx.gw, ctx.d, ip);
  if (!v.ok && v.error === 'unreachable-net') {
    line(ctx, 'ping: connect: Network is unreachable');
    return 'done';
  }
  line(ctx, `PING ${target} (${ip}) 56(84) bytes of data.`);
  const rtts: number[] = [];
  for (let i = 1; i <= count; i++) {
    const at = (i - 1) * 1000;
    if (v.ok) {
      const rtt = v.rttBaseMs * (1 + (hash32(`${ip}:${i}:${ctx.w.now}`) % 400) / 1000);
      rtts.push(rtt);
      const ttl = v.kind === 'remote' ? 117 : 64;
      ctx.later(at + Math.ceil(rtt), `64 bytes from ${ip}: icmp_seq=${i} ttl=${ttl} time=${rtt < 1 ? rtt.toFixed(3) : rtt.toFixed(1)} ms\r\n`);
    } else if (v.error === 'host-unreachable') {
      ctx.later(at + 3000, `From ${v.from} icmp_seq=${i} Destination Host Unreachable\r\n`);
    }
  }
  const endMs = (count - 1) * 1000 + (v.ok ? Math.ceil(Math.max(...rtts)) : v.error === 'host-unreachable' ? 3000 : 1000);
  const received = v.ok ? count : 0;
  let summary = `\r\n--- ${target} ping statistics ---\r\n${count} packets transmitted, ${received} received, ${v.ok ? '' : v.error === 'host-unreachable' ? `+${count} errors, ` : ''}${Math.round(((count - received) / count) * 100)}% packet loss, time ${(count - 1) * 1000}ms\r\n`;
  if (v.ok) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    summary += `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${((max - min) / 2).toFixed(3)} ms\r\n`;
  }
  ctx.later(endMs, summary, { kind: 'prompt' });
  return 'busy';
};

export const sync: Command = () => 'done';

export const down = (kind: 'poweroff' | 'halt' | 'reboot'): Command => (ctx, argv) => {
  if (argv[0] === 'shutdown') {
    const flag = argv.find((a) => a === '-h' || a === '-r' || a === '-P' || a === '-H');
    const when = argv.find((a) => !a.startsWith('-') && a !== 'shutdown');
    if (!flag || (when && when !== 'now' && when !== '+0')) {
      line(ctx, 'shutdown: only "shutdown -h now" and "shutdown -r now" are supported here');
      return 'done';
    }
    ctx.goDown(flag === '-r' ? 'reboot' : flag === '-H' ? 'halt' : 'poweroff');
    return 'busy';
  }
  ctx.goDown(kind);
  return 'busy';
};

export const echo: Command = (ctx, argv, raw) => {
  const redirect = /^echo\s+(.*?)\s*>\s*(\S+)\s*$/.exec(raw.trim());
  if (redirect) {
    const [, what, file] = redirect;
    if (file === '/proc/sysrq-trigger') {
      if (ctx.g.shell.user !== 'root') {
        line(ctx, `-${ctx.os.shell}: /proc/sysrq-trigger: Permission denied`);
        return 'done';
      }
      if (what.replace(/['"]/g, '') === 'c') {
        ctx.out(sysrqCrash(ctx));
        ctx.later(0, undefined, { kind: 'panic' });
        return 'busy';
      }
      return 'done';
    }
    ctx.g.shell.files[file] = what.length + 1;
    return 'done';
  }
  line(ctx, argv.slice(1).join(' ').replace(/^(['"])(.*)\1$/, '$2'));
  return 'done';
};

function sysrqCrash(ctx: ShellCtx): string {
  const t = ctx.uptimeMs() / 1000;
  const st = (dt: number) => `[${(t + dt).toFixed(6).padStart(12)}] `;
  return [
    `${st(0)}sysrq: Trigger a crash`,
    `${st(0.000012)}Kernel panic - not syncing: sysrq triggered crash`,
    `${st(0.000031)}CPU: 0 PID: 1024 Comm: ${ctx.os.shell} Not tainted ${ctx.os.kernel}`,
    `${st(0.000044)}Call Trace:`,
    `${st(0.000051)} <TASK>`,
    `${st(0.000058)} panic+0x2f4/0x330`,
    `${st(0.000066)} sysrq_handle_crash+0x16/0x20`,
    `${st(0.000071)} __handle_sysrq.cold+0x43/0x118`,
    `${st(0.000079)} write_sysrq_trigger+0x24/0x40`,
    `${st(0.000085)} </TASK>`,
    `${st(0.000112)}Kernel Offset: 0x1e000000 from 0xffffffff81000000`,
    `${st(0.000160)}---[ end Kernel panic - not syncing: sysrq triggered crash ]---`,
    '',
  ].join('\r\n');
}

export const ls: Command = (ctx) => {
  const names = Object.keys(ctx.g.shell.files).filter((f) => !f.startsWith('/')).sort();
  if (names.length) line(ctx, names.join('  '));
  return 'done';
};

export const rm: Command = (ctx, argv) => {
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    if (f in ctx.g.shell.files) delete ctx.g.shell.files[f];
    else line(ctx, `rm: cannot remove '${f}': No such file or directory`);
  }
  return 'done';
};

export const history: Command = (ctx) => {
  ctx.g.shell.history.forEach((h, i) => line(ctx, `${String(i + 1).padStart(5)}  ${h}`));
  return 'done';
};

export const clear: Command = (ctx) => (ctx.out('\x1b[H\x1b[2J'), 'done');

/** xterm's resize(1): asks the terminal where the far corner is, since a serial line carries no size. */
export const resize: Command = (ctx) => {
  ctx.g.shell.awaitingCpr = true;
  ctx.out('\x1b7\x1b[999;999H\x1b[6n');
  // An attached terminal answers at once (the shell has printed the result and its prompt).
  if (!ctx.g.shell.awaitingCpr) return 'handled';
  ctx.later(3000, undefined, { kind: 'resize-timeout' });
  return 'busy';
};

export const stty: Command = (ctx, argv) => {
  if (argv[1] === 'size') line(ctx, `${ctx.g.shell.rows} ${ctx.g.shell.cols}`);
  else line(ctx, `speed 115200 baud; rows ${ctx.g.shell.rows}; columns ${ctx.g.shell.cols}; line = 0;`);
  return 'done';
};
