import { ScoreHistogram } from "./scoreHistogram";
import { TieGroups } from "./tieGroups";
import { Labels, requireBothClasses, requirePositives } from "./validate";

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing; thresholds[0] = +Infinity is the "predict nothing" point (sklearn >= 1.3; 1.2 used max + 1). */
  thresholds: Float64Array;
}

export interface PrCurve {
  /** One longer than thresholds: the last point (precision 1, recall 0) has no threshold, as in sklearn. */
  precision: Float64Array;
  recall: Float64Array;
  /** Increasing distinct scores, as sklearn.metrics.precision_recall_curve returns them. */
  thresholds: Float64Array;
}

interface CumulativeCounts {
  thresholds: number[];
  falsePositives: number[];
  truePositives: number[];
}

/** sklearn's _binary_clf_curve: cumulative FP/TP when predicting "score >= t", t running over distinct scores downwards. */
function cumulativeCounts(histogram: ScoreHistogram): CumulativeCounts {
  const out: CumulativeCounts = { thresholds: [], falsePositives: [], truePositives: [] };
  let tp = 0;
  let fp = 0;
  histogram.forEachDescending((score, negatives, positives) => {
    tp += positives;
    fp += negatives;
    out.thresholds.push(score);
    out.falsePositives.push(fp);
    out.truePositives.push(tp);
  });
  return out;
}

/**
 * Indices sklearn keeps with drop_intermediate: the two ends and every point whose FP and TP steps differ on its two
 * sides (a point with identical steps before and after lies on a straight segment and adds nothing to the plot or area).
 */
function keptIndices(c: CumulativeCounts): number[] {
  const n = c.thresholds.length;
  if (n <= 2) return [...Array(n).keys()];
  const kept = [0];
  for (let i = 1; i < n - 1; i++) {
    const fpBend = c.falsePositives[i + 1] - 2 * c.falsePositives[i] + c.falsePositives[i - 1];
    const tpBend = c.truePositives[i + 1] - 2 * c.truePositives[i] + c.truePositives[i - 1];
    if (fpBend !== 0 || tpBend !== 0) kept.push(i);
  }
  kept.push(n - 1);
  return kept;
}

export function rocCurveFromHistogram(
  histogram: ScoreHistogram,
  options: { dropIntermediate?: boolean } = {},
): RocCurve {
  requireBothClasses(histogram.positives, histogram.negatives, "ROC curve");
  const counts = cumulativeCounts(histogram);
  const kept = (options.dropIntermediate ?? true) ? keptIndices(counts) : [...counts.thresholds.keys()];
  const curve: RocCurve = {
    fpr: new Float64Array(kept.length + 1),
    tpr: new Float64Array(kept.length + 1),
    thresholds: new Float64Array(kept.length + 1),
  };
  curve.thresholds[0] = Infinity;
  kept.forEach((index, k) => {
    curve.fpr[k + 1] = counts.falsePositives[index] / histogram.negatives;
    curve.tpr[k + 1] = counts.truePositives[index] / histogram.positives;
    curve.thresholds[k + 1] = counts.thresholds[index];
  });
  return curve;
}

export function prCurveFromHistogram(histogram: ScoreHistogram): PrCurve {
  requirePositives(histogram.positives, "PR curve");
  const counts = cumulativeCounts(histogram);
  const n = counts.thresholds.length;
  const curve: PrCurve = {
    precision: new Float64Array(n + 1),
    recall: new Float64Array(n + 1),
    thresholds: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const k = n - 1 - i; // sklearn reverses to increasing thresholds
    const tp = counts.truePositives[i];
    curve.precision[k] = tp / (tp + counts.falsePositives[i]);
    curve.recall[k] = tp / histogram.positives;
    curve.thresholds[k] = counts.thresholds[i];
  }
  curve.precision[n] = 1;
  curve.recall[n] = 0;
  return curve;
}

/** ROC curve of in-memory scores; sklearn.metrics.roc_curve (drop_intermediate defaults to true there too). */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: Labels,
  options: { dropIntermediate?: boolean } = {},
): RocCurve {
  return rocCurveFromHistogram(new TieGroups(scores, labels), options);
}

/** PR curve of in-memory scores; sklearn.metrics.precision_recall_curve. */
export function prCurve(scores: ArrayLike<number>, labels: Labels): PrCurve {
  return prCurveFromHistogram(new TieGroups(scores, labels));
}
