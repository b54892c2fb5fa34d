import * as assert from "assert";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { bootstrapCi } from "../../../kernel/metrics/bootstrap";
import { rocCurve } from "../../../kernel/metrics/curves";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { rocBootstrap, tprAtFpr } from "../../../kernel/metrics/rocBand";
import { tiedSample } from "./randomData";

describe("metrics: ROC bootstrap band", () => {
  const sample = tiedSample(new SeededRandom(4), 120, 30, 0);

  it("reads a drawn ROC curve at an FPR: linear between points, the top of a vertical step", () => {
    const fpr = [0, 0, 0.5, 1];
    const tpr = [0, 0.6, 0.8, 1];
    assert.strictEqual(tprAtFpr(fpr, tpr, 0), 0.6);
    assert.ok(Math.abs(tprAtFpr(fpr, tpr, 0.25) - 0.7) < 1e-12);
    assert.strictEqual(tprAtFpr(fpr, tpr, 0.5), 0.8);
    assert.strictEqual(tprAtFpr(fpr, tpr, 1), 1);
  });

  it("gives the same AUROC interval as bootstrapCi from the same resamples", () => {
    const options = { iterations: 150, seed: 3 };
    const { auroc } = rocBootstrap(sample.scores, sample.labels, options);
    assert.deepStrictEqual(auroc, bootstrapCi(aurocExact, sample.scores, sample.labels, options));
  });

  it("is an ordered band inside [0, 1] that widens where the curve is uncertain and closes at FPR 1", () => {
    const { band } = rocBootstrap(sample.scores, sample.labels, { iterations: 200, seed: 1, points: 21 });
    assert.strictEqual(band.fpr.length, 21);
    assert.deepStrictEqual([band.fpr[0], band.fpr[20]], [0, 1]);
    band.lower.forEach((lo, i) => {
      assert.ok(lo >= 0 && lo <= band.upper[i] && band.upper[i] <= 1, `at ${band.fpr[i]}: ${lo}, ${band.upper[i]}`);
    });
    assert.strictEqual(band.lower[20], 1);
    const widths = band.lower.map((lo, i) => band.upper[i] - lo);
    assert.ok(Math.max(...widths.slice(1, 10)) > 0.05, `interior widths ${widths}`);
    // The curve itself lies inside its band at most grid points (a percentile band need not hold it everywhere).
    const curve = rocCurve(sample.scores, sample.labels);
    const inside = band.fpr.filter((f, i) => {
      const t = tprAtFpr(curve.fpr, curve.tpr, f);
      return t >= band.lower[i] - 1e-12 && t <= band.upper[i] + 1e-12;
    }).length;
    assert.ok(inside >= 18, `${inside} of 21 grid points inside`);
  });

  it("is reproducible for a seed", () => {
    const a = rocBootstrap(sample.scores, sample.labels, { iterations: 50, seed: 7 });
    const b = rocBootstrap(sample.scores, sample.labels, { iterations: 50, seed: 7 });
    assert.deepStrictEqual(a, b);
  });
});
