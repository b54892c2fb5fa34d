/**
 * Multi-class metrics over integer class ids 0..classes−1 (sklearn conventions): confusion matrix (rows = truth,
 * columns = prediction), accuracy, per-class F1 = 2·TP/(2·TP + FP + FN) and macro-F1 = their unweighted mean over
 * every class in 0..classes−1. A class that is neither true nor predicted anywhere has F1 0 (sklearn's
 * zero_division=0), so macro-F1 over a class list that includes absent classes is lower than over present ones.
 */

function checkClasses(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): void {
  if (truth.length !== predicted.length)
    throw new Error(
      `multi-class metrics: ${truth.length} true classes but ${predicted.length} predictions; they must pair one to one.`,
    );
  if (truth.length === 0) throw new Error("multi-class metrics need at least one sample.");
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`multi-class metrics: classes must be a whole number ≥ 1, got ${classes}`);
  for (const [what, a] of [
    ["truth", truth],
    ["predicted", predicted],
  ] as const) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isInteger(a[i]) || a[i] < 0 || a[i] >= classes)
        throw new Error(`multi-class metrics: ${what}[${i}] is ${a[i]}, not a class id in 0..${classes - 1}.`);
    }
  }
}

/** matrix[t][p] = how many samples of true class t were predicted as p. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  checkClasses(truth, predicted, classes);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][predicted[i]]++;
  return m;
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number {
  const m = confusionMatrix(truth, predicted, classes);
  return m.reduce((s, row, c) => s + row[c], 0) / truth.length;
}

/** F1 of each class, one-vs-rest. */
export function perClassF1(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[] {
  const m = confusionMatrix(truth, predicted, classes);
  return m.map((row, c) => {
    const tp = row[c];
    const fn = row.reduce((a, b) => a + b, 0) - tp;
    const fp = m.reduce((a, r) => a + r[c], 0) - tp;
    const denominator = 2 * tp + fp + fn;
    return denominator === 0 ? 0 : (2 * tp) / denominator;
  });
}

export function macroF1(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number {
  const f = perClassF1(truth, predicted, classes);
  return f.reduce((a, b) => a + b, 0) / f.length;
}
