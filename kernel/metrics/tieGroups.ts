import { ScoreHistogram } from "./scoreHistogram";
import { binaryLabel, checkSameLength, checkScore, Labels } from "./validate";

/**
 * ScoreHistogram of in-memory arrays (image-level scores, small pixel sets): negatives and positives are sorted
 * separately with the native numeric sort, then merged into tie groups. Scores are compared as doubles, so float64
 * inputs keep their full precision and -0 === +0 form one group, as in NumPy.
 */
export class TieGroups implements ScoreHistogram {
  readonly positives: number;
  readonly negatives: number;
  private readonly sortedNegatives: Float64Array;
  private readonly sortedPositives: Float64Array;

  constructor(scores: ArrayLike<number>, labels: Labels) {
    checkSameLength(scores, labels);
    let positives = 0;
    for (let i = 0; i < scores.length; i++) {
      checkScore(scores[i], i);
      positives += binaryLabel(labels, i);
    }
    this.positives = positives;
    this.negatives = scores.length - positives;
    this.sortedPositives = new Float64Array(positives);
    this.sortedNegatives = new Float64Array(this.negatives);
    let p = 0;
    let n = 0;
    for (let i = 0; i < scores.length; i++) {
      if (binaryLabel(labels, i)) this.sortedPositives[p++] = scores[i];
      else this.sortedNegatives[n++] = scores[i];
    }
    this.sortedPositives.sort();
    this.sortedNegatives.sort();
  }

  forEachDescending(visit: (score: number, negatives: number, positives: number) => void): void {
    const neg = this.sortedNegatives;
    const pos = this.sortedPositives;
    let i = neg.length - 1;
    let j = pos.length - 1;
    while (i >= 0 || j >= 0) {
      const score = i < 0 ? pos[j] : j < 0 ? neg[i] : Math.max(neg[i], pos[j]);
      let negCount = 0;
      let posCount = 0;
      while (i >= 0 && neg[i] === score) {
        negCount++;
        i--;
      }
      while (j >= 0 && pos[j] === score) {
        posCount++;
        j--;
      }
      visit(score === 0 ? 0 : score, negCount, posCount);
    }
  }
}
