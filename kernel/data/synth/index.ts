// MediCLIP's anomaly synthesis (methods.md §4.5): one file per task plus the shared pieces.
export type { GrayImage } from "./grayImage";
export { grayImage, cloneImage, cropImage } from "./grayImage";
export { synthesize, drawTask, isSynthTask, SYNTH_TASKS } from "./tasks";
export type { SynthOptions, SynthSample, SynthTaskName } from "./tasks";
export { perlinPatchMask, perlinNoise, patchBounds } from "./perlinMask";
export type { PatchMask } from "./perlinMask";
export { cutPasteAnomaly, flippedGaussianLabel } from "./cutPaste";
export type { CutPasteBlend } from "./cutPaste";
export { gaussIntensityAnomaly, intensityTexture } from "./gaussIntensity";
export { sourceDeformationAnomaly, deformShape } from "./sourceDeformation";
export { poissonBlend } from "./poisson";
export { readGraySample, grayToModelInput } from "./sampleImage";
