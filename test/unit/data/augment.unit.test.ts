import * as assert from "assert";
import { affineWarp, augmentationNames, augmentSupport, centreZoom, colourJitter, flip, referenceColourJitter, rotate, translate } from "../../../kernel/data/augment";
import { Rng } from "../../../kernel/util/random/rng";
import { ChwTensor } from "../../../kernel/imaging/raster";

function t(c: number, h: number, w: number, f: (c: number, y: number, x: number) => number): ChwTensor {
  const data = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[k * h * w + y * w + x] = f(k, y, x);
  return { dims: [c, h, w], data };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-6) => {
  assert.strictEqual(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= eps, `index ${i}: ${a[i]} vs ${b[i]}`);
};

describe("support-set augmentation", () => {
  it("lists MVFA's 11 and MadCLIP's 16 versions in the references' order", () => {
    assert.strictEqual(augmentationNames("mvfa").length, 11);
    assert.strictEqual(augmentationNames("madclip").length, 16);
    assert.deepStrictEqual(augmentationNames("mvfa").slice(-2), ["hflip", "vflip"]);
    assert.ok(augmentationNames("madclip").includes("zoom(1.3)") && augmentationNames("madclip").includes("colour-jitter"));
  });

  it("reproduces affine_grid + grid_sample (align_corners=False, reflection) on a hand-worked case", () => {
    // Row [a b c d], translate x by 0.5 grid units = 1 px at W=4: sample x+1; the last column reflects to index 3.
    const row = t(1, 1, 4, (_, __, x) => [10, 20, 30, 40][x]);
    close(translate(row, 0.5, 0).data, [20, 30, 40, 40]);
    // The identity matrix returns the input exactly.
    const img = t(2, 5, 7, (c, y, x) => c * 100 + y * 7 + x);
    close(affineWarp(img, [[1, 0, 0], [0, 1, 0]]).data, img.data);
    // A half-pixel shift interpolates neighbours equally.
    close(translate(row, 0.25, 0).data, [15, 25, 35, 40]);
  });

  it("rotates about the centre: the centre pixel is fixed and rotating back nearly restores the interior", () => {
    const img = t(1, 9, 9, (_, y, x) => Math.sin(x / 3) + Math.cos(y / 4));
    const r = rotate(img, Math.PI / 8);
    assert.ok(Math.abs(r.data[4 * 9 + 4] - img.data[4 * 9 + 4]) < 1e-6);
    const back = rotate(r, -Math.PI / 8);
    assert.ok(Math.abs(back.data[4 * 9 + 4] - img.data[4 * 9 + 4]) < 1e-6);
  });

  it("flips, zooms about the centre and jitters within [0, 1]", () => {
    const img = t(1, 2, 3, (_, y, x) => y * 3 + x);
    close(flip(img, "horizontal").data, [2, 1, 0, 5, 4, 3]);
    close(flip(img, "vertical").data, [3, 4, 5, 0, 1, 2]);
    const grad = t(1, 10, 10, (_, __, x) => x / 9);
    const z = centreZoom(grad, 1.25); // 8-px crop from column 1: values 1/9..8/9 spread over 10 px
    assert.ok(z.data[0] >= 1 / 9 - 1e-6 && z.data[9] <= 8 / 9 + 1e-6 && z.data[9] > z.data[0]);
    const bright = colourJitter(t(1, 2, 2, () => 0.9), 1.2, 1.2);
    assert.ok(Array.from(bright.data).every((v) => v >= 0 && v <= 1));
  });

  it("warps masks with their image and orders the batch version-major", () => {
    const img = t(3, 12, 12, (_, y, x) => (x >= 2 && x < 5 && y >= 3 && y < 6 ? 1 : 0));
    const mask = t(1, 12, 12, (_, y, x) => (x >= 2 && x < 5 && y >= 3 && y < 6 ? 1 : 0));
    const other = t(3, 12, 12, () => 0.5);
    const out = augmentSupport([img, other], [mask, undefined], "mvfa");
    assert.strictEqual(out.images.length, 22);
    assert.deepStrictEqual(out.sources.slice(0, 4), [0, 1, 0, 1]);
    assert.deepStrictEqual(out.versions.slice(0, 3), ["original", "original", out.versions[2]]);
    for (let i = 0; i < out.images.length; i++) {
      if (out.sources[i] === 1) {
        assert.ok(out.masks[i].data.every((v) => v === 0), "images without a mask get zero masks");
        continue;
      }
      // Channel 0 of the warped image equals the warped mask pixel for pixel.
      close(out.images[i].data.subarray(0, 144), out.masks[i].data);
    }
  });

  it("keeps masks unchanged under MadCLIP's colour jitter and makes the jitter seed-reproducible", () => {
    const img = t(3, 6, 6, (c, y, x) => (c + y + x) / 15);
    const mask = t(1, 6, 6, (_, y) => (y > 2 ? 1 : 0));
    const a = augmentSupport([img], [mask], "madclip", 3);
    const b = augmentSupport([img], [mask], "madclip", 3);
    const j = a.versions.indexOf("colour-jitter");
    close(a.images[j].data, b.images[j].data);
    close(a.masks[j].data, mask.data);
    assert.strictEqual(a.images.length, 16);
  });

  it("reference jitter: brightness unclamped, contrast about each column's mean over channels and rows, then clamp", () => {
    // Hand-computed: x·1.2 = ch0 [1.08, 0.24], ch1 [0.6, 0]; column means 0.84 and 0.12; (x − m)·1.5 + m.
    const img = t(2, 1, 2, (c, _y, x) => [[0.9, 0.2], [0.5, 0]][c][x]);
    close(referenceColourJitter(img, 1.2, 1.5).data, [1, 0.3, 0.48, 0], 1e-6);
    // Ours (per channel, brightness clipped at 1) differs on the same input.
    close(colourJitter(img, 1.2, 1.5).data, [1, 0.05, 0.75, 0], 1e-6);
  });

  it('reference jitter draws once per call (a class batch); "per-image" keeps one draw per image', () => {
    const img = t(3, 6, 6, (c, y, x) => (c + y + x) / 15);
    const ref = augmentSupport([img, img], [undefined, undefined], "madclip", 3);
    const j = ref.versions.indexOf("colour-jitter");
    assert.deepStrictEqual(ref.sources.slice(j, j + 2), [0, 1]);
    close(ref.images[j].data, ref.images[j + 1].data, 0);
    const rng = new Rng(3);
    const b = rng.uniform(0.8, 1.2);
    const c = rng.uniform(0.8, 1.2);
    close(ref.images[j].data, referenceColourJitter(img, b, c).data, 0);
    const per = augmentSupport([img, img], [undefined, undefined], "madclip", 3, "per-image");
    close(per.images[j].data, colourJitter(img, b, c).data, 0);
    assert.ok(per.images[j].data.some((v, i) => v !== per.images[j + 1].data[i]), "per-image draws differ");
    assert.throws(() => augmentSupport([img], [undefined], "madclip", 3, "bad" as never), /jitter must be "reference" or "per-image"/);
  });
});
