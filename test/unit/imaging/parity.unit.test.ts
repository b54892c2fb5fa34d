// Pixel parity with the reference preprocessing (PIL + torchvision) stored in the tiny-CLIP fixture.
import * as assert from "assert";
import * as path from "path";
import { MEDICLIP_PREPROCESS, MVFA_PREPROCESS, preprocessImage, preprocessMask, stack } from "../../../kernel/imaging";
import { tinyClipImages, tinyClipRef } from "../../helpers/fixturePaths";
import { readFixtureTensor } from "../../helpers/safetensorsFixture";

const images = ["test_0", "test_1", "test_2", "support_0", "support_1"].map((n) => path.join(tinyClipImages, `${n}.png`));
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
});
