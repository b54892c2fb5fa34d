// The shared evaluation: MVFA's reference fusion (global min–max over the test set, 0.5/0.5, image = max of the fused
// map or fused det scores) against the values captured from the reference test(), and the honest protocol's
// independence from the test set.
import * as assert from "assert";
import { LevelScores, memoryLevelMap, textLevel, textLevelMap } from "../../../kernel/methods/branches";
import { evaluate } from "../../../kernel/methods/evaluate";
import type { BranchScores, ScoredImage, ScoredSet } from "../../../kernel/methods/result";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const TAPS = [2, 4, 6, 8];
const G = 7;
const S = 56;
const TOKENS = G * G + 1;
const DIM = 32;
const LABELS = [0, 1, 1] as const;

describe("methods/evaluate: shared evaluation protocol", () => {
  const mvfa = readRef("mvfa.safetensors");
  const text = readRef("text.safetensors");
  const pre = readRef("pre.safetensors");
  const metrics = readRef("metrics.safetensors");
  after(() => [mvfa, text, pre, metrics].forEach((f) => f.close()));

  /** The seg-dataset set: text branch from the seg-head tokens; memory branch = the reference's summed map as one
   * full-resolution "level" (the fixture has memory distances of all taps for test_0 only) plus three empty levels. */
  function segSet(): ScoredSet {
    const T = text.readFloat64("T_mvfa_brain_f64").data;
    const few = mvfa.readFloat64("few_seg_map_f64").data;
    const masks = pre.readFloat32("masks").data;
    const images: ScoredImage[] = [0, 1, 2].map((i) => {
      const levels = TAPS.map((tap) =>
        textLevel(
          {
            data: mvfa.readFloat64(`seg_med_tap${tap}_f64`).data.subarray(i * TOKENS * DIM, (i + 1) * TOKENS * DIM),
            dim: DIM,
            grid: G,
          },
          T,
        ),
      );
      const memLevels: LevelScores[] = TAPS.map((_, t) => ({
        grid: t === 0 ? Float64Array.from(few.subarray(i * S * S, (i + 1) * S * S)) : new Float64Array(S * S),
        g: S,
        image: 0,
      }));
      const branches: BranchScores[] = [
        { name: "text", image: levels.reduce((s, l) => s + l.image, 0), levels, render: textLevelMap },
        { name: "memory", image: 0, levels: memLevels, render: memoryLevelMap },
      ];
      return { file: `test_${i}.png`, label: LABELS[i], mask: () => masks.slice(i * S * S, (i + 1) * S * S), branches };
    });
    return { mapSize: S, taps: TAPS, images };
  }

  function detSet(zero: ArrayLike<number>, few: ArrayLike<number>): ScoredSet {
    const lv = (image: number): LevelScores => ({ grid: new Float64Array(1), g: 1, image });
    const render = () => new Float64Array(S * S);
    return {
      mapSize: S,
      taps: [8],
      images: [0, 1, 2].map((i) => ({
        file: `test_${i}.png`,
        label: LABELS[i],
        branches: [
          { name: "text", image: zero[i], levels: [lv(zero[i])], render },
          { name: "memory", image: few[i], levels: [lv(few[i])], render },
        ],
      })),
    };
  }

  it("reference protocol, seg path: image scores = max of the fused map = fused_seg_image_scores; metrics = test()'s", function () {
    const ev = evaluate(segSet(), {
      protocol: "reference",
      weights: { text: 0.5, memory: 0.5 },
      imageScore: "map-max",
    });
    const d = compare(
      ev.scores.map((s) => s.score),
      mvfa.readFloat64("fused_seg_image_scores").data,
    );
    const ref = mvfa.readFloat64("test_metrics").data; // [pixel AUROC seg, image AUROC seg, image AUROC det]
    const skl = metrics.readFloat64("pixel_auroc_ap").data;
    this.test!.title += ` — scores ${fmt(d)}; pixel AUROC ${ev.metrics.pixel!.auroc} vs ${ref[0]}, AP ${ev.metrics.pixel!.averagePrecision} vs ${skl[1]}`;
    assert.ok(d.ok, fmt(d));
    assert.ok(Math.abs(ev.metrics.pixel!.auroc - ref[0]) < 1e-4);
    assert.ok(Math.abs(ev.metrics.pixel!.averagePrecision - skl[1]) < 1e-3);
    assert.strictEqual(ev.metrics.image.auroc, ref[1]);
    assert.strictEqual(ev.normalisation.source, "test");
    assert.strictEqual(ev.normalisation.transductive, true);
    assert.strictEqual(ev.metrics.pixel!.positives + ev.metrics.pixel!.negatives, 3 * S * S);
    assert.strictEqual(ev.metrics.perLayer.length, 8);
    assert.ok(ev.metrics.perLayer.every((l) => l.pixel !== undefined));
    const lean = evaluate(segSet(), {
      protocol: "reference",
      weights: { text: 0.5, memory: 0.5 },
      imageScore: "map-max",
      perLayerPixel: false,
    });
    assert.ok(lean.metrics.perLayer.every((l) => l.pixel === undefined));
    assert.deepStrictEqual(lean.metrics.pixel, ev.metrics.pixel);
  });

  it("reference protocol, det path: 0.5·norm(zero) + 0.5·norm(few) = fused_det_image_scores; image AUROC = test()'s", function () {
    const set = detSet(mvfa.readFloat64("zero_det_score_f64").data, mvfa.readFloat64("few_det_score_f64").data);
    const ev = evaluate(set, { protocol: "reference", weights: { text: 0.5, memory: 0.5 }, imageScore: "branches" });
    const d = compare(
      ev.scores.map((s) => s.score),
      mvfa.readFloat64("fused_det_image_scores").data,
    );
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
    assert.strictEqual(ev.metrics.image.auroc, mvfa.readFloat64("test_metrics").data[2]);
    assert.strictEqual(ev.metrics.pixel, undefined);
    assert.match(ev.metrics.pixelSkipped!, /no pixel masks/);
  });

  it("honest protocol: statistics come from the calibration set only; a test image's score ignores the other test images", () => {
    const zero = [0.2, 0.9, 0.5];
    const few = [1.0, 3.0, 2.0];
    const calib = detSet([0.1, 0.3, 0.6], [0.5, 1.5, 1.0]);
    const honest = evaluate(detSet(zero, few), { protocol: "honest", calibration: calib, imageScore: "branches" });
    assert.strictEqual(honest.normalisation.source, "calibration");
    assert.strictEqual(honest.normalisation.transductive, false);
    assert.deepStrictEqual(
      honest.normalisation.branches.map((b) => [b.image.min, b.image.max]),
      [
        [0.1, 0.6],
        [0.5, 1.5],
      ],
    );
    // Default weights are equal; normalised values are not clipped (0.9 → 1.6 > 1).
    const expect0 = 0.5 * ((0.2 - 0.1) / 0.5) + 0.5 * ((1.0 - 0.5) / 1.0);
    assert.ok(Math.abs(honest.scores[0].score - expect0) < 1e-12);
    assert.ok(Math.abs(honest.scores[1].score - (0.5 * 1.6 + 0.5 * 2.5)) < 1e-12);
    // Changing another test image (the max) moves nothing under honest, and does move image 2 under reference.
    const zero2 = [0.2, 5.0, 0.5];
    const honest2 = evaluate(detSet(zero2, few), { protocol: "honest", calibration: calib, imageScore: "branches" });
    assert.strictEqual(honest2.scores[2].score, honest.scores[2].score);
    const ref1 = evaluate(detSet(zero, few), { protocol: "reference", imageScore: "branches" });
    const ref2 = evaluate(detSet(zero2, few), { protocol: "reference", imageScore: "branches" });
    assert.ok(Math.abs(ref1.scores[2].score - (0.5 * (0.3 / 0.7) + 0.5 * 0.5)) < 1e-12);
    assert.ok(Math.abs(ref2.scores[2].score - (0.5 * (0.3 / 4.8) + 0.5 * 0.5)) < 1e-12);
  });

  it("honest without calibration images fuses raw scores and says so", () => {
    const ev = evaluate(detSet([0.2, 0.9, 0.5], [1, 3, 2]), {
      protocol: "honest",
      imageScore: "branches",
      weights: { text: 1, memory: 0 },
    });
    assert.strictEqual(ev.normalisation.source, "none");
    assert.deepStrictEqual(
      ev.scores.map((s) => s.score),
      [0.2, 0.9, 0.5],
    );
  });

  it("image metrics are the metrics core's on the fused scores; per-layer metrics use the raw level scores", () => {
    const ev = evaluate(detSet([0.2, 0.9, 0.5], [3, 1, 2]), { protocol: "reference", imageScore: "branches" });
    assert.strictEqual(
      ev.metrics.image.auroc,
      aurocExact(
        ev.scores.map((s) => s.score),
        LABELS,
      ),
    );
    assert.deepStrictEqual(
      ev.metrics.perLayer.map((l) => [l.branch, l.tap, l.image.auroc]),
      [
        ["text", 8, 1],
        ["memory", 8, 0],
      ],
    );
  });

  it("refuses a fusion without a weight for every branch, and mismatched branch order", () => {
    assert.throws(
      () =>
        evaluate(detSet([0, 1, 2], [0, 1, 2]), { protocol: "reference", imageScore: "branches", weights: { text: 1 } }),
      /no fusion weight for branch 'memory'/,
    );
    const bad = detSet([0, 1, 2], [0, 1, 2]);
    bad.images[2].branches.reverse();
    assert.throws(
      () => evaluate(bad, { protocol: "reference", imageScore: "branches" }),
      /has branch 'memory' where 'text' was expected/,
    );
  });
});
