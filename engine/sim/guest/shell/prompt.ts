// Prompts and the words shells use, per OS family.

import type { OsEntry } from '../oscatalog';

export function promptFor(os: OsEntry, host: string, user: string): string {
  const root = user === 'root';
  const sign = root ? '#' : '$';
  switch (os.style) {
    case 'redhat':
      return `[${user}@${host} ~]${sign} `;
    case 'alpine':
      return `${host}:~${sign} `;
    case 'cirros':
      return `${sign} `;
    case 'freebsd':
      return `${user}@${host}:~ ${sign} `;
    default:
      return `${user}@${host}:~${sign} `;
  }
}

export function notFound(os: OsEntry, cmd: string): string {
  if (os.style === 'freebsd') return `${cmd}: not found`;
  if (os.shell === 'bash') return `-bash: ${cmd}: command not found`;
  return `-${os.shell}: ${cmd}: not found`;
}

/** "Sun Nov 22 10:00:00 UTC 2026" from a virtual epoch ms. */
export function dateString(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const hms = d.toISOString().slice(11, 19);
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2)} ${hms} UTC ${d.getUTCFullYear()}`;
}
