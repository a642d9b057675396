// Commands that read the guest's (and so the world's) state: everything they print comes from
// the domain record, its facts and the clock.

import { guestMeminfo } from '../../compute/memory';
import { memoryUsedKiB } from '../../compute/workload';
import { hash32 } from '../../rng';
import { kernelText } from '../linux';
import { kstamp } from '../timeline';
import type { Command, ShellCtx } from './context';
import { dateString } from './prompt';

const line = (ctx: ShellCtx, text: string) => ctx.out(text + '\r\n');

function usedKiB(ctx: ShellCtx): number {
  const live = ctx.d.live!;
  return memoryUsedKiB(live.workload, ctx.w.now, hash32(ctx.d.uuid, ctx.w.s.seed), live.memoryKiB, ctx.os.baseMemoryKiB);
}

function uptimeText(ctx: ShellCtx): string {
  const s = Math.floor(ctx.uptimeMs() / 1000);
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const clock = new Date(ctx.w.now).toISOString().slice(11, 19);
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${String(h).padStart(2)}:${String(m).padStart(2, '0')}` : h > 0 ? `${String(h).padStart(2)}:${String(m).padStart(2, '0')}` : `${m} min`;
  const load = (ctx.d.cpuPercent / 100).toFixed(2);
  return ` ${clock} up ${up},  1 user,  load average: ${load}, ${load}, ${load}`;
}

export const uname: Command = (ctx, argv) => {
  const f = ctx.facts();
  const bsd = ctx.os.style === 'freebsd';
  const sys = bsd ? 'FreeBSD' : 'Linux';
  const flags = argv.slice(1).join('').replace(/-/g, '');
  const parts: string[] = [];
  const all = flags.includes('a');
  if (all || flags.includes('s') || !flags) parts.push(sys);
  if (all || flags.includes('n')) parts.push(f.name);
  if (all || flags.includes('r')) parts.push(ctx.os.kernel);
  if (all || flags.includes('v')) parts.push(ctx.os.kernelBuild);
  if (all || flags.includes('m')) parts.push(bsd ? 'amd64' : 'x86_64');
  if (all && !bsd) parts.push('GNU/Linux');
  line(ctx, parts.join(' '));
  return 'done';
};

export const hostname: Command = (ctx) => (line(ctx, ctx.d.name), 'done');
export const uptime: Command = (ctx) => (line(ctx, uptimeText(ctx)), 'done');
export const nproc: Command = (ctx) => (line(ctx, String(ctx.d.live!.vcpus)), 'done');
export const date: Command = (ctx) => (line(ctx, dateString(ctx.w.now)), 'done');
export const whoami: Command = (ctx) => (line(ctx, ctx.g.shell.user ?? 'root'), 'done');

function cpuFlags(ctx: ShellCtx): string {
  const f = ctx.facts();
  const base = 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm';
  // Nested virtualization is off: the guest sees no vmx/svm, but it does see that it is virtual.
  return f.cpuVendor === 'amd' ? base + ' cmp_legacy cr8_legacy sse4a misalignsse topoext' : base + ' 3dnowprefetch arat';
}

export const cpuinfo: Command = (ctx) => {
  const f = ctx.facts();
  for (let i = 0; i < ctx.d.live!.vcpus; i++) {
    line(ctx, `processor\t: ${i}`);
    line(ctx, `vendor_id\t: ${f.cpuVendor === 'amd' ? 'AuthenticAMD' : 'GenuineIntel'}`);
    line(ctx, `model name\t: ${f.cpuModel}`);
    line(ctx, `cpu MHz\t\t: ${f.mhz.toFixed(3)}`);
    line(ctx, `cpu cores\t: ${ctx.d.live!.vcpus}`);
    line(ctx, `flags\t\t: ${cpuFlags(ctx)}`);
    line(ctx, '');
  }
  return 'done';
};

export const lscpu: Command = (ctx) => {
  const f = ctx.facts();
  const n = ctx.d.live!.vcpus;
  const vendor = f.hypervisor === 'kvm' ? 'KVM' : 'Xen';
  const rows: Array<[string, string]> = [
    ['Architecture:', 'x86_64'], ['CPU op-mode(s):', '32-bit, 64-bit'], ['CPU(s):', String(n)], ['On-line CPU(s) list:', n === 1 ? '0' : `0-${n - 1}`],
    ['Vendor ID:', f.cpuVendor === 'amd' ? 'AuthenticAMD' : 'GenuineIntel'], ['Model name:', f.cpuModel], ['Thread(s) per core:', '1'], ['Core(s) per socket:', String(n)],
    ['Socket(s):', '1'], ['Hypervisor vendor:', vendor], ['Virtualization type:', f.hypervisor === 'xen' && f.guestType !== 'hvm' ? 'para' : 'full'],
    ['Flags:', cpuFlags(ctx)],
  ];
  for (const [k, v] of rows) line(ctx, `${k.padEnd(23)} ${v}`);
  return 'done';
};

export const free: Command = (ctx, argv) => {
  const m = guestMeminfo(ctx.d.live!.memoryKiB, usedKiB(ctx));
  const human = argv.includes('-h');
  const fmt = (k: number) => (human ? (k >= 1048576 ? `${(k / 1048576).toFixed(1)}Gi` : `${Math.round(k / 1024)}Mi`) : String(Math.floor(k / 1024)));
  line(ctx, '               total        used        free      shared  buff/cache   available');
  line(ctx, `Mem:    ${[m.total, m.used, m.free, 1024, m.cache, m.available].map((k) => fmt(k).padStart(12)).join('')}`);
  line(ctx, `Swap:   ${[0, 0, 0].map((k) => fmt(k).padStart(12)).join('')}`);
  return 'done';
};

function human(bytes: number): string {
  const u = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v < 10 ? v.toFixed(1) : Math.round(v)}${u[i]}`;
}

/** Bytes the guest's filesystem holds on a disk: the volume's allocation stands for it. */
export function diskUse(ctx: ShellCtx, target: string): { size: number; used: number } | null {
  const cfg = ctx.d.live!;
  const disk = cfg.disks.find((k) => k.target === target);
  if (!disk) return null;
  const slash = disk.source.indexOf('/');
  const vol = slash > 0 ? ctx.w.volume(disk.source.slice(0, slash), disk.source.slice(slash + 1)) : undefined;
  if (!vol) return null;
  return { size: vol.capacityBytes, used: vol.allocationBytes };
}

export const df: Command = (ctx) => {
  line(ctx, 'Filesystem      Size  Used Avail Use% Mounted on');
  const disks = ctx.d.live!.disks.filter((k) => k.device === 'disk');
  disks.forEach((k, i) => {
    const u = diskUse(ctx, k.target);
    if (!u) return;
    const size = Math.floor(u.size * 0.98);
    const used = Math.min(size, u.used);
    const pct = size ? Math.ceil((used / size) * 100) : 0;
    const dev = ctx.os.style === 'freebsd' ? `/dev/${k.bus === 'xen' ? 'xbd' : 'vtbd'}${i}p2` : `/dev/${k.target}1`;
    line(ctx, `${dev.padEnd(15)} ${human(size).padStart(4)} ${human(used).padStart(5)} ${human(size - used).padStart(5)} ${`${pct}%`.padStart(4)} ${i === 0 ? '/' : `/data${i}`}`);
  });
  line(ctx, `tmpfs           ${human(ctx.d.live!.memoryKiB * 512).padStart(4)}     0 ${human(ctx.d.live!.memoryKiB * 512).padStart(5)}   0% /dev/shm`);
  return 'done';
};

export const lsblk: Command = (ctx) => {
  line(ctx, 'NAME   MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS');
  const f = ctx.facts();
  f.disks.forEach((k, i) => {
    const cd = k.device === 'cdrom';
    const major = cd ? '11' : k.bus === 'virtio' ? '253' : k.bus === 'xen' ? '202' : '8';
    const name = cd ? 'sr0' : k.target;
    line(ctx, `${name.padEnd(6)} ${`${major}:${cd ? 0 : i * 16}`.padStart(7)}  ${cd ? 1 : 0} ${human(k.bytes).padStart(4)}  ${cd ? 1 : 0} ${cd ? 'rom ' : 'disk'} `);
    if (!cd && i === 0) line(ctx, `\u2514\u2500${name}1 ${`${major}:${i * 16 + 1}`.padStart(5)}  0 ${human(k.bytes).padStart(4)}  0 part /`);
  });
  return 'done';
};

function maskText(prefix: number): string {
  return String(prefix);
}

export const ip: Command = (ctx, argv) => {
  const sub = argv[1] ?? '';
  const f = ctx.facts();
  if ('route'.startsWith(sub) && sub) {
    const def = f.nics.find((n) => n.ip && n.gateway);
    if (def) line(ctx, `default via ${def.gateway} dev ${def.ifname} proto dhcp src ${def.ip} metric 100`);
    for (const n of f.nics) {
      if (!n.ip) continue;
      const parts = n.ip.split('.').map(Number);
      const net = [...parts.slice(0, 3), 0].join('.');
      line(ctx, `${net}/${maskText(n.prefix)} dev ${n.ifname} proto kernel scope link src ${n.ip} metric 100`);
    }
    return 'done';
  }
  if (('addr'.startsWith(sub) || 'address'.startsWith(sub)) && sub) {
    line(ctx, '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000');
    line(ctx, '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00');
    line(ctx, '    inet 127.0.0.1/8 scope host lo');
    f.nics.forEach((n, i) => {
      line(ctx, `${i + 2}: ${n.ifname}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000`);
      line(ctx, `    link/ether ${n.mac} brd ff:ff:ff:ff:ff:ff`);
      if (n.ip) line(ctx, `    inet ${n.ip}/${n.prefix} ${n.server ? 'metric 100 brd' : 'brd'} ${n.ip.split('.').slice(0, 3).join('.')}.255 scope global ${n.server ? 'dynamic ' : ''}${n.ifname}`);
    });
    return 'done';
  }
  ctx.out('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\r\nwhere  OBJECT := { address | route | link }\r\n');
  return 'done';
};

export const dmesg: Command = (ctx) => {
  const f = ctx.facts();
  kernelText(f).forEach((t, i) => line(ctx, kstamp((i * 37) % 900, `${f.name}:dmesg:${i}`) + t));
  return 'done';
};

function procRows(ctx: ShellCtx): Array<[number, string, string]> {
  const init = ctx.os.init === 'systemd' ? '/sbin/init' : ctx.os.init === 'openrc' ? '/sbin/init' : 'init';
  const rows: Array<[number, string, string]> = [[1, 'root', init], [2, 'root', '[kthreadd]']];
  if (ctx.os.init === 'systemd') rows.push([312, 'root', '/lib/systemd/systemd-journald'], [512, 'root', '/lib/systemd/systemd-logind']);
  rows.push([640, 'root', 'sshd: /usr/sbin/sshd -D'], [701, 'root', `/sbin/agetty -o -p -- \\u --keep-baud 115200,57600,38400,9600 ${ctx.facts().console} vt220`]);
  rows.push([1024, ctx.g.shell.user ?? 'root', `-${ctx.os.shell}`]);
  if (ctx.d.loadOverride && ctx.d.loadOverride.until > ctx.w.now) {
    for (let i = 0; i < ctx.d.loadOverride.vcpus; i++) rows.push([2000 + i, 'root', 'stress --cpu']);
  }
  return rows;
}

export const ps: Command = (ctx) => {
  line(ctx, '    PID USER     COMMAND');
  for (const [pid, user, cmd] of procRows(ctx)) line(ctx, `${String(pid).padStart(7)} ${user.padEnd(8)} ${cmd}`);
  return 'done';
};

export const top: Command = (ctx) => {
  const live = ctx.d.live!;
  const busy = Math.min(100, ctx.d.cpuPercent / Math.max(1, live.vcpus));
  line(ctx, `top -${uptimeText(ctx)}`);
  line(ctx, `Tasks: ${procRows(ctx).length + 90} total,   1 running`);
  const sys = Math.min(0.3, 100 - busy);
  line(ctx, `%Cpu(s): ${busy.toFixed(1).padStart(4)} us, ${sys.toFixed(1).padStart(4)} sy,  0.0 ni, ${(100 - busy - sys).toFixed(1).padStart(5)} id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st`);
  const m = guestMeminfo(live.memoryKiB, usedKiB(ctx));
  const mib = (k: number) => (k / 1024).toFixed(1).padStart(8);
  line(ctx, `MiB Mem : ${mib(m.total)} total, ${mib(m.free)} free, ${mib(m.used)} used, ${mib(m.cache)} buff/cache`);
  line(ctx, '');
  line(ctx, '    PID USER      %CPU COMMAND');
  const stress = procRows(ctx).filter((r) => r[2].startsWith('stress'));
  for (const [pid, user, cmd] of stress) line(ctx, `${String(pid).padStart(7)} ${user.padEnd(9)} 99.7 ${cmd}`);
  for (const [pid, user, cmd] of procRows(ctx).filter((r) => !r[2].startsWith('stress'))) line(ctx, `${String(pid).padStart(7)} ${user.padEnd(9)}  0.0 ${cmd.split(' ')[0]}`);
  return 'done';
};

export const osRelease: Command = (ctx) => {
  line(ctx, `PRETTY_NAME="${ctx.os.name}"`);
  line(ctx, `ID=${ctx.os.id.replace(/[\d.]+$/, '')}`);
  return 'done';
};
