/**
 * The reference preprocessing pipelines, one call per image file:
 * - MVFA / MadCLIP: RGB, Resize((S,S), BICUBIC), ToTensor; no normalisation.
 * - MediCLIP: RGB, resize((S,S), BILINEAR), ToTensor, Normalize(OpenAI CLIP mean/std).
 * - masks: L, Resize NEAREST, ToTensor, > 0.5.
 * `normalize` overrides the per-method default when a caller wants the other variant.
 */
import { readGray, readRgb } from "./decode";
import { ChwTensor } from "./raster";
import { resize, ResizeFilter } from "./resize";
import { binarize, CLIP_MEAN, CLIP_STD, normalize, toTensor } from "./tensor";

export interface PreprocessOptions {
  /** Output side S (square S x S). */
  size: number;
  filter: Exclude<ResizeFilter, "nearest">;
  /** Apply CLIP mean/std normalisation after ToTensor. */
  normalize: boolean;
}

export const MVFA_PREPROCESS = { filter: "bicubic", normalize: false } as const;
export const MEDICLIP_PREPROCESS = { filter: "bilinear", normalize: true } as const;

export function preprocessImage(file: string, opts: PreprocessOptions): ChwTensor {
  const t = toTensor(resize(readRgb(file), opts.size, opts.size, opts.filter));
  return opts.normalize ? normalize(t, CLIP_MEAN, CLIP_STD) : t;
}

export function preprocessMask(file: string, size: number): ChwTensor {
  return binarize(toTensor(resize(readGray(file), size, size, "nearest")));
}

/** Stacks same-shaped tensors into one [n, c, h, w] buffer (a batch for the vision encoder). */
export function stack(tensors: readonly ChwTensor[]): { dims: [number, number, number, number]; data: Float32Array } {
  if (tensors.length === 0) throw new Error("stack needs at least one tensor");
  const [c, h, w] = tensors[0].dims;
  const data = new Float32Array(tensors.length * c * h * w);
  tensors.forEach((t, i) => {
    if (t.dims[0] !== c || t.dims[1] !== h || t.dims[2] !== w)
      throw new Error(`stack: tensor ${i} is ${t.dims.join("x")}, expected ${c}x${h}x${w}`);
    data.set(t.data, i * c * h * w);
  });
  return { dims: [tensors.length, c, h, w], data };
}
