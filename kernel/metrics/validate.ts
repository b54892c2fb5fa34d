/** Input checks shared by the metrics: errors name the offending index and say how to fix the input. */

export type Labels = ArrayLike<number | boolean>;

/** Reads a label as 0/1; anything else is an error (sklearn also refuses non-binary targets). */
export function binaryLabel(labels: Labels, index: number, what = "labels"): 0 | 1 {
  const v = labels[index];
  if (v === 1 || v === true) return 1;
  if (v === 0 || v === false) return 0;
  throw new Error(
    `${what}[${index}] is ${String(v)}: labels must be 0 (normal) or 1 (anomalous); binarise first (e.g. mask > 0.5).`,
  );
}

export function checkScore(score: number, index: number, what = "scores"): void {
  if (Number.isNaN(score)) {
    throw new Error(
      `${what}[${index}] is NaN: metrics refuse NaN scores because they have no rank; fix or drop that sample.`,
    );
  }
}

export function checkSameLength(scores: ArrayLike<number>, labels: ArrayLike<unknown>, what = "scores/labels"): void {
  if (scores.length !== labels.length) {
    throw new Error(`${what}: ${scores.length} scores but ${labels.length} labels; they must pair one to one.`);
  }
}

export function requireBothClasses(positives: number, negatives: number, metric: string): void {
  if (positives === 0 || negatives === 0) {
    throw new Error(`${metric} needs both classes, but got ${positives} positives and ${negatives} negatives.`);
  }
}

export function requirePositives(positives: number, metric: string): void {
  if (positives === 0) throw new Error(`${metric} needs at least one positive (anomalous) sample.`);
}
