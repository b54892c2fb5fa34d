import { CompensatedSum } from "./compensatedSum";
import { ScoreHistogram } from "./scoreHistogram";
import { TieGroups } from "./tieGroups";
import { Labels, requirePositives } from "./validate";

/**
 * Average precision with sklearn's average_precision_score semantics: sum over distinct thresholds t (descending) of
 * (R(t) - R(previous t)) * P(t), a step function without interpolation. Tied samples enter together at their score.
 */
export function averagePrecisionFromHistogram(histogram: ScoreHistogram): number {
  requirePositives(histogram.positives, "Average precision");
  const sum = new CompensatedSum();
  let truePositives = 0;
  let falsePositives = 0;
  histogram.forEachDescending((_score, negatives, positives) => {
    truePositives += positives;
    falsePositives += negatives;
    if (positives > 0) {
      sum.add((positives / histogram.positives) * (truePositives / (truePositives + falsePositives)));
    }
  });
  return sum.value();
}

/** Average precision of in-memory scores and 0/1 labels; equals sklearn.metrics.average_precision_score. */
export function averagePrecision(scores: ArrayLike<number>, labels: Labels): number {
  return averagePrecisionFromHistogram(new TieGroups(scores, labels));
}
