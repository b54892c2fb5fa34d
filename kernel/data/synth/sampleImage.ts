// MediCLIP's train-time image path (datasets/dataset.py read_image): open the file in its own mode, resize BILINEAR
// to S×S in that mode, then convert to grey "L" as uint8 (the synthesis works on these 0–255 values); after synthesis
// (tasks.ts, pixels "uint8") replicate to RGB, scale to [0, 1] and apply the CLIP mean/std — the same normalisation
// as its test path.
import { readSourceImage, rgbToGrey } from "../../imaging/readImage";
import { resize } from "../../imaging/resize";
import { CLIP_MEAN, CLIP_STD } from "../../imaging/tensor";
import type { Sample } from "../types";
import type { GrayImage } from "./grayImage";

export function readGraySample(sample: Sample, size: number): GrayImage {
  // PIL resizes a palette ("P") image nearest whatever filter is asked for.
  const { raster, palette } = readSourceImage(sample.path);
  const resized = resize(raster, size, size, palette ? "nearest" : "bilinear");
  const r = resized.channels === 1 ? resized : rgbToGrey(resized);
  // 16-bit sources decode to [0, 1]; the synthesis expects 8-bit integers (our rounding: PIL would clip, not scale).
  const eight = r.data instanceof Uint8Array;
  return { height: size, width: size, data: Float64Array.from(r.data, (v) => (eight ? v : Math.round(v * 255))) };
}

/** [3, S, S] model input from a synthetic grey image (values clipped to 0–255 first; synthesize with pixels "uint8"
 * has already truncated them to integers, as the reference). */
export function grayToModelInput(img: GrayImage, normalize = true): Float32Array {
  const n = img.height * img.width;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    for (let k = 0; k < n; k++) {
      const v = Math.min(255, Math.max(0, img.data[k])) / 255;
      out[c * n + k] = normalize ? (v - CLIP_MEAN[c]) / CLIP_STD[c] : v;
    }
  }
  return out;
}
