// Seeded randomness in 32-bit integer ops (no BigInt, no Math.random): xoshiro128** for streams,
// splitmix32 to seed them, and a murmur-style string hash to derive per-entity streams from
// (world seed, entity key) — so adding a domain never shifts the numbers another domain sees.

/** xoshiro128** state: four unsigned 32-bit words, plain JSON. */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** 32-bit hash of a string under a seed (murmur3 body + fmix). */
export function hash32(text: string, seed = 0): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return mix32(h ^ text.length);
}

/** Avalanche a 32-bit integer (murmur3 fmix32). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Stateless noise in [0,1) for (stream seed, integer slot): the workload model's source. */
export function noise(seed: number, slot: number): number {
  return mix32(mix32(seed ^ Math.imul(slot | 0, 0x9e3779b1)) + (Math.floor(slot / 0x100000000) | 0)) / 0x100000000;
}

export class Rng {
  private s: RngState;

  constructor(state: RngState) {
    this.s = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
  }

  static fromSeed(seed: number): Rng {
    const next = splitmix32(seed);
    const st: RngState = [next(), next(), next(), next()];
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1; // xoshiro must not start all-zero
    return new Rng(st);
  }

  /** A stream private to one entity of the world (key: uuid, name, "mac:vm1:0", …). */
  static stream(worldSeed: number, key: string): Rng {
    return Rng.fromSeed(hash32(key, worldSeed));
  }

  state(): RngState {
    return [...this.s] as RngState;
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0,1). */
  float(): number {
    return this.next() / 0x100000000;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** A random (version 4) UUID string. */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () => this.next().toString(16).padStart(8, '0')).join('');
    const v = hex.slice(0, 12) + '4' + hex.slice(13, 16) + ((parseInt(hex[16], 16) & 3) | 8).toString(16) + hex.slice(17);
    return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
  }

  /** A MAC address under a three-octet vendor prefix, e.g. "52:54:00". */
  mac(prefix: string): string {
    const n = this.next();
    const tail = [(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0'));
    return `${prefix}:${tail.join(':')}`;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
