// The two numeric kernels of a scheduling step, over typed arrays and without allocation:
//
// waterfill — weighted max-min sharing of a pinning group's capacity (CFS and credit both converge
//   to it over many periods): every runnable thread gets min(its demand, weight × level), the level
//   rising until the capacity is used up. Threads wanting less than their share free the rest for
//   the others, so an uncontended guest gets exactly its demand.
// place — where that time ran. While a group has no more running threads than pCPUs, each thread
//   gets a pCPU of its own (the one it had, if still free: Linux keeps threads where their cache
//   is warm). Otherwise every pCPU takes the group's time up to a common fill level: a thread that
//   fits whole under it on the pCPU it ran on stays there, and McNaughton's wrap-around rule lays
//   the others over the room left, pCPU after pCPU. No pCPU ever gets more than its remaining time.

const EPS = 1e-12;

/** Where the sums of a group's allocations sit in PlaceScratch.sums: their total, the largest, how many run. */
export const SUM = 0;
export const MAX = 1;
export const RUNNING = 2;

/**
 * Math.round for finite numbers, without a data-dependent branch: V8 lowers Math.round to a compare
 * and branch that mispredicts on every other random fraction (≈ 7 ns a call against ≈ 2.5 ns here).
 * x − floor(x) is exact, and doubling it is exact, so this is the integer Math.round gives; the
 * only difference is the sign of a zero result (Math.round(−0.2) is −0, this gives +0), which no
 * counter, byte or sum can tell apart.
 */
export function round(x: number): number {
  const r = Math.floor(x);
  return r + Math.floor((x - r) * 2);
}

/**
 * Math.round(x) clamped to [0, max] (max < 2^31; NaN gives 0): the history's bytes and shorts. In
 * int32 arithmetic, because storing a rounded double into an integer array costs V8 a check that
 * it is an int32, more than the rounding itself. Below ½ Math.round gives 0; from ½ on, x + ½ is
 * either exact or rounded to a neighbour with the same integer part (it could only round up to an
 * integer from half an ulp below it, and no x ≥ ½ puts it there), so (x + ½) | 0 is Math.round(x).
 */
export function roundClamp(x: number, max: number): number {
  if (!(x >= 0.5)) return 0;
  if (x >= max) return max;
  return (x + 0.5) | 0;
}

/**
 * Allocates capacity (pCPUs of time) among entities [first, last) with effective demands `eff`,
 * writing `alloc`, and what place() needs of them into `sums` (allocSums). Entity e's weight is its
 * domain's, wt[dom[e]]: only a contended group reads them. `idx` and `w` are scratch of at least
 * last-first entries.
 */
export function waterfill(
  first: number,
  last: number,
  capacity: number,
  eff: Float64Array,
  dom: Int32Array,
  wt: Float64Array,
  alloc: Float64Array,
  idx: Int32Array,
  w: Float64Array,
  sums: Float64Array,
): void {
  let total = 0;
  let max = 0;
  let running = 0;
  for (let e = first; e < last; e++) {
    const x = eff[e];
    // Everyone gets its demand unless the group is contended (then the loops below overwrite).
    alloc[e] = x > 0 ? x : 0;
    if (x > 0) {
      total += x;
      if (x > max) max = x;
      if (x > EPS) running++;
    }
  }
  if (total <= capacity) {
    // What allocSums would find: the zeros it would also add change no sum.
    sums[SUM] = total;
    sums[MAX] = max;
    sums[RUNNING] = running;
    return;
  }
  // Contended: the runnable threads and their weights, for the level to rise over.
  let n = 0;
  for (let e = first; e < last; e++) {
    if (eff[e] > 0) {
      idx[n] = e;
      w[n++] = wt[dom[e]];
    }
  }
  let remaining = capacity;
  while (n > 0) {
    let W = 0;
    for (let i = 0; i < n; i++) W += w[i];
    const level = remaining / W;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const e = idx[i];
      if (eff[e] <= w[i] * level) {
        alloc[e] = eff[e];
        remaining -= eff[e];
      } else {
        w[m] = w[i];
        idx[m++] = e;
      }
    }
    if (m === n) {
      // Nobody is satisfied at this level: everyone left is capped by its weighted share.
      for (let i = 0; i < n; i++) alloc[idx[i]] = w[i] * level;
      break;
    }
    n = m;
  }
  allocSums(first, last, alloc, sums);
}

/** The sums place() needs of allocations [first, last) into sums[SUM], sums[MAX], sums[RUNNING]. */
export function allocSums(first: number, last: number, alloc: Float64Array, sums: Float64Array): void {
  let total = 0;
  let max = 0;
  let running = 0;
  for (let e = first; e < last; e++) {
    const a = alloc[e];
    total += a;
    if (a > max) max = a;
    if (a > EPS) running++;
  }
  sums[SUM] = total;
  sums[MAX] = max;
  sums[RUNNING] = running;
}

/** Output of place(): chunk i gave entity chunkEnt[i] chunkAmt[i] of pCPU chunkCpu[i] (host-local). */
export interface Chunks {
  ent: Int32Array;
  cpu: Int32Array;
  amt: Float64Array;
  n: number;
}

export function newChunks(size: number): Chunks {
  return { ent: new Int32Array(size), cpu: new Int32Array(size), amt: new Float64Array(size), n: 0 };
}

const NO_CHUNKS = newChunks(0);

/** Scratch for place(), sized for the largest host (pCPUs) and group (entities). */
export interface PlaceScratch {
  taken: Uint8Array;
  member: Uint8Array;
  /** placeSpread: each entity's pCPU (by entity − first); place: the entities left to wrap around. */
  assign: Int32Array;
  /**
   * Per host-local pCPU, the time placed there this step for guest code (user) and for the rest
   * (system): summed as chunks are made, so the accounting need not walk the chunks again.
   * startHost zeroes them for each host.
   */
  user: Float64Array;
  system: Float64Array;
  /** Per host-local pCPU, the time the group being placed may still take there. */
  room: Float64Array;
  /** The sums of the allocations to place (SUM, MAX, RUNNING), from waterfill or allocSums. */
  sums: Float64Array;
  /** No group placed since startHost: every pCPU of the host has all its time. */
  fresh: boolean;
}

export function newPlaceScratch(pcpus: number, entities: number): PlaceScratch {
  return {
    taken: new Uint8Array(pcpus),
    member: new Uint8Array(pcpus),
    assign: new Int32Array(entities),
    user: new Float64Array(pcpus),
    system: new Float64Array(pcpus),
    room: new Float64Array(pcpus),
    sums: new Float64Array(3),
    fresh: false,
  };
}

/** Before a host's first group is placed: every pCPU's time free, nothing placed yet. */
export function startHost(rem: Float64Array, sc: PlaceScratch, pcpus: number): void {
  rem.fill(1, 0, pcpus);
  sc.fresh = true;
  sc.user.fill(0, 0, pcpus);
  sc.system.fill(0, 0, pcpus);
}

/** Adds entity e's `amt` on pCPU p to p's user or system time, and appends it as a chunk if `out` is given. */
function addChunk(out: Chunks | null, sc: PlaceScratch, isUser: Uint8Array, e: number, p: number, amt: number): void {
  if (out !== null) {
    const i = out.n++;
    out.ent[i] = e;
    out.cpu[i] = p;
    out.amt[i] = amt;
  }
  if (isUser[e]) sc.user[p] += amt;
  else sc.system[p] += amt;
}

/** One pCPU per running thread, if every one fits on a free pCPU of the group; false otherwise (nothing changed). */
function placeSpread(
  first: number,
  last: number,
  alloc: Float64Array,
  cpus: Int32Array,
  c0: number,
  c1: number,
  rem: Float64Array,
  primary: Int16Array,
  isUser: Uint8Array,
  out: Chunks | null,
  sc: PlaceScratch,
): boolean {
  const { taken, member, assign } = sc;
  for (let j = c0; j < c1; j++) {
    member[cpus[j]] = 1;
    taken[cpus[j]] = 0;
  }
  let ok = true;
  for (let e = first; e < last; e++) {
    assign[e - first] = -1;
    const a = alloc[e];
    if (a <= EPS) continue;
    const p = primary[e];
    if (p >= 0 && member[p] && !taken[p] && rem[p] >= a - EPS) {
      taken[p] = 1;
      assign[e - first] = p;
    }
  }
  let j = c0;
  for (let e = first; e < last && ok; e++) {
    const a = alloc[e];
    if (a <= EPS || assign[e - first] >= 0) continue;
    while (j < c1 && (taken[cpus[j]] || rem[cpus[j]] < a - EPS)) j++;
    if (j >= c1) {
      // A later pCPU may have been skipped for being too small for an earlier thread: rescan once.
      let k = c0;
      while (k < c1 && (taken[cpus[k]] || rem[cpus[k]] < a - EPS)) k++;
      if (k >= c1) ok = false;
      else {
        taken[cpus[k]] = 1;
        assign[e - first] = cpus[k];
      }
      continue;
    }
    taken[cpus[j]] = 1;
    assign[e - first] = cpus[j];
  }
  for (let q = c0; q < c1; q++) member[cpus[q]] = 0;
  if (!ok) return false;
  for (let e = first; e < last; e++) {
    const p = assign[e - first];
    if (p < 0) continue;
    const a = Math.min(alloc[e], rem[p]);
    rem[p] -= a;
    alloc[e] = a;
    addChunk(out, sc, isUser, e, p, a);
    primary[e] = p;
  }
  return true;
}

/**
 * Places the allocations of entities [first, last) on the group's pCPUs cpus[c0..c1) (host-local
 * numbers), taking from `rem` (remaining time per pCPU, updated). Appends chunks; sets `primary`
 * (host-local pCPU holding the largest part) for entities that ran; adds each chunk to its pCPU's
 * user or system time in `sc` (isUser: the entity runs guest code). A step needs only those
 * sums, so it passes no `out`; placementOf, which shows where each thread ran, passes one.
 * sc.sums holds the allocations' sums (waterfill or allocSums wrote them).
 */
export function place(
  first: number,
  last: number,
  alloc: Float64Array,
  cpus: Int32Array,
  c0: number,
  c1: number,
  rem: Float64Array,
  primary: Int16Array,
  isUser: Uint8Array,
  out: Chunks | null,
  sc: PlaceScratch,
): void {
  const k = c1 - c0;
  const fresh = sc.fresh;
  sc.fresh = false;
  const { sums } = sc;
  const A = sums[SUM];
  const amax = sums[MAX];
  const running = sums[RUNNING];
  if (A <= EPS || k === 0) return;
  if (running <= k && placeSpread(first, last, alloc, cpus, c0, c1, rem, primary, isUser, out, sc)) return;
  let c = Math.max(A / k, amax);
  // On a host's first group every pCPU is free and c ≤ 1 fits on each: the level is c already.
  for (let iter = 0; iter < 8 && !fresh; iter++) {
    let sum = 0;
    let above = 0;
    for (let j = c0; j < c1; j++) {
      const r = rem[cpus[j]];
      sum += r < c ? r : c;
      if (r > c) above++;
    }
    if (sum >= A - EPS || above === 0) break;
    c += (A - sum) / above;
  }
  // Each pCPU takes this group's time up to the level c (or what it has left).
  const { user, system, room, member, assign } = sc;
  for (let j = c0; j < c1; j++) {
    const q = cpus[j];
    room[q] = rem[q] < c ? rem[q] : c;
    member[q] = 1;
  }
  // A thread that fits whole on the pCPU it ran on, under the level, stays there: Linux keeps a
  // thread where its cache is warm while the load is balanced, so most threads never migrate.
  // The others (assign[0..nw), in entity order) are laid out below, with no pass over the rest.
  let nw = 0;
  for (let e = first; e < last; e++) {
    const a = alloc[e];
    if (a <= EPS) continue;
    const q = primary[e];
    if (q < 0 || !member[q] || room[q] < a) {
      assign[nw++] = e;
      continue;
    }
    room[q] -= a;
    rem[q] -= a;
    addChunk(out, sc, isUser, e, q, a);
  }
  for (let j = c0; j < c1; j++) member[cpus[j]] = 0;
  // The chunk arrays in locals (empty ones when no chunks are kept: the loop then writes none).
  const keep = out !== null;
  const oEnt = keep ? out.ent : NO_CHUNKS.ent;
  const oCpu = keep ? out.cpu : NO_CHUNKS.cpu;
  const oAmt = keep ? out.amt : NO_CHUNKS.amt;
  let n = keep ? out.n : 0;
  // The others wrap around the room left, pCPU after pCPU. The current pCPU's figures live in
  // locals (written back on leaving it).
  let j = c0;
  let p = cpus[j];
  let rp = rem[p];
  let up = user[p];
  let sp = system[p];
  let rm = room[p];
  for (let i = 0; i < nw; i++) {
    const e = assign[i];
    let x = alloc[e];
    const u = isUser[e];
    let best = -1;
    let bestAmt = 0;
    // A thread that still runs partly where it ran before is said to stay there (no migration).
    const prev = primary[e];
    let stays = false;
    while (x > EPS) {
      if (rm <= EPS) {
        if (j + 1 >= c1) break; // rounding dust: the group's capacity is used up
        rem[p] = rp;
        user[p] = up;
        system[p] = sp;
        j++;
        p = cpus[j];
        rp = rem[p];
        up = user[p];
        sp = system[p];
        rm = room[p];
        continue;
      }
      const take = x < rm ? x : rm;
      rm -= take;
      rp -= take;
      x -= take;
      if (u) up += take;
      else sp += take;
      if (keep) {
        oEnt[n] = e;
        oCpu[n] = p;
        oAmt[n] = take;
        n++;
      }
      if (take > bestAmt) {
        bestAmt = take;
        best = p;
      }
      if (p === prev) stays = true;
    }
    if (x > EPS) alloc[e] -= x; // never hand out time a pCPU does not have
    if (best >= 0) primary[e] = stays ? prev : best;
  }
  rem[p] = rp;
  user[p] = up;
  system[p] = sp;
  if (keep) out.n = n;
}
