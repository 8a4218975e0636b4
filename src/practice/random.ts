/**
 * Seeded randomness. Everything on the practice site comes from these generators, so
 * the same seed always yields the same site. Pages rendered on demand take their own
 * sub-seeded generator (`forEntity`), which keeps output independent of request order.
 */

/** mulberry32: tiny, fast, good enough for test data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a label, mixed with a seed and an index: stable sub-seeds. */
export function subSeed(seed: number, label: string, index = 0): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ index, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class Rng {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  static forEntity(seed: number, label: string, index = 0): Rng {
    return new Rng(subSeed(seed, label, index));
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** Index biased toward the start of a list (popular items first). */
  skewed(length: number, power = 2): number {
    return Math.min(length - 1, Math.floor(Math.pow(this.next(), power) * length));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = list[i]!;
      list[i] = list[j]!;
      list[j] = t;
    }
    return list;
  }
}
