import * as assert from "assert";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { averagePrecision } from "../../../kernel/metrics/averagePrecision";
import { rocCurve } from "../../../kernel/metrics/curves";
import { f1Max } from "../../../kernel/metrics/f1Max";
import {
  composeCase,
  decodeBase64,
  decodeCase,
  levelValue,
  thresholdLevel,
} from "../../../kernel/protocol/heatmapCompose";
import { metricsTraces, rocTraces, tsneTraces } from "../../../kernel/protocol/vizTraces";
import { heatmapPayload, pickCases } from "../../../kernel/viz/payloads/heatmapPayload";
import { imageMetrics, metricsPayload, metricsText } from "../../../kernel/viz/payloads/metricsPayload";
import { rocPayload } from "../../../kernel/viz/payloads/rocPayload";
import { tsneColorings, tsnePayloadFromEmbedding } from "../../../kernel/viz/payloads/tsnePayload";

const labels = [0, 0, 1, 1, 0, 1, 0, 1];
const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.6, 0.55];

describe("ROC payload", () => {
  it("carries the metrics core's curve and exact AUROC, with null for the +Infinity threshold", () => {
    const p = rocPayload({ name: "m", scores, labels });
    const curve = rocCurve(scores, labels);
    assert.deepStrictEqual(p.series[0].fpr, Array.from(curve.fpr));
    assert.deepStrictEqual(p.series[0].tpr, Array.from(curve.tpr));
    assert.strictEqual(p.series[0].thresholds[0], null);
    assert.strictEqual(p.series[0].thresholds[1], curve.thresholds[1]);
    assert.strictEqual(p.series[0].auroc, aurocExact(scores, labels));
    assert.strictEqual(p.series[0].ci, undefined);
  });

  it("adds a seeded bootstrap interval around the AUROC on request", () => {
    const a = rocPayload([{ name: "m", scores, labels }], { ci: { iterations: 200, seed: 1 } });
    const b = rocPayload([{ name: "m", scores, labels }], { ci: { iterations: 200, seed: 1 } });
    const ci = a.series[0].ci!;
    assert.deepStrictEqual(ci, b.series[0].ci);
    assert.ok(ci.lower <= a.series[0].auroc && a.series[0].auroc <= ci.upper && ci.lower < ci.upper);
    assert.strictEqual(ci.level, 0.95);
  });

  it("adds a pointwise bootstrap band of the curve with the interval, from the same resamples", () => {
    const p = rocPayload([{ name: "m", scores, labels }], { ci: { iterations: 200, seed: 1 } });
    const band = p.series[0].band!;
    assert.strictEqual(band.fpr.length, 51);
    assert.ok(band.lower.every((lo, i) => lo <= band.upper[i]));
    assert.strictEqual(rocPayload({ name: "m", scores, labels }).series[0].band, undefined);
    // Traces: chance, the band's lower edge, its upper edge filled down to it, then the curve, all in one group.
    const traces = rocTraces(p, "#888");
    assert.deepStrictEqual(
      traces.map((t) => t.fill ?? null),
      [null, null, "tonexty", null],
    );
    assert.deepStrictEqual(
      traces.slice(1).map((t) => t.legendgroup),
      ["series-0", "series-0", "series-0"],
    );
    assert.deepStrictEqual(traces[2].y, band.upper);
  });

  it("maps to one chance line plus one curve per method with thresholds on hover", () => {
    const p = rocPayload([
      { name: "a", scores, labels },
      { name: "b", scores: scores.map((s) => -s), labels },
    ]);
    const traces = rocTraces(p, "#888");
    assert.strictEqual(traces.length, 3);
    assert.match(String(traces[1].name), /^a \(AUROC 0\.\d{3}\)$/);
    assert.strictEqual((traces[1].customdata as string[])[0], "+∞");
    assert.notStrictEqual(traces[1].line, traces[2].line);
  });
});

describe("metrics payload", () => {
  it("computes image AUROC, AP and F1-max per method", () => {
    const p = imageMetrics({ name: "m", scores, labels });
    assert.deepStrictEqual(p.metrics, ["AUROC", "AP", "F1-max"]);
    assert.deepStrictEqual(p.methods[0].values, [
      { value: aurocExact(scores, labels) },
      { value: averagePrecision(scores, labels) },
      { value: f1Max(scores, labels).f1 },
    ]);
  });

  it("takes numbers, intervals and gaps, keeping first-seen metric order", () => {
    const p = metricsPayload([
      {
        name: "a",
        metrics: {
          "pixel AUROC": 0.9,
          "AU-PRO": { estimate: 0.8, lower: 0.7, upper: 0.85, level: 0.9, iterations: 10, seed: 0 },
        },
      },
      { name: "b", metrics: { "image AUROC": 0.7, "pixel AUROC": null } },
    ]);
    assert.deepStrictEqual(p.metrics, ["pixel AUROC", "AU-PRO", "image AUROC"]);
    assert.deepStrictEqual(p.methods[0].values, [{ value: 0.9 }, { value: 0.8, lower: 0.7, upper: 0.85 }, null]);
    assert.deepStrictEqual(p.methods[1].values, [null, null, { value: 0.7 }]);
    assert.strictEqual(p.level, 0.9);
    assert.match(metricsText(p), /0\.8000 \[0\.7000, 0\.8500\]/);
    const traces = metricsTraces(p);
    const errorY = traces[0].error_y as { array: number[]; arrayminus: number[] };
    assert.ok(Math.abs(errorY.array[1] - 0.05) < 1e-12 && Math.abs(errorY.arrayminus[1] - 0.1) < 1e-12);
    assert.strictEqual(traces[1].error_y, undefined);
  });

  it("refuses a metric without a numeric value", () => {
    assert.throws(
      () => metricsPayload([{ name: "a", metrics: { x: { value: "0.5" as unknown as number } } }]),
      /metric "x" of "a"/,
    );
  });
});

describe("t-SNE payload", () => {
  it("colours by ground truth, prediction (thresholded scores) and outcome", () => {
    const c = tsneColorings(4, {
      groundTruth: [0, 1, 1, 0],
      prediction: { scores: [0.9, 0.8, 0.1, 0.2], threshold: 0.5 },
    });
    assert.deepStrictEqual(
      c.map((x) => x.name),
      ["ground truth", "prediction", "outcome"],
    );
    assert.deepStrictEqual(c[0].groups, [
      { name: "normal", indices: [0, 3] },
      { name: "anomalous", indices: [1, 2] },
    ]);
    assert.deepStrictEqual(c[1].groups[1], { name: "predicted anomalous", indices: [0, 1] });
    assert.deepStrictEqual(
      c[2].groups.map((g) => [g.name, g.indices]),
      [
        ["true negative", [3]],
        ["true positive", [1]],
        ["false positive", [0]],
        ["false negative", [2]],
      ],
    );
  });

  it("refuses label arrays of the wrong length", () => {
    assert.throws(() => tsneColorings(4, { groundTruth: [0, 1] }), /groundTruth has 2 entries but there are 4/);
  });

  it("maps a colouring to one marker trace per group", () => {
    const p = tsnePayloadFromEmbedding([0, 0, 1, 1, 2, 2], {
      groundTruth: [0, 1, 1],
      names: ["a.png", "b.png", "c.png"],
    });
    const traces = tsneTraces(p, 0);
    assert.deepStrictEqual(
      traces.map((t) => [t.x, t.y, t.text]),
      [
        [[0], [0], ["a.png"]],
        [
          [1, 2],
          [1, 2],
          ["b.png", "c.png"],
        ],
      ],
    );
  });
});

describe("heatmap payload", () => {
  const grey = (w: number, h: number, v = 50) => ({ width: w, height: h, data: new Uint8Array(w * h).fill(v) });

  it("resizes to maxSide, quantises maps over the shared range and sorts by score", () => {
    const p = heatmapPayload(
      [
        {
          id: "low",
          score: 0.1,
          label: 0,
          image: grey(40, 20),
          map: { width: 4, height: 2, data: new Float32Array(8).fill(2) },
        },
        {
          id: "high",
          score: 0.9,
          label: true,
          image: grey(40, 20),
          map: { width: 4, height: 2, data: Float32Array.from([2, 2, 2, 2, 6, 6, 6, 6]) },
        },
      ],
      { maxSide: 10 },
    );
    assert.deepStrictEqual(
      p.cases.map((c) => [c.id, c.width, c.height, c.label]),
      [
        ["high", 10, 5, 1],
        ["low", 10, 5, 0],
      ],
    );
    assert.deepStrictEqual(p.mapRange, [2, 6]);
    const low = decodeBase64(p.cases[1].map);
    assert.ok(low.every((v) => v === 0));
    const high = decodeBase64(p.cases[0].map);
    assert.strictEqual(high[0], 0);
    assert.strictEqual(high[high.length - 1], 255);
    assert.strictEqual(p.threshold, 4, "no masks: mid-range");
  });

  it("defaults the threshold to the pixel F1-max threshold when masks exist", () => {
    const map = Float32Array.from([0.1, 0.2, 0.7, 0.9]);
    const p = heatmapPayload([
      {
        id: "a",
        score: 1,
        image: grey(2, 2),
        map: { width: 2, height: 2, data: map },
        mask: { width: 2, height: 2, data: [0, 0, 1, 1] },
      },
    ]);
    assert.strictEqual(p.threshold, f1Max(Array.from(map), [0, 0, 1, 1]).threshold);
    assert.deepStrictEqual(Array.from(decodeBase64(p.cases[0].mask!)), [0, 0, 1, 1]);
  });

  it("keeps both ends of the ranking when there are too many cases", () => {
    assert.deepStrictEqual(pickCases([1, 2, 3, 4, 5, 6, 7, 8, 9], 3), [1, 5, 9]);
    assert.deepStrictEqual(pickCases([1, 2], 3), [1, 2]);
    const many = Array.from({ length: 5 }, (_, k) => ({
      id: `c${k}`,
      score: k,
      image: { width: 1, height: 1, data: new Uint8Array(1) },
      map: { width: 1, height: 1, data: [k] },
    }));
    const p = heatmapPayload(many, { maxCases: 3 });
    assert.deepStrictEqual(
      p.cases.map((c) => c.id),
      ["c4", "c2", "c0"],
    );
    assert.strictEqual(p.totalCases, 5);
    assert.strictEqual(heatmapPayload(many).totalCases, undefined);
  });

  it("converts thresholds to quantised levels and back", () => {
    const p = { mapRange: [2, 6] as [number, number] };
    assert.strictEqual(thresholdLevel(p, 2), 0);
    assert.strictEqual(thresholdLevel(p, 6), 255);
    assert.strictEqual(levelValue(p, 255), 6);
    assert.strictEqual(thresholdLevel(p, levelValue(p, 100)), 100);
  });

  it("composes RGB images and refuses mismatched sizes", () => {
    const rgb = { width: 1, height: 1, channels: 3 as const, data: new Uint8Array([10, 20, 30]) };
    const p = heatmapPayload([{ id: "c", score: 0, image: rgb, map: { width: 1, height: 1, data: [0] } }], {
      threshold: 1,
    });
    const c = p.cases[0];
    assert.deepStrictEqual(Array.from(composeCase(c, decodeCase(c), new Uint8Array(768), 256, 0.5)), [10, 20, 30, 255]);
    assert.throws(() => decodeCase({ ...c, map: "" }), /case c: image\/map\/mask sizes do not match 1×1×3/);
    assert.throws(
      () => heatmapPayload([{ id: "d", score: 0, image: grey(2, 2), map: { width: 2, height: 2, data: [1] } }]),
      /case d: map data has 1 values, expected 2×2/,
    );
  });
});
