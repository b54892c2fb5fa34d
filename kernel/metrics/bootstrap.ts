import { SeededRandom } from "../util/random/xoshiro128";
import { binaryLabel, checkSameLength, Labels } from "./validate";

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  iterations?: number;
  /** PRNG seed; the same seed and inputs give the same interval (default 0). */
  seed?: number;
  /** Coverage of the two-sided percentile interval (default 0.95). */
  level?: number;
  /**
   * Resample positives and negatives separately, keeping their counts (default true). Every resample then has both
   * classes, so AUROC is always defined and no resample has to be discarded (which would bias the interval).
   */
  stratified?: boolean;
}

export interface BootstrapInterval {
  /** The metric on the original data. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  iterations: number;
  seed: number;
}

export type SampleMetric = (scores: Float64Array, labels: Uint8Array) => number;

/**
 * Percentile bootstrap confidence interval of any metric of (scores, labels): resample with replacement, recompute,
 * take the (1-level)/2 and (1+level)/2 quantiles with linear interpolation (NumPy's default percentile method).
 */
export function bootstrapCi(
  metric: SampleMetric,
  scores: ArrayLike<number>,
  labels: Labels,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const one = new Float64Array(1);
  const [interval] = bootstrapMany((s, l) => ((one[0] = metric(s, l)), one), 1, scores, labels, options);
  return interval;
}

/** A metric with `size` values per sample (e.g. the TPR of a ROC curve at fixed FPRs); writes into a reused array. */
export type VectorMetric = (scores: Float64Array, labels: Uint8Array) => ArrayLike<number>;

/**
 * Pointwise percentile intervals of a vector metric over the same resamples (one pass, so every component sees the
 * same bootstrap samples). Component k of a scalar metric wrapped this way equals bootstrapCi bit for bit.
 */
export function bootstrapMany(
  metric: VectorMetric,
  size: number,
  scores: ArrayLike<number>,
  labels: Labels,
  options: BootstrapOptions = {},
): BootstrapInterval[] {
  const iterations = options.iterations ?? 1000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  const stratified = options.stratified ?? true;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new Error(`bootstrap iterations must be a positive integer, got ${iterations}.`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap level must be in (0, 1), got ${level}.`);
  checkSameLength(scores, labels);
  const n = scores.length;
  if (n === 0) throw new Error("bootstrap needs at least one sample.");
  const originalScores = Float64Array.from(scores);
  const originalLabels = Uint8Array.from({ length: n }, (_, i) => binaryLabel(labels, i));
  const positiveIndices: number[] = [];
  const negativeIndices: number[] = [];
  originalLabels.forEach((label, i) => (label ? positiveIndices : negativeIndices).push(i));

  const random = new SeededRandom(seed);
  const sampleScores = new Float64Array(n);
  const sampleLabels = new Uint8Array(n);
  // values[k] holds component k of every resample.
  const values = Array.from({ length: size }, () => new Float64Array(iterations));
  for (let it = 0; it < iterations; it++) {
    if (stratified) {
      let k = 0;
      for (const group of [negativeIndices, positiveIndices]) {
        for (let i = 0; i < group.length; i++, k++) {
          const source = group[random.nextInt(group.length)];
          sampleScores[k] = originalScores[source];
          sampleLabels[k] = originalLabels[source];
        }
      }
    } else {
      for (let k = 0; k < n; k++) {
        const source = random.nextInt(n);
        sampleScores[k] = originalScores[source];
        sampleLabels[k] = originalLabels[source];
      }
    }
    const v = metric(sampleScores, sampleLabels);
    for (let k = 0; k < size; k++) values[k][it] = v[k];
  }
  const estimate = Array.from(metric(originalScores, originalLabels));
  return values.map((component, k) => {
    component.sort();
    return {
      estimate: estimate[k],
      lower: quantile(component, (1 - level) / 2),
      upper: quantile(component, (1 + level) / 2),
      level,
      iterations,
      seed,
    };
  });
}

/** Quantile q of sorted values, interpolating linearly between order statistics (NumPy "linear"). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
