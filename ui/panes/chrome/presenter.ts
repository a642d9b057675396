// Header, event line and footer hints as strings of an exact width.
// Only narrow (single-column) glyphs: emoji-width symbols (⏱ ⏸ ⚠) make terminals and Ink
// disagree on line width, which shifts every following line.
import type { ClockInfo, DomainInfo, HostInfo, WorldEvent } from '../../../engine/index';
import { fit, formatDateTime, formatTime } from '../../format';
import { displayKey } from '../../keys/keyname';
import type { Binding } from '../../keys/keymap';

/** Count of running domains, memoized on the list identity (O(n) once per world change). */
const runningCache = new WeakMap<DomainInfo[], number>();
export function countRunning(domains: DomainInfo[]): number {
  let n = runningCache.get(domains);
  if (n === undefined) {
    n = 0;
    for (const d of domains) if (d.state === 'running' || d.state === 'blocked') n++;
    runningCache.set(domains, n);
  }
  return n;
}

export function headerText(uri: string, hosts: HostInfo[], domains: DomainInfo[], clock: ClockInfo, width: number): string {
  const counts = `${hosts.length} host${hosts.length === 1 ? '' : 's'} · ${domains.length} domains (${countRunning(domains)} running)`;
  const time = `${formatDateTime(clock.now)} ×${clock.speed} ${clock.paused ? '❚❚ paused' : '▶'}`;
  const full = ` virtyard ─ ${uri} ─ ${counts} ─ ${time}`;
  if (full.length <= width) return fit(full, width);
  // Narrow: the clock matters more than the product name and the wording.
  const short = ` ${uri} ─ ${hosts.length}h · ${domains.length}d (${countRunning(domains)} up) ─ ${formatDateTime(clock.now)} ×${clock.speed} ${clock.paused ? '❚❚' : '▶'}`;
  return fit(short, width);
}

export function eventText(events: WorldEvent[], width: number): string {
  if (!events.length) return fit(' no events yet', width);
  const parts: string[] = [];
  let used = 1;
  for (let i = events.length - 1; i >= 0; i--) {
    const p = `${formatTime(events[i].time)} ${events[i].message}`;
    if (parts.length && used + p.length + 3 > width) break;
    parts.push(p);
    used += p.length + 3;
  }
  return fit(' ' + parts.join(' · '), width);
}

const hintOf = (b: Binding) => `${displayKey(b.keys[0])} ${b.hint}`;

/**
 * "s start  S shutdown …  ? help" — as many hints as fit, in keymap order; the help hint is kept
 * (space reserved at the end) so a newcomer always sees where the rest is.
 */
export function hintsText(bindings: Binding[], width: number): string {
  const help = bindings.find((b) => b.id === 'help.open');
  const tail = help ? `  ${hintOf(help)}` : '';
  let out = '';
  for (const b of bindings) {
    if (b === help) continue;
    const next = `${out}${out ? '  ' : ' '}${hintOf(b)}`;
    if (next.length + tail.length > width) break;
    out = next;
  }
  return fit(out + tail, width);
}
