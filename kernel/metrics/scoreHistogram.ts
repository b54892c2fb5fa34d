/**
 * The common shape every threshold metric is computed from: the distinct scores with, for each, how many negatives and
 * positives carry exactly that score. Array inputs (image level) and the streaming pixel accumulator both expose it, so
 * AUROC, AP, F1-max and the curves are written once and agree by construction.
 */
export interface ScoreHistogram {
  /** Number of samples labelled anomalous (1). */
  readonly positives: number;
  /** Number of samples labelled normal (0). */
  readonly negatives: number;
  /**
   * Visits each distinct score once, from the highest to the lowest. Counts are exact integers (stored as numbers,
   * exact below 2^53). -0 and +0 are one score (reported as +0), matching NumPy's equality.
   */
  forEachDescending(visit: (score: number, negatives: number, positives: number) => void): void;
}
