// Reference implementations straight from the definitions, quadratic on purpose: they share no code with
// kernel/metrics (no histograms, no sorting tricks), so agreement is evidence, not tautology.

export function bruteAuroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let twiceWins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) twiceWins += 2;
      else if (scores[i] === scores[j]) twiceWins += 1;
    }
  }
  return twiceWins / (2 * pairs);
}

/** Distinct scores, highest first (Set uses SameValueZero: -0 and +0 are one value, as in NumPy). */
export function distinctDescending(scores: ArrayLike<number>): number[] {
  return [...new Set(Array.from(scores))].sort((a, b) => b - a);
}

export interface Confusion {
  threshold: number;
  tp: number;
  fp: number;
}

/** TP and FP when predicting score >= t, for each distinct t (descending). */
export function bruteConfusions(scores: ArrayLike<number>, labels: ArrayLike<number>): Confusion[] {
  return distinctDescending(scores).map((threshold) => {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold) {
        if (labels[i] === 1) tp++;
        else fp++;
      }
    }
    return { threshold, tp, fp };
  });
}

/** sklearn's definition written out: sum of (R_k - R_{k-1}) * P_k over descending thresholds. */
export function bruteAveragePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const positives = Array.from(labels).filter((l) => l === 1).length;
  let previousRecall = 0;
  let ap = 0;
  for (const { tp, fp } of bruteConfusions(scores, labels)) {
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
}

/** Best F1 and the lowest threshold reaching it, comparing F1 = 2TP/(TP+FP+P) as exact fractions. */
export function bruteF1Max(scores: ArrayLike<number>, labels: ArrayLike<number>): { f1: number; threshold: number } {
  const positives = Array.from(labels).filter((l) => l === 1).length;
  let best = { num: -1, den: 1, threshold: NaN };
  for (const { threshold, tp, fp } of bruteConfusions(scores, labels)) {
    const num = 2 * tp;
    const den = tp + fp + positives;
    if (num * best.den >= best.num * den) best = { num, den, threshold };
  }
  return { f1: best.num / best.den, threshold: best.threshold };
}
