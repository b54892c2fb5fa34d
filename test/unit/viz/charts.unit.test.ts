import * as assert from "assert";
import { PNG } from "pngjs";
import { heatmapBundleOf, metricsBundleOf, rocBundleOf, tsneBundleOf } from "../../../kernel/api/vizBundles";
import { categoryColor, jet, type Rgb } from "../../../kernel/protocol/colormap";
import { CONTOUR_RGB } from "../../../kernel/protocol/heatmapCompose";
import {
  HEATMAP_MIME,
  METRICS_MIME,
  ROC_MIME,
  TSNE_MIME,
  type HeatmapPayload,
  type RocPayload,
} from "../../../kernel/protocol/viz";
import { HEATMAP_LAYOUT, heatmapPng } from "../../../kernel/viz/png/heatmapPng";
import { ROC_LAYOUT, rocPng } from "../../../kernel/viz/png/rocPng";
import { TSNE_LAYOUT, squareBounds, tsnePng } from "../../../kernel/viz/png/tsnePng";
import { heatmapPayload } from "../../../kernel/viz/payloads/heatmapPayload";
import { tsnePayloadFromEmbedding } from "../../../kernel/viz/payloads/tsnePayload";

function decode(png: Buffer): { width: number; height: number; at(x: number, y: number): Rgb } {
  const image = PNG.sync.read(png);
  return {
    width: image.width,
    height: image.height,
    at: (x, y) => {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [image.data[i], image.data[i + 1], image.data[i + 2]];
    },
  };
}

const near = (a: Rgb, b: Rgb, tolerance = 12) => a.every((v, c) => Math.abs(v - b[c]) <= tolerance);

describe("ROC PNG", () => {
  const { left, top, size } = ROC_LAYOUT;
  const px = (x: number) => left + x * size;
  const py = (y: number) => top + size - y * size;
  const perfect: RocPayload = {
    version: 1,
    series: [{ name: "perfect", fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [null, 0.5, 0.1], auroc: 1 }],
  };

  it("draws the frame at the layout's axes and the chance diagonal in grey dashes", () => {
    const png = decode(
      rocPng({
        version: 1,
        series: [{ name: "m", fpr: [0, 0.5, 1], tpr: [0, 0.9, 1], thresholds: [null, 0.5, 0.1], auroc: 0.7 }],
      }),
    );
    assert.deepStrictEqual(png.at(left, top + size / 2), [34, 34, 34], "left axis");
    assert.deepStrictEqual(png.at(left + size / 2, top + size), [34, 34, 34], "bottom axis");
    // Along the diagonal: grey dash pixels, and white gaps between dashes (not a solid line).
    let grey = 0;
    let white = 0;
    for (let t = 0.3; t <= 0.7; t += 0.005) {
      const c = png.at(px(t) - 0.5, py(t) - 0.5);
      if (c[0] < 200 && Math.abs(c[0] - c[1]) < 8 && Math.abs(c[1] - c[2]) < 8) grey++;
      if (c.every((v) => v > 240)) white++;
    }
    assert.ok(grey > 20 && white > 5, `diagonal grey ${grey}, gaps ${white}`);
    assert.ok(
      png.at(px(0.7), py(0.3)).every((v) => v > 200),
      "below the diagonal stays blank",
    );
  });

  it("draws a perfect classifier up the left edge and along the top in the first method colour", () => {
    const png = decode(rocPng(perfect));
    assert.ok(near(png.at(px(0), py(0.5)), categoryColor(0), 40), `left edge ${png.at(px(0), py(0.5))}`);
    assert.ok(near(png.at(px(0.5), py(1)), categoryColor(0), 40), `top edge ${png.at(px(0.5), py(1))}`);
    assert.ok(
      png.at(px(0.3), py(0.5)).every((v) => v > 200),
      "blank between the curve and the diagonal",
    );
  });

  it("grows with each legend entry (the legend is under the plot, not over it)", () => {
    const two: RocPayload = { version: 1, series: [perfect.series[0], { ...perfect.series[0], name: "b" }] };
    assert.ok(decode(rocPng(two)).height - decode(rocPng(perfect)).height >= 2 * 18);
  });
});

describe("t-SNE PNG", () => {
  it("puts each point at its place in a square, padded frame, coloured by its group", () => {
    const payload = tsnePayloadFromEmbedding([-10, -10, 10, 10, 10, -10], { groundTruth: [0, 1, 1] });
    const png = decode(tsnePng(payload));
    const { margin, top, panel } = TSNE_LAYOUT;
    const b = squareBounds(payload.xy);
    const at = (x: number, y: number) =>
      png.at(
        margin + ((x - b.x[0]) / (b.x[1] - b.x[0])) * panel,
        top + panel - ((y - b.y[0]) / (b.y[1] - b.y[0])) * panel,
      );
    assert.ok(near(at(-10, -10), categoryColor(0), 70), `normal point ${at(-10, -10)}`);
    assert.ok(near(at(10, 10), categoryColor(1), 70), `anomalous point ${at(10, 10)}`);
    assert.ok(
      at(-10, 10).every((v) => v > 240),
      "no point there",
    );
  });
});

describe("heatmap PNG", () => {
  // One 8×8 grey case whose map is high in the right half, with a mask over the left half.
  const map = Float32Array.from({ length: 64 }, (_, p) => (p % 8 >= 4 ? 1 : 0));
  const mask = Uint8Array.from({ length: 64 }, (_, p) => (p % 8 < 4 ? 1 : 0));
  const image = { width: 8, height: 8, data: new Uint8Array(64).fill(100) };
  const payload = heatmapPayload(
    [
      {
        id: "a",
        score: 0.9,
        label: 1,
        image,
        map: { width: 8, height: 8, data: map },
        mask: { width: 8, height: 8, data: mask },
      },
    ],
    { threshold: 0.5, alpha: 0.5 },
  );

  it("overlays the colormap above the threshold, keeps the image below it, and outlines the mask", () => {
    const png = decode(heatmapPng(payload));
    const { margin, top, tile } = HEATMAP_LAYOUT;
    const cell = tile / 8;
    const at = (x: number, y: number) => png.at(margin + (x + 0.5) * cell, top + (y + 0.5) * cell);
    const hot = jet(1);
    const blended = hot.map((v) => Math.round(100 * 0.5 + v * 0.5)) as Rgb;
    assert.ok(near(at(6, 4), blended, 2), `overlay ${at(6, 4)} vs ${blended}`);
    assert.deepStrictEqual(at(2, 4), [100, 100, 100], "inside the mask, below threshold: the image");
    assert.deepStrictEqual(at(3, 4), CONTOUR_RGB, "mask edge column");
    assert.deepStrictEqual(at(0, 0), CONTOUR_RGB, "mask touching the border");
  });

  it("leaves the image untouched when the threshold is above every value", () => {
    const png = decode(heatmapPng({ ...payload, threshold: 2 }));
    const { margin, top, tile } = HEATMAP_LAYOUT;
    assert.deepStrictEqual(png.at(margin + tile * 0.8, top + tile / 2), [100, 100, 100]);
  });
});

describe("picture bundles", () => {
  const labels = [0, 0, 1, 1, 0, 1];
  const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9];

  it("carry our MIME, a decodable PNG and a text summary", () => {
    const bundles: [string, Record<string, unknown>][] = [
      [ROC_MIME, rocBundleOf({ name: "m", scores, labels })],
      [METRICS_MIME, metricsBundleOf([{ name: "m", scores, labels }])],
      [
        TSNE_MIME,
        tsneBundleOf({
          features: Array.from({ length: 12 }, (_, i) => [i % 3, i % 2, i]),
          groundTruth: labels.concat(labels),
          tsne: { iterations: 30 },
        }),
      ],
      [
        HEATMAP_MIME,
        heatmapBundleOf([
          {
            id: "x",
            score: 1,
            image: { width: 2, height: 2, data: new Uint8Array(4) },
            map: { width: 2, height: 2, data: [0, 1, 2, 3] },
          },
        ]),
      ],
    ];
    for (const [mime, bundle] of bundles) {
      assert.deepStrictEqual(Object.keys(bundle).sort(), [mime, "image/png", "text/plain"].sort(), mime);
      const png = PNG.sync.read(Buffer.from(bundle["image/png"] as string, "base64"));
      assert.ok(png.width > 100 && png.height > 100, mime);
      assert.ok((bundle["text/plain"] as string).length > 10, mime);
      // Payloads are JSON: a saved notebook must give back the same object.
      assert.deepStrictEqual(JSON.parse(JSON.stringify(bundle[mime])), bundle[mime], mime);
    }
  });

  it("pass a ready payload through unchanged", () => {
    const payload: HeatmapPayload = heatmapBundleOf([
      {
        id: "x",
        score: 1,
        image: { width: 2, height: 2, data: new Uint8Array(4) },
        map: { width: 2, height: 2, data: [0, 1, 2, 3] },
      },
    ])[HEATMAP_MIME] as HeatmapPayload;
    assert.strictEqual(heatmapBundleOf(payload)[HEATMAP_MIME], payload);
  });
});
