import * as assert from "assert";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { bootstrapCi, quantile } from "../../../kernel/metrics/bootstrap";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { tiedSample } from "./randomData";

describe("metrics: bootstrap confidence intervals", () => {
  const sample = tiedSample(new SeededRandom(9), 300, 40, 0);

  it("is reproducible for a seed and changes with the seed", () => {
    const a = bootstrapCi(aurocExact, sample.scores, sample.labels, { iterations: 200, seed: 11 });
    const b = bootstrapCi(aurocExact, sample.scores, sample.labels, { iterations: 200, seed: 11 });
    const c = bootstrapCi(aurocExact, sample.scores, sample.labels, { iterations: 200, seed: 12 });
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual([a.lower, a.upper], [c.lower, c.upper]);
    assert.strictEqual(a.estimate, aurocExact(sample.scores, sample.labels));
    assert.ok(a.lower < a.estimate && a.estimate < a.upper, JSON.stringify(a));
  });

  it("matches the textbook standard error of a mean (percentile CI of the mean of scores)", () => {
    const random = new SeededRandom(10);
    const values = Float64Array.from({ length: 400 }, () => random.nextFloat());
    const labels = new Uint8Array(400);
    const mean = (s: Float64Array): number => s.reduce((a, b) => a + b, 0) / s.length;
    const ci = bootstrapCi(mean, values, labels, { iterations: 2000, seed: 1, level: 0.9, stratified: false });
    const m = mean(values);
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
    const halfWidth = (1.6449 * sd) / Math.sqrt(values.length);
    assert.ok(
      Math.abs((ci.upper - ci.lower) / 2 - halfWidth) < 0.1 * halfWidth,
      `${JSON.stringify(ci)} vs +-${halfWidth}`,
    );
  });

  it("stratified resampling keeps both classes (AUROC defined on every resample) and a perfect split gives [1, 1]", () => {
    const scores = [0.1, 0.2, 0.3, 0.9];
    const labels = [0, 0, 0, 1];
    const ci = bootstrapCi(aurocExact, scores, labels, { iterations: 300, seed: 3 });
    assert.deepStrictEqual([ci.lower, ci.estimate, ci.upper], [1, 1, 1]);
    // Unstratified, a resample without the single positive makes AUROC undefined: the error surfaces.
    assert.throws(
      () => bootstrapCi(aurocExact, scores, labels, { iterations: 300, seed: 3, stratified: false }),
      /both classes/,
    );
  });

  it("quantile interpolates linearly like NumPy", () => {
    assert.strictEqual(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.strictEqual(quantile([1, 2, 3, 4], 0), 1);
    assert.strictEqual(quantile([1, 2, 3, 4], 1), 4);
    assert.ok(Math.abs(quantile([10, 20, 30], 0.025) - 10.5) < 1e-12);
  });

  it("refuses bad options", () => {
    assert.throws(() => bootstrapCi(aurocExact, [0, 1], [0, 1], { iterations: 0 }), /iterations/);
    assert.throws(() => bootstrapCi(aurocExact, [0, 1], [0, 1], { level: 1 }), /level/);
  });
});
