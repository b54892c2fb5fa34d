// MediCLIP's train-time image path (methods.md §4.4): read the file as grey "L", resize BILINEAR to S×S (the
// synthesis works on these 0–255 values), and after synthesis replicate to RGB, scale to [0, 1] and apply the CLIP
// mean/std — the same normalisation as its test path.
import { readImage } from "../../imaging/readImage";
import { resize } from "../../imaging/resize";
import { CLIP_MEAN, CLIP_STD } from "../../imaging/tensor";
import type { Sample } from "../types";
import type { GrayImage } from "./grayImage";

export function readGraySample(sample: Sample, size: number): GrayImage {
  const r = resize(readImage(sample.path, { mode: "gray" }), size, size, "bilinear");
  // 16-bit sources decode to [0, 1]; the synthesis expects the 8-bit scale.
  const scale = r.data instanceof Uint8Array ? 1 : 255;
  return { height: size, width: size, data: Float64Array.from(r.data, (v) => v * scale) };
}

/** [3, S, S] model input from a synthetic grey image (values clipped to 0–255 first). */
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
