// Pixel parity with the reference preprocessing (PIL + torchvision) stored in the tiny-CLIP fixture.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { encodePng } from "../../helpers/pngEncode";
import { MEDICLIP_PREPROCESS, MVFA_PREPROCESS, preprocessImage, preprocessMask, stack } from "../../../kernel/imaging";
import { tinyClipImages, tinyClipRef } from "../../helpers/fixturePaths";
import { readFixtureTensor } from "../../helpers/safetensorsFixture";

const images = ["test_0", "test_1", "test_2", "support_0", "support_1"].map((n) =>
  path.join(tinyClipImages, `${n}.png`),
);
const masks = [0, 1, 2].map((i) => path.join(tinyClipImages, `test_${i}_mask.png`));

function compare(name: string, got: { dims: readonly number[]; data: Float32Array }) {
  const ref = readFixtureTensor(path.join(tinyClipRef, "pre.safetensors"), name);
  assert.deepStrictEqual(got.dims, ref.shape);
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.data.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(got.data[i] - (ref.data[i] as number)));
    maxRef = Math.max(maxRef, Math.abs(ref.data[i] as number));
  }
  return { maxAbs, maxRef };
}

describe("preprocessing parity with the reference", () => {
  // 8-bit sources through PIL's integer path give values k/255 (then float32 normalisation): expect equality.
  it("MVFA: bicubic, ToTensor, no normalisation, exactly equal", () => {
    const got = stack(images.map((f) => preprocessImage(f, { size: 56, ...MVFA_PREPROCESS })));
    assert.strictEqual(compare("pixels_mvfa", got).maxAbs, 0);
  });

  it("MediCLIP: bilinear, ToTensor, CLIP mean/std, exactly equal", () => {
    const got = stack(images.map((f) => preprocessImage(f, { size: 56, ...MEDICLIP_PREPROCESS })));
    assert.strictEqual(compare("pixels_mediclip", got).maxAbs, 0);
  });

  it("masks: nearest, > 0.5, exactly equal and not trivially empty", () => {
    const got = stack(masks.map((f) => preprocessMask(f, 56)));
    assert.strictEqual(compare("masks", got).maxAbs, 0);
    const perMask = [0, 1, 2].map((i) => got.data.subarray(i * 56 * 56, (i + 1) * 56 * 56).reduce((a, b) => a + b, 0));
    assert.strictEqual(perMask[0], 0); // test_0 is the normal image
    assert.ok(perMask[1] > 0 && perMask[2] > 0);
  });

  it("16-bit sources take the float path and stay within PIL's uint8 rounding of the reference", () => {
    // The same pictures widened to 16 bits (v * 257 = v / 255 exactly): no per-pass uint8 rounding happens, so
    // they differ from the 8-bit reference by at most about one grey level.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-16bit-"));
    try {
      const files = images.map((f, i) => {
        const png = PNG.sync.read(fs.readFileSync(f));
        const samples: number[] = [];
        for (let p = 0; p < png.width * png.height; p++)
          for (let c = 0; c < 3; c++) samples.push(png.data[p * 4 + c] * 257);
        const out = path.join(dir, `${i}.png`);
        fs.writeFileSync(out, encodePng({ width: png.width, height: png.height, colorType: 2, bitDepth: 16, samples }));
        return out;
      });
      const got = stack(files.map((f) => preprocessImage(f, { size: 56, ...MVFA_PREPROCESS })));
      const { maxAbs } = compare("pixels_mvfa", got);
      assert.ok(maxAbs > 0 && maxAbs <= 1.5 / 255, `max abs ${maxAbs}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
