import { ScoreHistogram } from "./scoreHistogram";
import { TieGroups } from "./tieGroups";
import { Labels, requirePositives } from "./validate";

export interface F1Max {
  /** Best F1 over all thresholds. */
  f1: number;
  /** Predict anomalous when score >= threshold to obtain that F1. */
  threshold: number;
  precision: number;
  recall: number;
}

/**
 * Maximum F1 over the distinct-score thresholds of the PR curve (predict anomalous when score >= t). F1 is computed
 * as 2TP / (2TP + FP + FN), which avoids 0/0 at zero recall. When several thresholds reach the maximum the lowest one
 * wins, like np.argmax over sklearn's increasing thresholds (up to floating-point ties in p*r/(p+r)).
 */
export function f1MaxFromHistogram(histogram: ScoreHistogram): F1Max {
  requirePositives(histogram.positives, "F1-max");
  const best: F1Max = { f1: -1, threshold: Infinity, precision: 0, recall: 0 };
  let truePositives = 0;
  let falsePositives = 0;
  histogram.forEachDescending((score, negatives, positives) => {
    truePositives += positives;
    falsePositives += negatives;
    const f1 = (2 * truePositives) / (truePositives + falsePositives + histogram.positives);
    // ">=": visiting in descending order, a later equal F1 is a lower threshold.
    if (f1 >= best.f1) {
      best.f1 = f1;
      best.threshold = score;
      best.precision = truePositives / (truePositives + falsePositives);
      best.recall = truePositives / histogram.positives;
    }
  });
  return best;
}

/** F1-max of in-memory scores and 0/1 labels. */
export function f1Max(scores: ArrayLike<number>, labels: Labels): F1Max {
  return f1MaxFromHistogram(new TieGroups(scores, labels));
}
