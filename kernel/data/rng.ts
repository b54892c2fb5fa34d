/**
 * A small seeded PRNG (mulberry32: 32-bit state, full period 2^32) for reproducible sampling and the demo
 * generator. Math.random cannot be seeded, and every draw here must be the same on every machine.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so nearby seeds (0, 1, 2) start from unrelated states.
    this.state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
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

  /** A derived generator, so adding draws to one stage does not shift another stage's numbers. */
  fork(label: number): Rng {
    return new Rng((Math.imul(this.int(0, 0x7fffffff), 31) + label) >>> 0);
  }
}
