// MediCLIP's GaussIntensityChange task (methods.md §4.5): a smooth random texture — binary noise [randn ≥ 0]
// blurred with σ ∈ {4, 7}, min–max scaled to [0, 1], times u₀ ~ ±U(0.4, 0.6), clipped to [−1, 1] — is added inside a
// Perlin patch (props 0.3–0.8), weighted by the patch mask blurred with σ ~ U(1, 4), in [0, 1] units; pixels outside
// the mask are untouched. Label = the binary Perlin mask.
import type { Rng } from "../../util/random/rng";
import { gaussianFilter } from "./filters";
import type { GrayImage } from "./grayImage";
import { patchBounds, perlinPatchMask } from "./perlinMask";
import { randomCorner, type PlacedAnomaly } from "./placement";

export const GAUSS_INTENSITY_PROPS = [0.3, 0.8] as const;

/** The full-image texture of one draw, values in [−1, 1]. */
export function intensityTexture(height: number, width: number, rng: Rng): Float64Array {
  const noise = new Float64Array(height * width);
  for (let k = 0; k < noise.length; k++) noise[k] = rng.normal() >= 0 ? 1 : 0;
  const sigma = rng.chance(0.5) ? 4 : 7;
  const t = gaussianFilter({ height, width, data: noise }, sigma).data;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const u0 = rng.chance(0.5) ? rng.uniform(0.4, 0.6) : rng.uniform(-0.6, -0.4);
  for (let k = 0; k < t.length; k++) t[k] = Math.min(1, Math.max(-1, (hi > lo ? (t[k] - lo) / (hi - lo) : 0) * u0));
  return t;
}

export function gaussIntensityAnomaly(img: GrayImage, rng: Rng): PlacedAnomaly {
  const { lo, hi } = patchBounds(img.height, ...GAUSS_INTENSITY_PROPS);
  const mask = perlinPatchMask(rng, lo, hi);
  const { r0, c0 } = randomCorner(rng, img, mask);
  const texture = intensityTexture(img.height, img.width, rng);
  const m = { height: mask.height, width: mask.width, data: Float64Array.from(mask.data) };
  const g = gaussianFilter(m, rng.uniform(1, 4)).data;
  for (let r = 0; r < mask.height; r++) {
    for (let c = 0; c < mask.width; c++) {
      const k = r * mask.width + c;
      if (!mask.data[k]) continue; // p·(1 − m) + (p + t·g)·m with binary m
      const at = (r0 + r) * img.width + c0 + c;
      const p = img.data[at] / 255;
      img.data[at] = Math.min(1, Math.max(0, p + texture[at] * g[k])) * 255;
    }
  }
  return { r0, c0, mask };
}
