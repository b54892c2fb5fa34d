// MediCLIP's train-time pixel path as its datasets/dataset.py and medsyn/tasks.py run it: the file is resized in its
// own mode before the grey conversion, the synthesis runs on a uint8 image (scipy rounds resampled values into it,
// CutPaste's label sees the wrapping uint8 difference) and the result is truncated with astype(np.uint8).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { flippedGaussianLabel } from "../../../../kernel/data/synth/cutPaste";
import { grayImage, scipyUint8 } from "../../../../kernel/data/synth/grayImage";
import { readGraySample } from "../../../../kernel/data/synth/sampleImage";
import { synthesize, SYNTH_TASKS } from "../../../../kernel/data/synth/tasks";
import type { Sample } from "../../../../kernel/data/types";
import { encodePng8 } from "../../../../kernel/imaging/pngEncode";
import { readImage, rgbToGrey } from "../../../../kernel/imaging/readImage";
import { resize } from "../../../../kernel/imaging/resize";
import { Rng } from "../../../../kernel/util/random/rng";

describe("data/synth: MediCLIP's uint8 pixel path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-mediclip-px-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads a colour file by resizing in RGB, then converting to grey (not grey first)", () => {
    const rng = new Rng(5);
    const w = 23;
    const px = Uint8Array.from({ length: w * w * 3 }, () => rng.int(0, 255));
    const file = path.join(dir, "rgb.png");
    fs.writeFileSync(file, encodePng8(w, w, px, "rgb"));
    const sample = { path: file, label: "normal", split: "train", category: "x" } as Sample;
    const got = readGraySample(sample, 8).data;
    const reference = rgbToGrey(resize(readImage(file, { mode: "rgb" }), 8, 8, "bilinear")).data;
    const greyFirst = resize(readImage(file, { mode: "gray" }), 8, 8, "bilinear").data;
    assert.deepStrictEqual(Array.from(got), Array.from(reference));
    assert.ok(
      Array.from(got).some((v, i) => v !== greyFirst[i]),
      "on this image the two orders differ, so the test tells them apart",
    );
  });

  it("stores resampled values as scipy does into uint8: round half up, clamp to 0..255", () => {
    assert.deepStrictEqual([2.5, 1.49, -0.3, 255.7, 254.5, 0].map(scipyUint8), [3, 1, 0, 255, 255, 0]);
  });

  it("truncates the finished image: pixels uint8 = trunc of the float run with the same draws (Gauss intensity)", () => {
    const normal = grayImage(64, 64, Array.from({ length: 64 * 64 }, (_, k) => 40 + (k % 97)));
    for (let seed = 0; seed < 4; seed++) {
      const f = synthesize(normal, new Rng(seed), { task: "gauss-intensity" });
      const u = synthesize(normal, new Rng(seed), { task: "gauss-intensity", pixels: "uint8" });
      assert.deepStrictEqual(Array.from(u.image.data), Array.from(f.image.data, (v) => Math.trunc(v)));
      assert.ok(f.image.data.some((v) => !Number.isInteger(v)), "the float run has fractional pixels");
    }
  });

  it("gives integer pixels for every task in uint8 mode", () => {
    const normal = grayImage(64, 64, Array.from({ length: 64 * 64 }, (_, k) => (k * 7) % 256));
    for (const task of SYNTH_TASKS) {
      const u = synthesize(normal, new Rng(1), { task, sources: [normal], pixels: "uint8" });
      assert.ok(
        u.image.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 255),
        task,
      );
    }
  });

  it("CutPaste's label sees the uint8 difference, which wraps: aug − orig = −1 counts as 255", () => {
    // One-pixel anomalies, so the labeller's closing and hole filling leave the value as it is.
    const label = (a: number, uint8: boolean) =>
      flippedGaussianLabel(grayImage(1, 1, [a]), grayImage(1, 1, [10]), [1], 0.2, uint8)[0];
    const one = 1 - Math.exp(-1 / 0.08);
    assert.strictEqual(label(9, true), 1);
    assert.strictEqual(label(9, false), one);
    assert.strictEqual(label(11, true), one);
    assert.strictEqual(label(10, true), 0);
  });
});
