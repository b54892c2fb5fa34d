// Decision thresholds from normal images only: the conformal order statistic (never below the chosen quantile of the
// normal scores, never the minimum, the maximum for 1–4 normals), decisions on test, and that evaluate() fuses
// calibration images exactly as test images.
import * as assert from "assert";
import { evaluate } from "../../../kernel/methods/evaluate";
import { fuseImage } from "../../../kernel/methods/fuse";
import type { LevelScores } from "../../../kernel/methods/branches";
import type { ScoredImage, ScoredSet } from "../../../kernel/methods/result";
import { IDENTITY } from "../../../kernel/methods/normalise";
import { conformalRank, decisions, normalThreshold } from "../../../kernel/methods/thresholds";
import { Rng } from "../../../kernel/util/random/rng";

/** numpy's default ("linear") quantile, the reference point a threshold must never fall below. */
function linearQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

const S = 4;
function image(file: string, label: 0 | 1, a: number, b: number, rng: Rng): ScoredImage {
  const level = (v: number): LevelScores => ({
    grid: Float64Array.from({ length: S * S }, () => v * rng.uniform(0.5, 1.5)),
    g: S,
    image: v,
  });
  const render = (l: LevelScores) => Float64Array.from(l.grid);
  return {
    file,
    label,
    branches: [
      { name: "text", image: a, levels: [level(a)], render },
      { name: "memory", image: b, levels: [level(b)], render },
    ],
  };
}

function set(n: number, abnormal: number, seed: number, prefix: string): ScoredSet {
  const rng = new Rng(seed);
  const images = Array.from({ length: n }, (_, i) => {
    const label = i < abnormal ? 1 : 0;
    const shift = label ? 1.5 : 0;
    return image(`${prefix}${i}.png`, label, rng.uniform(0, 1) + shift, rng.uniform(0, 1) + shift, rng);
  });
  return { mapSize: S, taps: [1], images };
}

describe("methods/thresholds: decisions calibrated on normal images", () => {
  it("is never below the normals' chosen quantile and never the minimum (n = 1…200, q = 0.9/0.95/0.99)", () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 3, 4, 5, 10, 19, 20, 50, 200])
      for (const q of [0.9, 0.95, 0.99]) {
        const v = Array.from({ length: n }, () => rng.uniform(-3, 3));
        const t = normalThreshold(v, q, { images: n, perImage: true, source: "test" });
        assert.ok(t.value >= linearQuantile(v, q), `n ${n} q ${q}: ${t.value} < quantile ${linearQuantile(v, q)}`);
        if (n >= 2) assert.ok(t.value > Math.min(...v), `n ${n} q ${q}: took the minimum`);
        assert.strictEqual(t.rank, conformalRank(n, q));
        assert.ok(Math.abs(t.falseAlarmBound! - (1 - t.rank / (n + 1))) < 1e-15);
      }
  });

  it("uses the highest normal score for 1–4 normals at q = 0.95 and says so", () => {
    for (const n of [1, 2, 3, 4]) {
      const v = Array.from({ length: n }, (_, i) => i * 0.1);
      const t = normalThreshold(v, 0.95, { images: n, perImage: true, source: "test" });
      assert.strictEqual(t.value, Math.max(...v));
      assert.match(t.note, /clamps to the highest normal value/);
      assert.ok(Math.abs(t.falseAlarmBound! - 1 / (n + 1)) < 1e-15);
    }
  });

  it("counts decisions as score > threshold", () => {
    const d = decisions([0.1, 0.5, 0.5, 0.9, 0.2], [0, 0, 1, 1, 1], 0.5);
    assert.deepStrictEqual([d.tp, d.fp, d.tn, d.fn], [1, 0, 2, 2]);
    assert.strictEqual(d.sensitivity, 1 / 3);
    assert.strictEqual(d.specificity, 1);
    assert.strictEqual(d.precision, 1);
    assert.strictEqual(decisions([0.1], [0], 0.5).precision, null);
  });

  it("evaluate: thresholds from calibration normals fused like test images; test decisions match a recount", () => {
    const test = set(30, 10, 1, "test_");
    const calibration = set(12, 4, 2, "support_");
    for (const imageScore of ["branches", "map-max"] as const) {
      const ev = evaluate(test, { protocol: "honest", calibration, imageScore });
      const t = ev.thresholds;
      assert.ok(t.image && t.pixel);
      const norm = ev.normalisation.branches;
      const spec = {
        size: S,
        weights: ev.fusion.weights,
        imgNorm: norm.map((b) => b.image),
        mapNorm: norm.map((b) => b.map ?? IDENTITY),
        imageScore,
      };
      const normals = calibration.images.filter((im) => im.label === 0).map((im) => fuseImage(im, spec, true));
      assert.deepStrictEqual(
        t.calibrationScores,
        normals.map((f) => f.score),
      );
      assert.ok(t.image.value >= linearQuantile(t.calibrationScores, 0.95));
      const pixels = normals.flatMap((f) => Array.from(f.map32!));
      assert.ok(t.pixel.value >= linearQuantile(pixels, 0.99));
      assert.strictEqual(t.pixel.values, pixels.length);
      // Test scores from evaluate equal fuseImage's; decisions recounted from them.
      test.images.forEach((im, i) => assert.strictEqual(ev.scores[i].score, fuseImage(im, spec, false).score));
      const d = t.test.image!;
      const flagged = ev.scores.filter((s) => s.score > t.image!.value);
      assert.strictEqual(d.tp + d.fp, flagged.length);
      assert.strictEqual(d.tp, flagged.filter((s) => s.label === 1).length);
      assert.strictEqual(d.tp + d.fp + d.tn + d.fn, 30);
      assert.ok(t.colourRange![0] < t.pixel.value && t.pixel.value < t.colourRange![1]);
    }
  });

  it("evaluate: no normal calibration images → no threshold, with the reason", () => {
    const test = set(10, 4, 3, "test_");
    const ev = evaluate(test, { protocol: "honest", imageScore: "branches" });
    assert.strictEqual(ev.thresholds.image, null);
    assert.match(ev.thresholds.imageSkipped!, /no normal calibration images/);
    assert.strictEqual(ev.thresholds.test.image, undefined);
    assert.ok(Number.isFinite(ev.thresholds.f1Max.image));
  });

  it("rejects quantiles outside (0, 1)", () => {
    const test = set(10, 4, 3, "test_");
    assert.throws(
      () =>
        evaluate(test, {
          protocol: "honest",
          calibration: set(4, 0, 5, "s"),
          imageScore: "branches",
          quantiles: { image: 1 },
        }),
      /quantiles.image must be a number in \(0, 1\)/,
    );
  });
});
