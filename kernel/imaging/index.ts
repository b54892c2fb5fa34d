// Public surface of image decoding and preprocessing.
export type { Raster, ChwTensor } from "./raster";
export { decodeRgb, decodeGray, readRgb, readGray } from "./decode";
export { resize } from "./resize";
export type { ResizeFilter } from "./resize";
export { toTensor, normalize, binarize, CLIP_MEAN, CLIP_STD } from "./tensor";
export { preprocessImage, preprocessMask, stack, MVFA_PREPROCESS, MEDICLIP_PREPROCESS } from "./preprocess";
export type { PreprocessOptions } from "./preprocess";
