// Multi-class metrics against values worked out by hand (sklearn conventions: rows = truth, F1 = 2TP/(2TP+FP+FN),
// macro = unweighted mean over the listed classes, an absent class scores 0).
import * as assert from "assert";
import { accuracy, confusionMatrix, macroF1, perClassF1 } from "../../../kernel/metrics/multiclass";

describe("metrics: multi-class accuracy and macro-F1", () => {
  const truth = [0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 1, 1, 1, 2, 0, 1];

  it("confusion matrix counts truth × prediction", () => {
    assert.deepStrictEqual(confusionMatrix(truth, predicted, 3), [
      [1, 1, 0],
      [0, 2, 0],
      [1, 1, 1],
    ]);
  });

  it("accuracy = 4/7; per-class F1 = 1/2, 2/3, 1/2; macro-F1 = 5/9", () => {
    assert.strictEqual(accuracy(truth, predicted, 3), 4 / 7);
    assert.deepStrictEqual(perClassF1(truth, predicted, 3), [0.5, 4 / 6, 0.5]);
    assert.ok(Math.abs(macroF1(truth, predicted, 3) - 5 / 9) < 1e-15);
  });

  it("a class that never occurs counts as F1 0 in the macro mean (5/12 over 4 classes)", () => {
    assert.deepStrictEqual(perClassF1(truth, predicted, 4)[3], 0);
    assert.ok(Math.abs(macroF1(truth, predicted, 4) - 5 / 12) < 1e-15);
  });

  it("perfect predictions give 1; all wrong gives 0", () => {
    assert.strictEqual(accuracy([0, 1, 2], [0, 1, 2], 3), 1);
    assert.strictEqual(macroF1([0, 1, 2], [0, 1, 2], 3), 1);
    assert.strictEqual(macroF1([0, 0, 1], [1, 1, 0], 2), 0);
  });

  it("refuses mismatched lengths, empty input and ids outside the classes, naming the index", () => {
    assert.throws(() => accuracy([0, 1], [0], 2), /2 true classes but 1 predictions/);
    assert.throws(() => accuracy([], [], 2), /at least one sample/);
    assert.throws(() => accuracy([0, 3], [0, 1], 3), /truth\[1\] is 3, not a class id in 0..2/);
    assert.throws(() => macroF1([0, 1], [0, 1.5], 3), /predicted\[1\] is 1.5/);
  });
});
