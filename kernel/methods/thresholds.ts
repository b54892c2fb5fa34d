/**
 * Decision thresholds from normal images only (docs/detect.md). A threshold is an upper order statistic of the
 * fused scores of the normal calibration images: rank k = min(n, ⌈(n + 1)·q⌉) of n sorted scores, the split-conformal
 * rank. For exchangeable normals this bounds the false-alarm rate of a new normal image by 1 − k/(n + 1) (k < n+1),
 * whatever the score distribution; it never takes the minimum (the failure of an "adaptive" threshold fitted on
 * normal-only validation data, which flags every image). With few normals (1–4 at q = 0.95) the rank clamps to n, so
 * the threshold is the highest normal score and the bound is 1/(n + 1) — stated in the record, not hidden.
 */
import type { CalibratedThreshold, DecisionCounts } from "./result";

/** Image-level default: at most ~5% false alarms on new normals once there are ≥ 19 calibration normals. */
export const DEFAULT_IMAGE_QUANTILE = 0.95;
/** Pixel-level default: a predicted mask of a normal image keeps ~1% of its pixels (pixels of one image are not
 * exchangeable, so no bound is claimed at pixel level). */
export const DEFAULT_PIXEL_QUANTILE = 0.99;

export function checkQuantile(q: number, what: string): number {
  if (typeof q !== "number" || !(q > 0 && q < 1)) throw new Error(`${what} must be a number in (0, 1), got ${q}`);
  return q;
}

/** The conformal rank (1-based) of quantile q among n values. */
export function conformalRank(n: number, q: number): number {
  if (n < 1) throw new Error("conformalRank: no values");
  return Math.min(n, Math.ceil((n + 1) * q - 1e-12));
}

/**
 * The calibrated threshold of `values` (finite ones only) at quantile q. `perImage` says whether a value is one image
 * (the conformal bound applies) or one pixel; `images` is how many normal images the values came from.
 */
export function normalThreshold(
  values: ArrayLike<number>,
  q: number,
  o: { images: number; perImage: boolean; source: string },
): CalibratedThreshold {
  const sorted = Float64Array.from(values).filter((v) => Number.isFinite(v));
  if (sorted.length === 0) throw new Error("normalThreshold: no finite normal scores");
  sorted.sort();
  const n = sorted.length;
  const rank = conformalRank(n, q);
  const clamped = Math.ceil((n + 1) * q - 1e-12) > n;
  return {
    value: sorted[rank - 1],
    quantile: q,
    rank,
    values: n,
    normals: o.images,
    source: o.source,
    falseAlarmBound: o.perImage ? 1 - rank / (n + 1) : null,
    note: clamped
      ? `only ${n} normal ${o.perImage ? "images" : "pixels"}: the ${q} quantile clamps to the highest normal value` +
        (o.perImage ? ` (false alarms on new normals ≤ ${(1 / (n + 1)).toFixed(3)} under exchangeability)` : "")
      : `rank ${rank} of ${n} normal values (split-conformal)`,
  };
}

/** Counts and rates of "anomalous when value > threshold" against 0/1 truth. Undefined ratios (0/0) are null. */
export class DecisionCounter {
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;
  constructor(readonly threshold: number) {}
  add(value: number, truth: number): void {
    const flagged = isAnomalous(value, this.threshold);
    if (truth && flagged) this.tp++;
    else if (truth) this.fn++;
    else if (flagged) this.fp++;
    else this.tn++;
  }
  result(): DecisionCounts {
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    return {
      threshold: this.threshold,
      tp: this.tp,
      fp: this.fp,
      tn: this.tn,
      fn: this.fn,
      sensitivity: ratio(this.tp, this.tp + this.fn),
      specificity: ratio(this.tn, this.tn + this.fp),
      precision: ratio(this.tp, this.tp + this.fp),
    };
  }
}

export function decisions(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): DecisionCounts {
  const c = new DecisionCounter(threshold);
  for (let i = 0; i < scores.length; i++) c.add(scores[i], labels[i]);
  return c.result();
}

/** The decision rule every consumer uses (evaluation, detect, exports, the heatmap overlay). */
export function isAnomalous(value: number, threshold: number): boolean {
  return value > threshold;
}

/**
 * Heatmap colour range anchored to the pixel threshold: from the median normal pixel (typical normal evidence) to as
 * far above the threshold as the threshold is above that median, so the threshold sits at mid-scale on every grid of
 * the result and of detect runs with it.
 */
export function colourRange(median: number, threshold: number): [number, number] {
  const d = threshold - median;
  return d > 0 ? [median, threshold + d] : [threshold - 1, threshold + 1];
}
