/**
 * torchvision's tensor steps on a raster: ToTensor (HWC uint8 -> CHW float32 / 255), Normalize, and the mask
 * binarisation `> 0.5`. Arithmetic is rounded to float32 at the same points as torch so results match exactly.
 */
import { ChwTensor, Raster } from "./raster";

/** OpenAI CLIP's normalisation constants (MediCLIP / open_clip `OPENAI_DATASET_MEAN/STD`). */
export const CLIP_MEAN: readonly [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: readonly [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export function toTensor(img: Raster): ChwTensor {
  const { width, height, channels } = img;
  const plane = width * height;
  const data = new Float32Array(channels * plane);
  const scale = img.data instanceof Uint8Array ? 255 : 1;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < channels; c++) data[c * plane + i] = img.data[i * channels + c] / scale;
  }
  return { dims: [channels, height, width], data };
}

/** (x - mean) / std per channel, in place; float32 at each step like `tensor.sub_(mean).div_(std)`. */
export function normalize(t: ChwTensor, mean: readonly number[], std: readonly number[]): ChwTensor {
  const [channels, height, width] = t.dims;
  if (mean.length !== channels || std.length !== channels) {
    throw new Error(`normalize needs ${channels} mean and std values, got ${mean.length} and ${std.length}`);
  }
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const m = Math.fround(mean[c]);
    const s = Math.fround(std[c]);
    for (let i = c * plane; i < (c + 1) * plane; i++) t.data[i] = Math.fround(t.data[i] - m) / s;
  }
  return t;
}

/** Mask values > threshold become 1, others 0 (MVFA: `mask > 0.5` after ToTensor). */
export function binarize(t: ChwTensor, threshold = 0.5): ChwTensor {
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] > threshold ? 1 : 0;
  return t;
}
