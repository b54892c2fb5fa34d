/**
 * Marsaglia's xorshift32 as a function returning uniforms in [0, 1): the cheapest seeded stream, used for random CLIP
 * weights of any size (benchmarks, shape tests), where only reproducibility matters, not quality. Seed 0 (a fixed
 * point of xorshift) is taken as 1. Kept apart from `Rng` because benchmark weights depend on this exact sequence
 * (test/unit/util/randomStreams pins it).
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
