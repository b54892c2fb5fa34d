// MediCLIP's CutPaste task (CutPastePatchBlender, methods.md §4.5): a Perlin-shaped patch (props 0.1–0.6) is filled
// with a rotated (U(±π/4)) and scaled (1 + Exp(0.1), inverted w.p. 0.5, capped so the crop fits 0.8 of the source)
// crop of one of the support images, resampled with scipy's order-3 affine_transform and clipped to the source's
// intensity range. The code replaces the pixels under the mask directly; `blend: "poisson"` instead uses Poisson
// image editing as the paper describes. Label: FlippedGaussianLabeller (std 0.2) on the 0–255 difference.
import type { Rng } from "../../util/random/rng";
import { componentBoxes, fillHoles, greyClosing3 } from "./morphology";
import { cropImage, GrayImage, minMaxOf, scipyUint8 } from "./grayImage";
import { patchBounds, perlinPatchMask } from "./perlinMask";
import { randomCorner, type PlacedAnomaly } from "./placement";
import { poissonBlend } from "./poisson";
import { splineAt, splineCoefficients } from "./spline";

export const CUTPASTE_PROPS = [0.1, 0.6] as const;
export const CUTPASTE_LABEL_STD = 0.2;
export type CutPasteBlend = "replace" | "poisson";

/** The crop transform: M maps patch coordinates to crop coordinates (2×2, row-major), the crop size and offset. */
export interface CutPasteTransform {
  M: [number, number, number, number];
  offset: [number, number];
  crop: [number, number];
}

/** Rotation + scale of one CutPaste draw for a patch of size (h, w) and a source of size (H, W). */
export function cutPasteTransform(rng: Rng, patch: [number, number], source: [number, number]): CutPasteTransform {
  const t = rng.uniform(-Math.PI / 4, Math.PI / 4);
  const R = [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
  const corners = [[0, 0], [patch[0], 0], [0, patch[1]], [patch[0], patch[1]]];
  const extent = (m: number[]) => {
    const ys = corners.map(([a, b]) => m[0] * a + m[1] * b);
    const xs = corners.map(([a, b]) => m[2] * a + m[3] * b);
    return { min: [Math.min(...ys), Math.min(...xs)], size: [Math.max(...ys) - Math.min(...ys), Math.max(...xs) - Math.min(...xs)] };
  };
  let s = 1 + -0.1 * Math.log(1 - rng.next());
  if (rng.chance(0.5)) s = 1 / s;
  const rotated = extent(R);
  const maxScale = Math.min(...[0, 1].map((k) => (0.8 * source[k]) / Math.max(1e-9, rotated.size[k])));
  s = Math.min(s, maxScale);
  const M = R.map((v) => v * s) as CutPasteTransform["M"];
  const e = extent(M);
  return { M, offset: [-e.min[0], -e.min[1]], crop: [Math.max(1, Math.ceil(e.size[0])), Math.max(1, Math.ceil(e.size[1]))] };
}

/** affine_transform(crop, M, offset, output_shape=patch, order=3): out[o] = crop[M·o + offset], 0 outside. */
export function resampleCrop(crop: GrayImage, tr: CutPasteTransform, patch: [number, number]): GrayImage {
  const s = splineCoefficients(crop, "constant");
  const out = new Float64Array(patch[0] * patch[1]);
  for (let r = 0; r < patch[0]; r++) {
    for (let c = 0; c < patch[1]; c++) out[r * patch[1] + c] = splineAt(s, tr.M[0] * r + tr.M[1] * c + tr.offset[0], tr.M[2] * r + tr.M[3] * c + tr.offset[1]);
  }
  return { height: patch[0], width: patch[1], data: out };
}

/** `uint8`: the reference's image is uint8, so scipy rounds the resampled crop to 0..255 integers (scipyUint8). */
export function cutPasteAnomaly(img: GrayImage, rng: Rng, sources: readonly GrayImage[], blend: CutPasteBlend = "replace", uint8 = false): PlacedAnomaly {
  if (sources.length === 0) throw new Error("CutPaste needs at least one source image (the support normals)");
  const { lo, hi } = patchBounds(img.height, ...CUTPASTE_PROPS);
  const mask = perlinPatchMask(rng, lo, hi);
  const { r0, c0 } = randomCorner(rng, img, mask);
  const src = sources[rng.int(0, sources.length - 1)];
  const patch: [number, number] = [mask.height, mask.width];
  const tr = cutPasteTransform(rng, patch, [src.height, src.width]);
  const crop = cropImage(src, rng.int(0, Math.max(0, src.height - tr.crop[0])), rng.int(0, Math.max(0, src.width - tr.crop[1])), Math.min(tr.crop[0], src.height), Math.min(tr.crop[1], src.width));
  const pasted = resampleCrop(crop, tr, patch);
  if (uint8) for (let k = 0; k < pasted.data.length; k++) pasted.data[k] = scipyUint8(pasted.data[k]);
  const [lo8, hi8] = minMaxOf(src.data);
  for (let k = 0; k < pasted.data.length; k++) pasted.data[k] = Math.min(hi8, Math.max(lo8, pasted.data[k]));
  const before = cropImage(img, r0, c0, mask.height, mask.width);
  if (blend === "poisson") poissonBlend(img, pasted, mask.data, r0, c0);
  else {
    for (let r = 0; r < mask.height; r++) for (let c = 0; c < mask.width; c++) if (mask.data[r * mask.width + c]) img.data[(r0 + r) * img.width + c0 + c] = pasted.data[r * mask.width + c];
  }
  // The reference extends the mask to every patch pixel that changed by more than 0.001.
  const data = Uint8Array.from(mask.data);
  for (let r = 0; r < mask.height; r++) for (let c = 0; c < mask.width; c++) if (Math.abs(img.data[(r0 + r) * img.width + c0 + c] - before.data[r * mask.width + c]) > 0.001) data[r * mask.width + c] = 1;
  return { r0, c0, mask: { height: mask.height, width: mask.width, data } };
}

/**
 * FlippedGaussianLabeller: label = 1 − exp(−d²/(2·std²)) with d = mask·|aug − orig| on the 0–255 scale, then for each
 * connected component's bounding box a 3×3 grey closing and hole filling. `uint8`: the reference subtracts two uint8
 * arrays, so the difference wraps modulo 256 (aug − orig = −1 gives 255) before the absolute value.
 */
export function flippedGaussianLabel(aug: GrayImage, orig: GrayImage, mask: ArrayLike<number>, std = CUTPASTE_LABEL_STD, uint8 = false): Float64Array {
  const { height: h, width: w } = aug;
  const label = new Float64Array(h * w);
  for (let k = 0; k < label.length; k++) {
    const diff = aug.data[k] - orig.data[k];
    const d = !mask[k] ? 0 : uint8 ? (((diff % 256) + 256) % 256) : Math.abs(diff);
    label[k] = 1 - Math.exp(-(d * d) / (2 * std * std));
  }
  for (const b of componentBoxes(mask, h, w)) {
    const bh = b.r1 - b.r0;
    const bw = b.c1 - b.c0;
    const slice = new Float64Array(bh * bw);
    for (let r = 0; r < bh; r++) slice.set(label.subarray((b.r0 + r) * w + b.c0, (b.r0 + r) * w + b.c1), r * bw);
    const filled = fillHoles(greyClosing3(slice, bh, bw), bh, bw);
    for (let r = 0; r < bh; r++) label.set(filled.subarray(r * bw, (r + 1) * bw), (b.r0 + r) * w + b.c0);
  }
  return label;
}
