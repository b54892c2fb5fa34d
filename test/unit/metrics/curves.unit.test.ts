import * as assert from "assert";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { averagePrecision } from "../../../kernel/metrics/averagePrecision";
import { prCurve, rocCurve } from "../../../kernel/metrics/curves";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { bruteConfusions } from "./bruteForce";
import { tiedSample } from "./randomData";

function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

describe("metrics: ROC and PR curves", () => {
  const random = new SeededRandom(4);

  it("full ROC curve: one point per distinct score, from brute-force confusion counts", () => {
    const { scores, labels } = tiedSample(random, 500, 20);
    const positives = labels.reduce((s, l) => s + l, 0);
    const negatives = labels.length - positives;
    const curve = rocCurve(scores, labels, { dropIntermediate: false });
    const brute = bruteConfusions(scores, labels);
    assert.strictEqual(curve.thresholds.length, brute.length + 1);
    assert.strictEqual(curve.thresholds[0], Infinity);
    assert.strictEqual(curve.fpr[0], 0);
    assert.strictEqual(curve.tpr[0], 0);
    brute.forEach(({ threshold, tp, fp }, i) => {
      assert.strictEqual(curve.thresholds[i + 1], threshold);
      assert.strictEqual(curve.fpr[i + 1], fp / negatives);
      assert.strictEqual(curve.tpr[i + 1], tp / positives);
    });
  });

  it("drop_intermediate keeps the ends, keeps the area, drops only points on straight equal-step runs", () => {
    for (let rep = 0; rep < 5; rep++) {
      const { scores, labels } = tiedSample(random, 400, 150, 0);
      const full = rocCurve(scores, labels, { dropIntermediate: false });
      const dropped = rocCurve(scores, labels);
      assert.ok(dropped.thresholds.length < full.thresholds.length, "this data has collinear points to drop");
      assert.ok(Math.abs(trapezoidArea(dropped.fpr, dropped.tpr) - aurocExact(scores, labels)) < 1e-12);
      assert.strictEqual(
        dropped.thresholds[dropped.thresholds.length - 1],
        full.thresholds[full.thresholds.length - 1],
      );
      const kept = new Set(dropped.thresholds);
      for (let i = 2; i < full.thresholds.length - 1; i++) {
        if (kept.has(full.thresholds[i])) continue;
        // Equal steps on both sides (sklearn's second-difference test), checked on the rates.
        const sameFpStep = Math.abs(full.fpr[i + 1] - 2 * full.fpr[i] + full.fpr[i - 1]) < 1e-12;
        const sameTpStep = Math.abs(full.tpr[i + 1] - 2 * full.tpr[i] + full.tpr[i - 1]) < 1e-12;
        assert.ok(sameFpStep && sameTpStep, `point ${i} dropped but bends the curve`);
      }
    }
  });

  it("PR curve: increasing thresholds, final (precision 1, recall 0), and sklearn's AP formula on it", () => {
    const { scores, labels } = tiedSample(random, 600, 40);
    const positives = labels.reduce((s, l) => s + l, 0);
    const curve = prCurve(scores, labels);
    const brute = bruteConfusions(scores, labels).reverse();
    assert.strictEqual(curve.precision.length, curve.thresholds.length + 1);
    brute.forEach(({ threshold, tp, fp }, i) => {
      assert.strictEqual(curve.thresholds[i], threshold);
      assert.strictEqual(curve.precision[i], tp / (tp + fp));
      assert.strictEqual(curve.recall[i], tp / positives);
    });
    assert.strictEqual(curve.precision[curve.thresholds.length], 1);
    assert.strictEqual(curve.recall[curve.thresholds.length], 0);
    // AP = -sum(diff(recall) * precision[:-1]) as sklearn computes it from this curve.
    let ap = 0;
    for (let i = 0; i < curve.thresholds.length; i++)
      ap -= (curve.recall[i + 1] - curve.recall[i]) * curve.precision[i];
    assert.ok(Math.abs(ap - averagePrecision(scores, labels)) < 1e-12);
  });
});
