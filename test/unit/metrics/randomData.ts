// Seeded random test data with heavy ties and awkward floats.
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";

/** Awkward values: signed zeros, infinities, subnormals, extremes of float32, negatives. */
export const SPECIAL_VALUES = [
  0,
  -0,
  Infinity,
  -Infinity,
  1e-45,
  -1e-45,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1,
  -1,
  0.5,
];

export interface Sample {
  scores: Float32Array;
  labels: Uint8Array;
}

/**
 * n float32 scores drawn from a pool of `distinct` values (so ties are heavy when distinct << n) mixed with special
 * values; the label probability rises with the score so the AUROC is not trivially 0.5.
 */
export function tiedSample(random: SeededRandom, n: number, distinct: number, specialShare = 0.1): Sample {
  const pool = Array.from({ length: distinct }, () => (random.nextFloat() - 0.3) * 10);
  const scores = new Float32Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] =
      random.nextFloat() < specialShare
        ? SPECIAL_VALUES[random.nextInt(SPECIAL_VALUES.length)]
        : pool[random.nextInt(distinct)];
    const p = 1 / (1 + Math.exp(-Math.max(-20, Math.min(20, scores[i]))));
    labels[i] = random.nextFloat() < 0.2 + 0.6 * p ? 1 : 0;
  }
  // Guarantee both classes.
  labels[0] = 1;
  labels[n - 1] = 0;
  return { scores, labels };
}
