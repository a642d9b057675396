// Runs benchmark children in interleaved rounds (A B C, A B C, …) and keeps each figure's best
// round. On this shared machine other tenants slow whole stretches of seconds down: running the
// worlds one after another puts that noise into the ratio, interleaving and keeping the least
// disturbed round of each takes most of it out.

/** Per kind, the minimum of every numeric field over `rounds` interleaved runs of `run`. */
export function bestOfInterleaved<K extends string, T extends Record<string, number>>(kinds: readonly K[], rounds: number, run: (k: K) => T): Record<K, T> {
  const best = {} as Record<K, T>;
  for (let r = 0; r < rounds; r++) {
    for (const k of kinds) {
      const t = run(k);
      const prev = best[k];
      if (!prev) best[k] = { ...t };
      else for (const f of Object.keys(t) as (keyof T)[]) if (t[f] < prev[f]) prev[f] = t[f];
    }
  }
  return best;
}

/** The median of xs (the mean of the middle two for an even count). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
