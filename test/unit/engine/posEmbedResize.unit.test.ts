import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  antialiasBicubicWeights,
  resizeGridAntialiasBicubic,
  resizePositionEmbedding,
} from "../../../kernel/engine/clip/posEmbedResize";
import { compare, fmt } from "./helpers";

// Made by scripts/engine/make-posembed-ref.py with torch F.interpolate(bicubic, antialias=True, align_corners=False).
const REF = path.resolve(__dirname, "../../../../test/unit/engine/data/posembed-aa-bicubic.json");

/** Same formula as the generator script (exact in binary floating point). */
function grid(n: number, channels: number): Float64Array {
  const g = new Float64Array(n * n * channels);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      for (let c = 0; c < channels; c++)
        g[(y * n + x) * channels + c] = ((y * 31 + x * 17 + c * 7) % 23) / 23 - 0.5 + (x * y) / 1024;
  return g;
}

describe("engine/clip: antialiased bicubic position-embedding resize", () => {
  const ref = JSON.parse(fs.readFileSync(REF, "utf8")) as {
    cases: { in: number; out: number; channels: number; f64: number[]; f32: number[] }[];
  };

  for (const c of ref.cases) {
    it(`${c.in}×${c.in} → ${c.out}×${c.out} matches torch F.interpolate(antialias=True)`, function () {
      const out = resizeGridAntialiasBicubic(grid(c.in, c.channels), c.in, c.in, c.channels, c.out, c.out);
      const d64 = compare(out, c.f64, 0, 1e-12); // same math in float64: agreement to rounding
      const d32 = compare(Float32Array.from(out), c.f32); // what a float32 torch run gives, at the fixture tolerance
      this.test!.title += ` — vs float64 torch: ${fmt(d64)}; vs float32 torch: max abs ${d32.maxAbs.toExponential(2)}`;
      assert.ok(d64.ok, fmt(d64));
      assert.ok(d32.ok, fmt(d32));
    });
  }

  it("weights sum to 1, use the widened support when downsampling, and are the identity at equal size", () => {
    const down = antialiasBicubicWeights(24, 17);
    for (const w of down.weights) assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(down.weights[8].length > 4, "support stretched by 24/17");
    assert.strictEqual(antialiasBicubicWeights(16, 17).weights[8].length, 4);
    const same = antialiasBicubicWeights(5, 5);
    same.weights.forEach((w, i) => w.forEach((v, k) => assert.ok(v === (same.start[i] + k === i ? 1 : 0)))); // -0 counts as 0
    // Keys a = −0.5 at 4 → 2 (support 4, taps at distances 0.25, 0.25, 0.75, 1.25 after scaling).
    const w = antialiasBicubicWeights(4, 2).weights[0];
    const raw = [0.8671875, 0.8671875, 0.2265625, -0.0703125];
    const sum = raw.reduce((a, b) => a + b, 0);
    w.forEach((v, k) => assert.ok(Math.abs(v - raw[k] / sum) < 1e-15));
  });

  it("keeps the CLS row and resizes the grid rows of a CLIP table", () => {
    const d = 2;
    const data = Float32Array.from({ length: (24 * 24 + 1) * d }, (_, i) => (i % 13) / 13);
    const out = resizePositionEmbedding({ data, shape: [24 * 24 + 1, d] }, 17);
    assert.deepStrictEqual(out.shape, [290, d]);
    assert.deepStrictEqual([...out.data.subarray(0, d)], [...data.subarray(0, d)]);
    const same = resizePositionEmbedding({ data, shape: [577, d] }, 24);
    assert.strictEqual(same.data, data);
    assert.throws(
      () => resizePositionEmbedding({ data: new Float32Array(11 * d), shape: [11, d] }, 3),
      /not a square grid/,
    );
  });
});
