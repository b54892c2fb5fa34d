import * as assert from "assert";
import { Raster, resize } from "../../../kernel/imaging";
import { axisWeights } from "../../../kernel/imaging/resampleCoefficients";

const gray8 = (width: number, height: number, values: number[]): Raster => ({
  width,
  height,
  channels: 1,
  data: Uint8Array.from(values),
});

describe("resize (PIL semantics)", () => {
  it("bilinear 2 -> 4 upsampling gives PIL's rounded values", () => {
    // Centres 0.25, 0.75, 1.25, 1.75: the outer two see one pixel (support clipped), the inner two mix 3:1.
    const out = resize(gray8(2, 1, [0, 255]), 4, 1, "bilinear");
    assert.deepStrictEqual(Array.from(out.data), [0, 64, 191, 255]);
  });

  it("bicubic overshoot is clipped to 0..255 on 8-bit data", () => {
    const out = resize(gray8(4, 1, [0, 0, 255, 255]), 8, 1, "bicubic");
    assert.strictEqual(out.data[0], 0);
    assert.strictEqual(out.data[7], 255);
    // A step upsampled with a = -0.5 undershoots just before it; clipping leaves 0 there.
    assert.ok(Array.from(out.data).every((v) => v >= 0 && v <= 255));
    assert.ok(out.data[3] > 0 && out.data[4] < 255);
  });

  it("antialiases when downscaling: a 1-pixel checkerboard averages to mid-grey", () => {
    const values = Array.from({ length: 16 * 16 }, (_, i) => (((i % 16) + Math.floor(i / 16)) % 2 ? 255 : 0));
    for (const filter of ["bilinear", "bicubic"] as const) {
      const out = resize(gray8(16, 16, values), 4, 4, filter);
      for (const v of out.data) assert.ok(Math.abs(v - 127.5) <= 16, `${filter}: ${v}`);
    }
  });

  it("stretches the kernel support by the scale factor and normalises the weights", () => {
    const w = axisWeights(70, 56, "bicubic");
    assert.strictEqual(w.taps, 2 * Math.ceil((2 * 70) / 56) + 1);
    for (let o = 0; o < 56; o++) {
      let sum = 0;
      for (let k = 0; k < w.count[o]; k++) sum += w.weights[o * w.taps + k];
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
    assert.strictEqual(axisWeights(2, 4, "bilinear").taps, 3); // upsampling keeps support 1
  });

  it("keeps a constant image constant in both the 8-bit and the float path", () => {
    const c8 = resize({ width: 7, height: 5, channels: 3, data: new Uint8Array(105).fill(77) }, 3, 9, "bicubic");
    assert.ok(c8.data.every((v) => v === 77));
    const cf = resize({ width: 7, height: 5, channels: 3, data: new Float32Array(105).fill(0.3) }, 3, 9, "bicubic");
    assert.ok(cf.data instanceof Float32Array);
    assert.ok(cf.data.every((v) => Math.abs(v - 0.3) < 1e-6));
  });

  it("float path equals the 8-bit path up to PIL's per-pass rounding", () => {
    const values = Array.from({ length: 70 * 60 * 3 }, (_, i) => (i * 37 + (i >> 5) * 11) % 256);
    const u8 = resize({ width: 70, height: 60, channels: 3, data: Uint8Array.from(values) }, 56, 56, "bicubic");
    const f = resize(
      { width: 70, height: 60, channels: 3, data: Float32Array.from(values, (v) => v / 255) },
      56,
      56,
      "bicubic",
    );
    let maxDiff = 0;
    let anyDiff = false;
    for (let i = 0; i < u8.data.length; i++) {
      const d = Math.abs(u8.data[i] / 255 - Math.min(1, Math.max(0, f.data[i])));
      maxDiff = Math.max(maxDiff, d);
      anyDiff ||= d > 0;
    }
    assert.ok(anyDiff, "rounding should be visible somewhere");
    assert.ok(maxDiff <= 1.5 / 255, `max diff ${maxDiff * 255} levels`);
  });

  it("nearest uses PIL's pixel-centre rule", () => {
    assert.deepStrictEqual(Array.from(resize(gray8(3, 1, [10, 20, 30]), 2, 1, "nearest").data), [10, 30]);
    assert.deepStrictEqual(Array.from(resize(gray8(2, 1, [10, 20]), 5, 1, "nearest").data), [10, 10, 20, 20, 20]);
    assert.deepStrictEqual(Array.from(resize(gray8(1, 4, [1, 2, 3, 4]), 1, 2, "nearest").data), [2, 4]);
  });

  it("returns the image unchanged at its own size and rejects bad sizes", () => {
    const img = gray8(2, 2, [1, 2, 3, 4]);
    assert.strictEqual(resize(img, 2, 2, "bicubic"), img);
    assert.throws(() => resize(img, 0, 2, "bilinear"), /positive integers/);
  });
});
