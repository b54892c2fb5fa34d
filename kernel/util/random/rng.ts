/**
 * The project's seeded PRNG (mulberry32: one 32-bit state word, full period 2^32) for reproducible sampling,
 * training shuffles and augmentation, and the demo generator. Math.random cannot be seeded, and every draw here must
 * be the same on every machine. The whole state is one number (`state`), so a checkpoint can store it and a resumed
 * run draws exactly what the uninterrupted run would have drawn (`Rng.fromState`).
 *
 * Recorded runs name a seed, not the numbers: the sequence must never change (test/unit/util/randomStreams pins it).
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    // Mix the seed once so nearby seeds (0, 1, 2) start from unrelated states.
    this.s = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** Continues a stream from a saved `state` (no seed mixing). */
  static fromState(state: number): Rng {
    const r = new Rng(0);
    r.s = state >>> 0;
    return r;
  }

  /** The whole generator state, for checkpoints. */
  get state(): number {
    return this.s;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal (Box-Muller; the second value is discarded to keep the stream simple to reason about). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1], keeps log finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** k distinct items, in draw order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k > items.length) throw new Error(`cannot draw ${k} distinct items from ${items.length}`);
    const a = [...items];
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (a.length - i));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, k);
  }

  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A derived generator, so adding draws to one stage does not shift another stage's numbers. */
  fork(label: number): Rng {
    return new Rng((Math.imul(this.int(0, 0x7fffffff), 31) + label) >>> 0);
  }
}
