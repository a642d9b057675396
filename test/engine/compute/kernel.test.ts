// The placement kernel on its own: no pCPU over its time, the chunks adding up to each thread's
// allocation and to each pCPU's user and system time, and threads kept on the pCPU they ran on;
// and the step's roundings against Math.round.
import { describe, expect, it } from 'vitest';
import { allocSums, newChunks, newPlaceScratch, place, round, roundClamp, startHost, waterfill } from '../../../engine/sim/compute/kernel';

/** One group of `allocs.length` threads on `pcpus` pCPUs, placed twice with the second allocations. */
function placeTwice(pcpus: number, first: number[], second: number[]) {
  const n = first.length;
  const cpus = Int32Array.from({ length: pcpus }, (_, j) => j);
  const primary = new Int16Array(n).fill(-1);
  const isUser = Uint8Array.from({ length: n }, (_, e) => (e % 3 === 2 ? 0 : 1)); // every third one an emulator thread
  const sc = newPlaceScratch(pcpus, n);
  const run = (allocs: number[]) => {
    const alloc = Float64Array.from(allocs);
    const rem = new Float64Array(pcpus);
    startHost(rem, sc, pcpus);
    const out = newChunks(n + pcpus + 8);
    allocSums(0, n, alloc, sc.sums);
    place(0, n, alloc, cpus, 0, pcpus, rem, primary, isUser, out, sc);
    return { alloc, rem, out, primary: Array.from(primary), user: Array.from(sc.user), system: Array.from(sc.system) };
  };
  return [run(first), run(second)];
}

describe('place', () => {
  const first = [0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.3, 0.25, 0.35];
  const second = [0.32, 0.45, 0.22, 0.41, 0.55, 0.12, 0.28, 0.27, 0.33];

  it('conserves time: per pCPU ≤ 1, chunks add up to each allocation and to user + system', () => {
    for (const r of placeTwice(4, first, second)) {
      const perThread = new Array(first.length).fill(0);
      const user = new Array(4).fill(0);
      const system = new Array(4).fill(0);
      for (let i = 0; i < r.out.n; i++) {
        perThread[r.out.ent[i]] += r.out.amt[i];
        (r.out.ent[i] % 3 === 2 ? system : user)[r.out.cpu[i]] += r.out.amt[i];
      }
      perThread.forEach((t, e) => expect(t).toBeCloseTo(r.alloc[e], 12));
      for (let p = 0; p < 4; p++) {
        expect(r.rem[p]).toBeGreaterThanOrEqual(-1e-12);
        expect(r.user[p]).toBeCloseTo(user[p], 12);
        expect(r.system[p]).toBeCloseTo(system[p], 12);
        expect(r.user[p] + r.system[p] + r.rem[p]).toBeCloseTo(1, 12);
      }
    }
  });

  it('keeps a thread on its pCPU while it fits there under the balanced level', () => {
    // A host-sized group: 100 threads of 0.1–0.6 pCPU on 64 pCPUs, each demand ±10 % a step.
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const n = 100;
    const P = 64;
    const cpus = Int32Array.from({ length: P }, (_, j) => j);
    const primary = new Int16Array(n).fill(-1);
    const sc = newPlaceScratch(P, n);
    const base = Array.from({ length: n }, () => 0.1 + 0.5 * rnd());
    let moved = 0;
    for (let step = 0; step < 10; step++) {
      const before = Array.from(primary);
      const rem = new Float64Array(P);
      startHost(rem, sc, P);
      const alloc = Float64Array.from(base, (b) => b * (0.9 + 0.2 * rnd()));
      allocSums(0, n, alloc, sc.sums);
      place(0, n, alloc, cpus, 0, P, rem, primary, new Uint8Array(n).fill(1), newChunks(256), sc);
      if (step > 0) moved += before.filter((p, e) => p !== primary[e]).length;
    }
    // Wrapping every thread around the pCPUs afresh each step moved about half of them (51 a step).
    expect(moved / 9).toBeLessThan(20);
  });

  it('spreads the load: no pCPU above the level while another idles', () => {
    const [, b] = placeTwice(4, first, second);
    const used = b.rem.map((r) => 1 - r);
    const total = second.reduce((s, x) => s + x, 0);
    // The level is max(total / pCPUs, the largest thread): every pCPU stays at or under it.
    const level = Math.max(total / 4, Math.max(...second));
    for (const u of used) expect(u).toBeLessThanOrEqual(level + 1e-9);
  });
});

describe('place on a host of two groups', () => {
  it('the second group finds the pCPUs the first one took, and places all its time around them', () => {
    const P = 4;
    const sc = newPlaceScratch(P, 8);
    const rem = new Float64Array(P);
    startHost(rem, sc, P);
    // Group 1: one thread pinned to pCPU 0 (placed on its own pCPU, the quick path).
    const alloc = Float64Array.from([0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const primary = new Int16Array(alloc.length).fill(-1);
    const isUser = new Uint8Array(alloc.length).fill(1);
    allocSums(0, 1, alloc, sc.sums);
    place(0, 1, alloc, Int32Array.of(0), 0, 1, rem, primary, isUser, null, sc);
    // Group 2: six threads over all four pCPUs, 3.0 of the 3.1 left.
    allocSums(1, 7, alloc, sc.sums);
    place(1, 7, alloc, Int32Array.of(0, 1, 2, 3), 0, 4, rem, primary, isUser, null, sc);
    expect(Array.from(alloc)).toEqual([0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]); // nothing trimmed
    const placed = sc.user.reduce((a, b) => a + b, 0);
    expect(placed).toBeCloseTo(3.9, 9);
    for (let p = 0; p < P; p++) expect(sc.user[p]).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe('waterfill', () => {
  // Two domains' threads (weights 2 and 1), with an idle one, a negative demand and a speck among them.
  const eff = Float64Array.from([0.6, 0.9, 0, 0.3, 0.8, -0.1, 1e-13]);
  const dom = Int32Array.from([0, 0, 0, 1, 1, 1, 1]);
  const wt = Float64Array.from([2, 1]);
  const fill = (capacity: number) => {
    const n = eff.length;
    const alloc = new Float64Array(n);
    const sums = new Float64Array(3);
    waterfill(0, n, capacity, eff, dom, wt, alloc, new Int32Array(n), new Float64Array(n), sums);
    const expected = new Float64Array(3);
    allocSums(0, n, alloc, expected);
    return { alloc: Array.from(alloc), sums: Array.from(sums), expected: Array.from(expected) };
  };

  it('gives every thread its demand in an uncontended group, and place() the sums of that', () => {
    const r = fill(4);
    expect(r.alloc).toEqual([0.6, 0.9, 0, 0.3, 0.8, 0, 1e-13]);
    expect(r.sums).toEqual(r.expected);
    expect(r.sums[2]).toBe(4); // a speck of 1e-13 is not a running thread
  });

  it('shares a contended group by weight, and leaves place() the sums of the shares', () => {
    const r = fill(1.5);
    // The speck is satisfied at the first level; then 1.5 − 1e-13 over weights 2 + 2 + 1 + 1 gives
    // level 0.25: domain 1's threads get 0.25 each, domain 0's 0.5 each.
    expect(r.alloc[0]).toBeCloseTo(0.5, 12);
    expect(r.alloc[1]).toBeCloseTo(0.5, 12);
    expect(r.alloc[3]).toBeCloseTo(0.25, 12);
    expect(r.alloc[4]).toBeCloseTo(0.25, 12);
    expect(r.sums).toEqual(r.expected);
    expect(r.sums[0]).toBeCloseTo(1.5, 12);
  });
});

describe('round and roundClamp', () => {
  // Halves, the double just below ½, integers past 2^52 and a spread of fractions at every scale.
  const values = [0, 0.5, 1.5, 2.5, 199.5, 0.49999999999999994, 2 ** 52 + 1, 2 ** 53 - 1, 123456789.5];
  for (let i = 1; i < 4000; i++) values.push(((i * 7919) % 4001) / 19.99, (i * 0.618033988749895) % 1, i * 1234.5678);
  // The doubles next to every half and to every power of two less a half, where x + ½ may round.
  const bits = new Float64Array(1);
  const word = new BigInt64Array(bits.buffer);
  const step = (x: number, by: bigint) => ((bits[0] = x), (word[0] += by), bits[0]);
  for (let j = 0; j < 31; j++) {
    for (const x of [2 ** j - 0.5, 2 ** j + 0.5, 3 * 2 ** j + 0.5]) values.push(x, step(x, 1n), step(x, -1n), step(x, 2n), step(x, -2n));
  }

  it('round is Math.round (up to the sign of a zero)', () => {
    for (const v of [...values, ...values.map((x) => -x)]) expect(round(v) + 0).toBe(Math.round(v) + 0);
  });

  it('roundClamp is Math.round clamped to [0, max], and 0 for NaN', () => {
    for (const max of [200, 65534]) {
      for (const v of [...values, ...values.map((x) => -x), max - 0.5, max - 0.51, max + 3]) {
        expect(roundClamp(v, max)).toBe(Math.min(max, Math.max(0, Math.round(v) + 0)));
      }
      expect(roundClamp(Number.NaN, max)).toBe(0);
    }
  });
});
