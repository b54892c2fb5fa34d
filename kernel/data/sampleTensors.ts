/**
 * Samples to model inputs: any supported file (PNG/JPEG/DICOM) through the reference pipelines of
 * imaging/preprocess.ts (MVFA/MadCLIP: bicubic, raw [0, 1]; MediCLIP: bilinear + CLIP normalisation), and masks
 * binarised with the sample's rule (> 0 by default, so 0/1 masks survive; > 127 for JPEG masks) then resized
 * nearest. Normal samples without a mask get an all-zero mask.
 */
import { DicomWindow } from "../imaging/dicom";
import { ChwTensor } from "../imaging/raster";
import { readImage, readMask } from "../imaging/readImage";
import { resize } from "../imaging/resize";
import { CLIP_MEAN, CLIP_STD, normalize, toTensor } from "../imaging/tensor";
import { PreprocessOptions } from "../imaging/preprocess";
import { Sample } from "./types";

export function sampleImageTensor(sample: Sample, opts: PreprocessOptions & { window?: DicomWindow }): ChwTensor {
  const t = toTensor(resize(readImage(sample.path, { mode: "rgb", window: opts.window }), opts.size, opts.size, opts.filter));
  return opts.normalize ? normalize(t, CLIP_MEAN, CLIP_STD) : t;
}

export function sampleMaskTensor(sample: Sample, size: number): ChwTensor {
  if (!sample.maskPath) return { dims: [1, size, size], data: new Float32Array(size * size) };
  const m = readMask(sample.maskPath, sample.maskThreshold ?? 0);
  const r = resize({ width: m.width, height: m.height, channels: 1, data: m.data }, size, size, "nearest");
  return { dims: [1, size, size], data: Float32Array.from(r.data) };
}
