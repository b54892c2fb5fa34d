import * as assert from "assert";
import * as path from "path";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { averagePrecision } from "../../../kernel/metrics/averagePrecision";
import { PixelAurocAccumulator } from "../../../kernel/metrics/pixelAurocAccumulator";
import { readTestTensor, tinyClipRefDir } from "./safetensorsTestReader";

// Values computed by scikit-learn (version in the fixture manifest) on the same inputs; the fixture README asks for
// agreement to 1e-12.
const TOLERANCE = 1e-12;

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= TOLERANCE,
    `${what}: ${actual} vs sklearn ${expected} (diff ${actual - expected})`,
  );
}

describe("metrics: sklearn reference values (tiny-clip fixtures)", () => {
  const ref = tinyClipRefDir();
  const metricsFile = path.join(ref, "metrics.safetensors");

  for (const set of ["set1", "set2", "set3"]) {
    it(`${set}: roc_auc_score and average_precision_score`, () => {
      const scores = readTestTensor(metricsFile, `${set}_scores`).data;
      const labels = readTestTensor(metricsFile, `${set}_labels`).data;
      const [auroc, ap] = readTestTensor(metricsFile, `${set}_auroc_ap`).data;
      assertClose(aurocExact(scores, labels), auroc, `${set} AUROC`);
      assertClose(averagePrecision(scores, labels), ap, `${set} AP`);
      if (scores instanceof Float32Array) {
        // The streaming path must agree on the same float32 data.
        const accumulator = new PixelAurocAccumulator();
        accumulator.add(scores, Uint8Array.from(labels));
        const result = accumulator.result();
        assertClose(result.auroc, auroc, `${set} streaming AUROC`);
        assertClose(result.averagePrecision, ap, `${set} streaming AP`);
      }
    });
  }

  it("pixel level: mvfa fused_seg_map vs masks, streamed image by image", () => {
    const map = readTestTensor(path.join(ref, "mvfa.safetensors"), "fused_seg_map");
    const masks = readTestTensor(path.join(ref, "pre.safetensors"), "masks");
    const [auroc, ap] = readTestTensor(metricsFile, "pixel_auroc_ap").data;
    assert.ok(map.data instanceof Float32Array && masks.data instanceof Float32Array);
    const [images, height, width] = map.shape;
    assert.deepStrictEqual(masks.shape, [images, 1, height, width]);
    const pixels = height * width;
    const accumulator = new PixelAurocAccumulator();
    for (let i = 0; i < images; i++) {
      accumulator.add(
        map.data.subarray(i * pixels, (i + 1) * pixels),
        masks.data.subarray(i * pixels, (i + 1) * pixels),
      );
    }
    const result = accumulator.result();
    assertClose(result.auroc, auroc, "pixel AUROC");
    assertClose(result.averagePrecision, ap, "pixel AP");
    assertClose(aurocExact(map.data, masks.data), auroc, "pixel AUROC from arrays");
  });
});
