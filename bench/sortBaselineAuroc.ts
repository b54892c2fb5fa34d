/**
 * The straightforward exact pixel AUROC the benchmark compares against: keep every score, sort, count. This is what
 * concatenating all maps and calling sklearn's roc_auc_score amounts to. Memory: 4 bytes per score + 1 per label.
 */
import { ExactIntegerSum, ratioToNumber } from "../kernel/metrics/exactIntegerSum";

export class SortBaselineAuroc {
  private readonly scores: Float32Array;
  private readonly labels: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.scores = new Float32Array(capacity);
    this.labels = new Uint8Array(capacity);
  }

  add(scores: Float32Array, mask: Uint8Array): void {
    this.scores.set(scores, this.length);
    this.labels.set(mask, this.length);
    this.length += scores.length;
  }

  auroc(): number {
    // Split the classes: positives into a small new array, negatives compacted in place at the front.
    let positives = 0;
    for (let i = 0; i < this.length; i++) positives += this.labels[i] !== 0 ? 1 : 0;
    const pos = new Float32Array(positives);
    let p = 0;
    let n = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.labels[i] !== 0) pos[p++] = this.scores[i];
      else this.scores[n++] = this.scores[i];
    }
    const neg = this.scores.subarray(0, n);
    pos.sort();
    neg.sort();
    // Merge walk: each positive beats the negatives strictly below it and ties (one half) those equal to it.
    const twiceU = new ExactIntegerSum();
    let below = 0;
    for (let i = 0; i < pos.length; ) {
      const score = pos[i];
      let run = 0;
      while (i < pos.length && pos[i] === score) {
        run++;
        i++;
      }
      while (below < n && neg[below] < score) below++;
      let equal = 0;
      while (below + equal < n && neg[below + equal] === score) equal++;
      twiceU.addProduct(run, 2 * below + equal);
    }
    return ratioToNumber(twiceU.value(), 2n * BigInt(positives) * BigInt(n));
  }
}
