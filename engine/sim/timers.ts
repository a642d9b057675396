// Deterministic timer queue: a binary min-heap over (at, seq) stored in SimState.timers, so it
// serialises as-is. Cancellation is lazy: each timer carries its domain's run token and the
// handler ignores a timer whose token no longer matches.

import type { SimState, Timer, TimerKind } from './world/state';

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function armTimer(s: SimState, at: number, kind: TimerKind, uuid: string, token: number): void {
  const h = s.timers;
  h.push({ at, seq: ++s.timerSeq, kind, uuid, token });
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

export function nextTimerAt(s: SimState): number | null {
  return s.timers.length ? s.timers[0].at : null;
}

export function popTimer(s: SimState): Timer | undefined {
  const h = s.timers;
  if (!h.length) return undefined;
  const top = h[0];
  const last = h.pop()!;
  if (h.length) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l], h[m])) m = l;
      if (r < h.length && before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  return top;
}
