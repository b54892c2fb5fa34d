import { aurocExact } from "./auroc";
import { bootstrapMany, type BootstrapInterval, type BootstrapOptions } from "./bootstrap";
import { rocCurve } from "./curves";
import type { Labels } from "./validate";

export interface RocBand {
  /** The FPR grid, 0 … 1 evenly. */
  fpr: number[];
  /** Pointwise percentile interval of the TPR at each grid FPR. */
  lower: number[];
  upper: number[];
  level: number;
}

/**
 * TPR of a ROC curve (points joined by straight lines, as it is drawn) at one FPR. At a vertical step (several points
 * with the same FPR) it is the top of the step, i.e. the best TPR reachable at that FPR.
 */
export function tprAtFpr(fpr: ArrayLike<number>, tpr: ArrayLike<number>, at: number): number {
  let k = 0;
  while (k + 1 < fpr.length && fpr[k + 1] <= at) k++;
  if (k + 1 >= fpr.length || fpr[k + 1] === fpr[k]) return tpr[k];
  return tpr[k] + ((tpr[k + 1] - tpr[k]) * (at - fpr[k])) / (fpr[k + 1] - fpr[k]);
}

/**
 * The AUROC interval and a pointwise ROC confidence band from one stratified bootstrap (vertical averaging: each
 * resample's curve is read at fixed FPRs and each FPR gets its percentile interval of the TPR). The AUROC interval is
 * the same as bootstrapCi(aurocExact, …) with the same options: both come from the same resamples.
 */
export function rocBootstrap(
  scores: ArrayLike<number>,
  labels: Labels,
  options: BootstrapOptions & { points?: number } = {},
): { auroc: BootstrapInterval; band: RocBand } {
  const points = options.points ?? 51;
  if (!Number.isInteger(points) || points < 2) {
    throw new Error(`ROC band: points must be an integer ≥ 2, got ${points}.`);
  }
  const grid = Array.from({ length: points }, (_, i) => i / (points - 1));
  const out = new Float64Array(points + 1);
  const intervals = bootstrapMany(
    (s, l) => {
      out[0] = aurocExact(s, l);
      const curve = rocCurve(s, l);
      grid.forEach((f, i) => (out[i + 1] = tprAtFpr(curve.fpr, curve.tpr, f)));
      return out;
    },
    points + 1,
    scores,
    labels,
    options,
  );
  const [auroc, ...band] = intervals;
  const lower = band.map((b) => b.lower);
  const upper = band.map((b) => b.upper);
  return { auroc, band: { fpr: grid, lower, upper, level: auroc.level } };
}
