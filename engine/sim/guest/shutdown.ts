// The guest going down, as its init system prints it: for an ACPI power button from the host
// (systemd-logind sees the key), for poweroff/halt/reboot typed in the guest, and for a reboot.
// The last line is the kernel's own "reboot: Power down" / "reboot: Restarting system".

import type { OsEntry } from './oscatalog';
import { GREEN, RESET, kstamp, spread, type TimedLine } from './timeline';

export type DownKind = 'poweroff' | 'reboot' | 'halt';

const ok = (what: string) => `[${GREEN}  OK  ${RESET}] ${what}`;

function systemdLines(kind: DownKind, acpi: boolean): string[] {
  const target = kind === 'reboot' ? ['systemd-reboot.service - System Reboot', 'reboot.target - System Reboot'] : kind === 'halt' ? ['systemd-halt.service - System Halt', 'halt.target - System Halt'] : ['systemd-poweroff.service - System Power Off', 'poweroff.target - System Power Off'];
  return [
    ...(acpi ? ['systemd-logind[512]: Power key pressed short.', 'systemd-logind[512]: Powering off...'] : []),
    ok('Removed slice system-getty.slice - Slice /system/getty.'),
    ok('Stopped target multi-user.target - Multi-User System.'),
    ok('Stopped ssh.service - OpenBSD Secure Shell server.'),
    ok('Stopped target network-online.target - Network is Online.'),
    ok('Stopped systemd-journald.service - Journal Service.'),
    ok('Unmounted run-user-0.mount - /run/user/0.'),
    ok('Reached target shutdown.target - System Shutdown.'),
    ok('Reached target final.target - Late Shutdown Services.'),
    ok(`Finished ${target[0]}.`),
    ok(`Reached target ${target[1]}.`),
  ];
}

function openrcLines(kind: DownKind): string[] {
  const star = ` ${GREEN}*${RESET} `;
  const done = ` [ ${GREEN}ok${RESET} ]`;
  return [`${star}Stopping crond ...${done}`, `${star}Stopping sshd ...${done}`, `${star}Stopping networking ...${done}`, `${star}Unmounting filesystems${done}`, 'The system is going down NOW!', 'Sent SIGTERM to all processes', 'Sent SIGKILL to all processes', `Requesting system ${kind === 'reboot' ? 'reboot' : kind}`];
}

function busyboxLines(kind: DownKind): string[] {
  return ['Stopping dropbear sshd: OK', 'Stopping network...', 'The system is going down NOW!', 'Sent SIGTERM to all processes', 'Sent SIGKILL to all processes', `Requesting system ${kind === 'reboot' ? 'reboot' : kind}`];
}

function freebsdLines(kind: DownKind, uptimeMs: number): string[] {
  const s = Math.floor(uptimeMs / 1000);
  const up = `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
  return ['Stopping cron.', 'Stopping sshd.', 'Waiting for PIDS: 712.', 'Stopping devd.', 'Writing entropy file: .', 'Terminated', 'Syncing disks, vnodes remaining... 0 0 0 done', 'All buffers synced.', `Uptime: ${up}`, kind === 'reboot' ? 'Rebooting...' : 'acpi0: Powering system off'];
}

/**
 * Lines from `start` (ms, absolute) over `durationMs`; `bootAt` is the power-on instant the
 * kernel timestamps count from. Returns absolute times.
 */
export function shutdownTranscript(os: OsEntry, kind: DownKind, acpi: boolean, start: number, durationMs: number, bootAt: number): TimedLine[] {
  if (os.style === 'windows') return [];
  const end = start + durationMs;
  if (os.style === 'freebsd') return spread(freebsdLines(kind, end - bootAt), start, end);
  const body = os.init === 'systemd' ? systemdLines(kind, acpi) : os.init === 'openrc' ? openrcLines(kind) : busyboxLines(kind);
  const lines = spread(['', ...body], start, end - 1);
  const last = kind === 'reboot' ? 'reboot: Restarting system' : kind === 'halt' ? 'reboot: System halted' : 'reboot: Power down';
  lines.push({ at: end, text: kstamp(end - bootAt, `${bootAt}:${end}`) + last });
  return lines;
}
