/**
 * Automatic sign selection on the support set (methods.md §6.2, our design): a sign of category c is kept when it
 * separates the support images of c from every other support image, measured by the AUROC of its sign score u_s
 * (positives: images of c; negatives: normals and the other categories). Kept: AUROC ≥ max(0.5, median AUROC of
 * c's signs); when fewer than MIN_SIGNS pass, the MIN_SIGNS best (ties: list order). Normal signs are always used
 * (they are the common reference of every logit). The support set only — the test split never informs selection.
 */
import { aurocExact } from "../../metrics/auroc";
import { quantile } from "../../metrics/bootstrap";
import { MIN_SIGNS, UNCERTAIN_PERCENTILE } from "./design";

export interface SignSelection {
  /** Per sign: used in the category logits. */
  selected: boolean[];
  /** Per sign: support AUROC (NaN for normal signs and when a category has no negatives/positives). */
  auroc: number[];
}

/**
 * `u[i]`: sign scores of support image i; `labels[i]`: its categories (1-based; empty = normal); `group[s]`: sign s's
 * group (0 = normal).
 */
export function selectSigns(
  u: readonly ArrayLike<number>[],
  labels: readonly number[][],
  group: readonly number[],
  categories: number,
): SignSelection {
  const S = group.length;
  const auroc = new Array<number>(S).fill(NaN);
  const selected = group.map((g) => g === 0);
  for (let c = 1; c <= categories; c++) {
    const mine = group.flatMap((g, s) => (g === c ? [s] : []));
    const y = labels.map((l) => (l.includes(c) ? 1 : 0));
    const both = y.some((v) => v === 1) && y.some((v) => v === 0);
    for (const s of mine)
      auroc[s] = both
        ? aurocExact(
            u.map((x) => x[s]),
            y,
          )
        : NaN;
    if (!both) {
      // Without positives or negatives nothing can be measured: keep every sign of the category.
      for (const s of mine) selected[s] = true;
      continue;
    }
    const sorted = mine.map((s) => auroc[s]).sort((a, b) => a - b);
    const threshold = Math.max(0.5, quantile(sorted, 0.5));
    const keep = mine.filter((s) => auroc[s] >= threshold);
    const chosen =
      keep.length >= Math.min(MIN_SIGNS, mine.length)
        ? keep
        : [...mine].sort((a, b) => auroc[b] - auroc[a] || a - b).slice(0, MIN_SIGNS);
    for (const s of chosen) selected[s] = true;
  }
  return { selected, auroc };
}

/** The entropy above which an image is uncertain: the UNCERTAIN_PERCENTILE-th percentile (linear interpolation) of the support set's. */
export function uncertaintyThreshold(supportEntropies: readonly number[]): number {
  return quantile(
    [...supportEntropies].sort((a, b) => a - b),
    UNCERTAIN_PERCENTILE / 100,
  );
}
