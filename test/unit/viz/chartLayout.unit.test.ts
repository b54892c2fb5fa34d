// Layout of the PNG fallbacks as a person reads them: every text inside the canvas, no text drawn over another, no
// missing-glyph box, the ROC legend outside the plot with a swatch per curve, the bootstrap band drawn, heatmap
// captions naming what tells the cases apart. Checked on the text boxes the canvas records and on its pixels.
import * as assert from "assert";
import { categoryColor, type Rgb } from "../../../kernel/protocol/colormap";
import type { RocPayload } from "../../../kernel/protocol/viz";
import type { Canvas, TextBox } from "../../../kernel/viz/raster/canvas";
import { drawHeatmap } from "../../../kernel/viz/png/heatmapPng";
import { drawMetrics } from "../../../kernel/viz/png/metricsPng";
import { drawRoc, ROC_LAYOUT, rocLegend } from "../../../kernel/viz/png/rocPng";
import { drawTsne } from "../../../kernel/viz/png/tsnePng";
import { heatmapPayload } from "../../../kernel/viz/payloads/heatmapPayload";
import { metricsPayload } from "../../../kernel/viz/payloads/metricsPayload";
import { rocPayload } from "../../../kernel/viz/payloads/rocPayload";
import { tsnePayloadFromEmbedding } from "../../../kernel/viz/payloads/tsnePayload";

// The built-in methods' labels: the longest names a chart gets without the user typing any.
const NAMES = [
  "zero-shot CLIP (MVFA prompt ensemble, projected patch tokens)",
  "PatchCore-style few-shot (MVFA memory branch on frozen features)",
  "MVFA (adapters trained for 5 epochs; text + memory, 0.5/0.5)",
];

let seed = 5;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const labels = Array.from({ length: 80 }, (_, i) => (i % 2 ? 1 : 0));
const methods = NAMES.map((name, k) => ({ name, scores: labels.map((l) => (0.4 + 0.3 * k) * l + rnd()), labels }));

const overlap = (a: TextBox, b: TextBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function assertReadable(canvas: Canvas, what: string): void {
  assert.ok(canvas.texts.length > 0, `${what}: no text drawn`);
  for (const t of canvas.texts) {
    const inside = t.x >= 0 && t.y >= 0 && t.x + t.width <= canvas.width && t.y + t.height <= canvas.height;
    assert.ok(inside, `${what}: "${t.text}" ${JSON.stringify(t)} leaves the ${canvas.width}×${canvas.height} canvas`);
  }
  canvas.texts.forEach((a, i) => {
    for (const b of canvas.texts.slice(i + 1)) {
      assert.ok(!overlap(a, b), `${what}: "${a.text}" and "${b.text}" overlap`);
    }
  });
  assert.deepStrictEqual([...canvas.missingGlyphs], [], `${what}: characters without a glyph`);
}

const near = (a: Rgb, b: Rgb, tolerance: number) => a.every((v, c) => Math.abs(v - b[c]) <= tolerance);

describe("PNG chart layout", () => {
  const roc = rocPayload(methods, { ci: { iterations: 200, seed: 0 }, title: "Three methods · demo-brainmri/Brain" });

  it("ROC: texts inside the canvas, none over another, every glyph present, full names in the legend", () => {
    const canvas = drawRoc(roc);
    assertReadable(canvas, "roc");
    const legendText = canvas.texts
      .filter((t) => t.y >= ROC_LAYOUT.legendTop)
      .map((t) => t.text)
      .join(" ");
    for (const name of NAMES) assert.ok(legendText.includes(name), `legend lacks "${name}": ${legendText}`);
    assert.match(legendText, /AUROC \d\.\d{3}, 95% CI \[\d\.\d{3}, \d\.\d{3}\]/);
  });

  it("ROC: the legend box lies under the plot box, with a swatch of each curve's colour", () => {
    const canvas = drawRoc(roc);
    const { left, top, size, legendTop, margin } = ROC_LAYOUT;
    const legend = rocLegend(roc);
    const plotBottom = top + size + 1;
    assert.ok(legendTop > plotBottom, "legend starts below the plot");
    const legendInside = margin + legend.width <= canvas.width && legendTop + legend.height <= canvas.height;
    assert.ok(legendInside, "legend inside the canvas");
    assert.ok(left > 0 && left + size < canvas.width);
    legend.rows.forEach((row, k) => {
      const y = Math.round(legendTop + row.top + 7);
      let found = false;
      for (let x = margin; x < margin + 40; x++) if (near(canvas.pixel(x, y), categoryColor(k), 30)) found = true;
      assert.ok(found, `no ${categoryColor(k)} swatch for "${row.entry.label}" at y ${y}`);
    });
  });

  it("ROC: ci draws a tinted band around each curve; without ci there is none", () => {
    const tinted = (payload: RocPayload) => {
      const canvas = drawRoc(payload);
      const { left, top, size } = ROC_LAYOUT;
      // Light pixels of the first method's hue: the band (20 % of its colour over white or grid).
      const band = categoryColor(0).map((v) => Math.round(255 * 0.8 + v * 0.2)) as Rgb;
      let n = 0;
      for (let y = top + 2; y < top + size - 1; y++) {
        for (let x = left + 2; x < left + size - 1; x++) if (near(canvas.pixel(x, y), band, 6)) n++;
      }
      return n;
    };
    const single = (ci: boolean) => rocPayload([methods[0]], ci ? { ci: { iterations: 200, seed: 0 } } : {});
    const withBand = tinted(single(true));
    assert.ok(withBand > 2000, `${withBand} band pixels with ci`);
    assert.strictEqual(tinted(single(false)), 0);
  });

  it("metrics: six metric names and long method names fit without overlaps", () => {
    const payload = metricsPayload(
      NAMES.map((name, k) => ({
        name,
        metrics: {
          "image AUROC": 0.6 + 0.1 * k,
          "image AP": 0.61 + 0.1 * k,
          "image F1-max": 0.62 + 0.1 * k,
          "pixel AUROC": 0.7,
          "pixel AP": 0.71,
          "pixel F1-max": 0.72,
        },
      })),
    );
    assertReadable(drawMetrics(payload), "metrics");
    // Many methods: groups widen so the value labels over neighbouring bars stay apart.
    const seven = Array.from({ length: 7 }, (_, k) => ({ name: `m${k}`, metrics: { AUROC: 0.8, "AU-PRO": 0.5 } }));
    const many = metricsPayload(seven);
    assertReadable(drawMetrics(many), "metrics with 7 methods");
  });

  it("heatmap: captions name the distinguishing file name, label on its own line; the title's · is drawn", () => {
    const cases = Array.from({ length: 7 }, (_, k) => ({
      id: `Brain_AD/test/${k % 2 ? "Ungood" : "good"}/img/0000${k}_109.png`,
      score: k / 7,
      label: (k % 2) as 0 | 1,
      image: { width: 8, height: 8, data: new Uint8Array(64).fill(90) },
      map: { width: 8, height: 8, data: Float32Array.from({ length: 64 }, (_, p) => p * (k + 1)) },
    }));
    const canvas = drawHeatmap(heatmapPayload(cases, { title: `${NAMES[2]} · demo-brainmri/Brain`, maxCases: 5 }));
    assertReadable(canvas, "heatmap");
    const texts = canvas.texts.map((t) => t.text);
    assert.ok(texts.includes("1. 00006_109.png"), JSON.stringify(texts));
    assert.ok(!texts.some((t) => t.includes("Brain_AD/test")), "shared folders shown");
    assert.ok(texts.includes("anomalous") && texts.includes("normal"));
  });

  it("t-SNE: panels and legends without overlaps", () => {
    const payload = tsnePayloadFromEmbedding([0, 0, 1, 1, 2, 0, 3, 1], {
      groundTruth: [0, 1, 0, 1],
      prediction: { scores: [0.1, 0.9, 0.8, 0.2], threshold: 0.5 },
      title: "t-SNE · anomaly maps",
    });
    assertReadable(drawTsne(payload), "tsne");
  });
});
