// The whole boot log of one power-on, timed within the OS's boot duration so that the login
// prompt appears exactly when the domain's bootedAt says the guest has booted. Firmware and
// bootloader take the first ~12%, the kernel runs to ~45%, init fills the rest.

import type { BootFacts } from './facts';
import { firmwareLines } from './firmware';
import { freebsdLines } from './freebsd';
import { linuxLines } from './linux';
import type { TimedLine } from './timeline';
import type { GuestUser } from './state';

/** What the console shows before "login:" (after a failed login too). */
export function loginBanner(f: Pick<BootFacts, 'name' | 'os' | 'console'>, users: readonly GuestUser[]): string {
  const { name, os } = f;
  const tty = f.console;
  const version = os.name.match(/\d+(\.\d+)*/)?.[0] ?? '';
  switch (os.style) {
    case 'debian':
      return `\r\nDebian GNU/Linux ${version} ${name} ${tty}\r\n\r\n${name} login: `;
    case 'ubuntu':
      return `\r\n${os.name} ${name} ${tty}\r\n\r\n${name} login: `;
    case 'redhat':
      return `\r\n${os.name}\r\nKernel ${os.kernel} on an x86_64 (${tty})\r\n\r\n${name} login: `;
    case 'alpine':
      return `\r\nWelcome to Alpine Linux ${version}\r\nKernel ${os.kernel} on an x86_64 (/dev/${tty})\r\n\r\n${name} login: `;
    case 'cirros':
      return `login as '${users[0]?.name ?? 'root'}' user. use 'sudo' for root.\r\n${name} login: `;
    case 'freebsd':
      return `\r\nFreeBSD/amd64 (${name}) (${tty})\r\n\r\nlogin: `;
    default:
      return '';
  }
}

/** Timed boot output; the last line is the login prompt (open, at exactly `bootMs`). */
export function bootTranscript(f: BootFacts, bootMs: number, users: readonly GuestUser[]): TimedLine[] {
  const fwEnd = Math.round(bootMs * 0.12);
  const lines = firmwareLines(f, fwEnd);
  if (f.os.style === 'windows') return lines; // Windows Server writes nothing to a serial port without EMS
  if (f.os.style === 'freebsd') lines.push(...freebsdLines(f, fwEnd, Math.round(bootMs * 0.97)));
  else lines.push(...linuxLines(f, fwEnd, Math.round(bootMs * 0.45), Math.round(bootMs * 0.97)));
  lines.push({ at: bootMs, text: loginBanner(f, users), open: true });
  return lines;
}
