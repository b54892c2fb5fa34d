import { ExactIntegerSum, ratioToNumber } from "./exactIntegerSum";
import { ScoreHistogram } from "./scoreHistogram";
import { TieGroups } from "./tieGroups";
import { Labels, requireBothClasses } from "./validate";

/**
 * Exact AUROC = Mann-Whitney U / (P*N) with ties counted one half (mid-ranks), which is the area sklearn's
 * roc_auc_score obtains by trapezoids over its ROC curve. The pair count is summed as an exact integer (2U, to keep
 * the halves integral) and divided once at the end, so the result does not depend on the order of summation.
 */
export function aurocFromHistogram(histogram: ScoreHistogram): number {
  requireBothClasses(histogram.positives, histogram.negatives, "AUROC");
  const twiceU = new ExactIntegerSum();
  let positivesAbove = 0;
  histogram.forEachDescending((_score, negatives, positives) => {
    // Each negative here is beaten by every positive strictly above and ties with the positives at this score.
    if (negatives > 0) twiceU.addProduct(negatives, 2 * positivesAbove + positives);
    positivesAbove += positives;
  });
  const pairs = BigInt(histogram.positives) * BigInt(histogram.negatives);
  return ratioToNumber(twiceU.value(), 2n * pairs);
}

/** AUROC of in-memory scores and 0/1 labels (image level); equals sklearn.metrics.roc_auc_score. */
export function aurocExact(scores: ArrayLike<number>, labels: Labels): number {
  return aurocFromHistogram(new TieGroups(scores, labels));
}
