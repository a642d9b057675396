// The command table of the serial shell.

import * as act from './act';
import type { Command, ShellCtx } from './context';
import * as info from './info';

const help: Command = (ctx) => {
  ctx.out(
    [
      'Commands in this guest (virtyard):',
      '  help, uname [-a], hostname, uptime, date, whoami, nproc, lscpu, cat /proc/cpuinfo, cat /etc/os-release',
      '  free [-m|-h], df -h, lsblk, ip addr, ip route, ping [-c N] HOST, dmesg, ps, top -b -n1',
      '  stress --cpu N --timeout S     keep N vCPUs busy for S seconds (Ctrl+C stops it)',
      '  dd if=/dev/zero of=F bs=1M count=N   write N MiB to the root disk (its volume grows)',
      '  sync, ls, rm F, history, clear, resize, stty size, echo TEXT',
      '  poweroff | halt | shutdown -h now | reboot | shutdown -r now',
      '  echo c > /proc/sysrq-trigger   kernel panic (the domain follows on_crash)',
      '  exit, logout',
      '',
    ].join('\r\n'),
  );
  return 'done';
};

const cat: Command = (ctx, argv) => {
  const file = argv[1];
  if (file === '/proc/cpuinfo') return info.cpuinfo(ctx, argv, '');
  if (file === '/etc/os-release') return info.osRelease(ctx, argv, '');
  if (file === '/proc/uptime') {
    const s = ctx.uptimeMs() / 1000;
    ctx.out(`${s.toFixed(2)} ${(s * 0.9 * ctx.d.live!.vcpus).toFixed(2)}\r\n`);
    return 'done';
  }
  if (!file) return 'done';
  if (file in ctx.g.shell.files) return 'done';
  ctx.out(`cat: ${file}: No such file or directory\r\n`);
  return 'done';
};

const trueCmd: Command = () => 'done';

export const COMMANDS: Record<string, Command> = {
  help,
  uname: info.uname,
  hostname: info.hostname,
  uptime: info.uptime,
  date: info.date,
  whoami: info.whoami,
  nproc: info.nproc,
  lscpu: info.lscpu,
  cat,
  free: info.free,
  df: info.df,
  lsblk: info.lsblk,
  ip: info.ip,
  dmesg: info.dmesg,
  ps: info.ps,
  top: info.top,
  ping: act.ping,
  stress: act.stress,
  dd: act.dd,
  sync: act.sync,
  poweroff: act.down('poweroff'),
  halt: act.down('halt'),
  reboot: act.down('reboot'),
  shutdown: act.down('poweroff'),
  echo: act.echo,
  ls: act.ls,
  rm: act.rm,
  history: act.history,
  clear: act.clear,
  resize: act.resize,
  stty: act.stty,
  true: trueCmd,
  ':': trueCmd,
};

/** Splits a command line into words (quotes group; no expansion). */
export function words(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export type { ShellCtx };
