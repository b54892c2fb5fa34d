// Public surface of image decoding and preprocessing.
export type { Raster, ChwTensor } from "./raster";
export { decodeRgb, decodeGray, readRgb, readGray } from "./decode";
export { resize } from "./resize";
export type { ResizeFilter } from "./resize";
export { toTensor, normalize, binarize, CLIP_MEAN, CLIP_STD } from "./tensor";
export { preprocessImage, preprocessMask, stack, MVFA_PREPROCESS, MEDICLIP_PREPROCESS } from "./preprocess";
export type { PreprocessOptions } from "./preprocess";
export { readImage, readImageWindowed, readMask } from "./readImage";
export type { ReadImageOptions } from "./readImage";
export { probeImage, MAX_PIXELS } from "./header";
export type { ImageHeader, ImageFormat } from "./header";
export { decodeDicom, readDicomInfo, isDicom } from "./dicom";
export type { DicomInfo, DicomWindow, DicomDecodeOptions } from "./dicom";
export {
  applyWindow,
  applyWindowExact,
  chooseWindow,
  describeWindow,
  parseWindow,
  percentileWindow,
  windowFromRange,
  windowRange,
} from "./window";
export type { AppliedWindow, Window, WindowSource } from "./window";
export { readNifti, decodeNifti, axialSlices, axialAxis } from "./nifti";
export type { Volume, FloatSlice } from "./nifti";
export { encodePng8 } from "./pngEncode";
export type { PngColor } from "./pngEncode";
