import * as assert from "assert";
import { metricsBundleOf, rocBundleOf } from "../../../kernel/api/vizBundles";
import type { FewshotResult } from "../../../kernel/methods/result";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { METRICS_MIME, ROC_MIME, type MetricsPayload, type RocPayload } from "../../../kernel/protocol/viz";

// Only the fields the adapters read; the rest of a real result is irrelevant to them.
function result(label: string, scores: number[], labels: (0 | 1)[], pixel: boolean): FewshotResult {
  const f1 = { f1: 0.7, threshold: 0.5, precision: 0.7, recall: 0.7 };
  return {
    schema: "medad.fewshot-result/1",
    method: "zero-shot",
    label,
    scores: scores.map((score, i) => ({ file: `f${i}.png`, label: labels[i], score, branches: {}, layers: {} })),
    metrics: {
      image: { auroc: 0.91, averagePrecision: 0.8, f1Max: f1 },
      pixel: pixel ? { auroc: 0.95, averagePrecision: 0.4, f1Max: f1, positives: 10, negatives: 90 } : undefined,
      perLayer: [],
    },
  } as unknown as FewshotResult;
}

describe("pictures of medad.fewshot results", () => {
  const labels: (0 | 1)[] = [0, 1, 0, 1, 1];
  const a = result("zero-shot CLIP", [0.1, 0.9, 0.4, 0.3, 0.8], labels, true);
  const b = result("PatchCore", [0.2, 0.6, 0.1, 0.7, 0.9], labels, false);

  it("draws ROC curves from the evaluated image scores, mixed with plain scored methods", () => {
    const payload = rocBundleOf([a, { name: "manual", scores: [1, 2, 3, 4, 5], labels }])[ROC_MIME] as RocPayload;
    assert.deepStrictEqual(
      payload.series.map((s) => s.name),
      ["zero-shot CLIP", "manual"],
    );
    assert.strictEqual(payload.series[0].auroc, aurocExact([0.1, 0.9, 0.4, 0.3, 0.8], labels));
  });

  it("shows the metrics a result carries, pixel columns only where present", () => {
    const payload = metricsBundleOf([a, b])[METRICS_MIME] as MetricsPayload;
    assert.deepStrictEqual(payload.metrics, [
      "image AUROC",
      "image AP",
      "image F1-max",
      "pixel AUROC",
      "pixel AP",
      "pixel F1-max",
    ]);
    assert.deepStrictEqual(
      payload.methods[0].values.map((v) => v?.value),
      [0.91, 0.8, 0.7, 0.95, 0.4, 0.7],
    );
    assert.deepStrictEqual(payload.methods[1].values.slice(3), [null, null, null]);
  });
});
