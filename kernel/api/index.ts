/**
 * The public TypeScript API of MedAD Lab. In a notebook it is in scope as `medad` (the kernel imports it before
 * the first cell); magics are sugar over these functions. Everything here is plain Node: it also works in scripts.
 */
import { packageVersion } from "../util/packageRoot";
import { handBack, takeMagicResult } from "./magicResults";
import { describeSave } from "./savedResults";

export { display, displayHandle, type Display } from "./display";
export { TABLE_MIME, type TableData, type Cell } from "../protocol/table";
export type { MimeBundle } from "../protocol/outputs";
export { HEATMAP_MIME, METRICS_MIME, ROC_MIME, TSNE_MIME } from "../protocol/viz";
export type { HeatmapPayload, MetricsPayload, RocPayload, TsnePayload } from "../protocol/viz";
/** Picture payload builders and t-SNE, for custom displays (`display.bundle`) or for saving results. */
export * as viz from "./viz";
export type { TimingResult } from "./timingResult";
export {
  loadDataset,
  selectFewShot,
  augmentSupport,
  datasetSummaryDisplay,
  demoDatasetPath,
  sampleImageTensor,
  sampleMaskTensor,
  DatasetError,
  type Dataset,
  type Sample,
  type DatasetIssue,
  type FewShotSet,
  type FewShotRecord,
  type FewShotOptions,
  type LoadOptions,
} from "../data";
export { fewshot } from "./fewshot";
export {
  compare,
  summariseRuns,
  meanStd,
  type CompareOptions,
  type CompareResult,
  type CompareCell,
  type MeanStd,
} from "./compare";
export {
  fewshot as fewshotInProcess,
  evaluate,
  promptEnsemble,
  AbortError,
  AVAILABLE_METHODS,
  type FewshotOptions,
  type FewshotResult,
  type EvalProtocol,
  type ScoredSet,
  type ScoredImage,
  type BranchScores,
} from "../methods";

export { multiAnomalyTable, signTable } from "./multiAnomalyTable";
export {
  shippedSignLists,
  shippedSigns,
  type SignSet,
  type ShippedSigns,
  type SignsOption,
} from "../methods/sdmad/signs";
export type { MultiAnomalyResult } from "../methods/sdmad/types";
export { runInBackground, backgroundJobs } from "./background";
export { synth, type SynthApiOptions, type SynthResult, type SynthSampleRecord } from "./synth";
export { progressBar, describeProgress } from "./progressBar";
export type { JobProgress } from "../worker/protocol";
export { show } from "./show";
export {
  saveResult,
  loadResult,
  loadedAdapters,
  SavedResultError,
  type SaveReport,
  type LoadedAdapter,
} from "./savedResults";
export { models, type ModelEntry } from "./models";

/** Versions of MedAD Lab and what it runs on. */
export const versions = {
  medad: packageVersion(),
  node: process.versions.node,
};

/** Plumbing used by code the kernel generates; not for cells. */
export const internal = { takeMagicResult, describeSave, handBack };

/** For writing your own method in a cell (notebooks/05-own-adapter.ipynb): frozen features, a map upsampler and Adam. */
export { extractFeatures, type ExtractFeaturesOptions, type ExtractedFeatures } from "./features";
export { upsampleAlignCorners, type LevelScores } from "../methods/branches";
export { Adam, AdamW, type AdamOptions } from "../engine/optim";
export type { CodeVersion } from "../util/codeVersion";

/** Scoring new images with a finished run, and its decision/export helpers (docs/detect.md). */
export { detect, detectTable, type DetectCallOptions, type DetectCallResult } from "./detect";
export { writeDetectOutputs, detectCsv, type DetectOutputs } from "./detectExport";
export type { DetectResult, DetectedImage, DetectOptions } from "../methods/detect/detect";
export { thresholdTable, thresholdText } from "./thresholdTable";
export { describeWindow, parseWindow, type AppliedWindow, type Window, type WindowSource } from "../imaging/window";
export type { ThresholdsRecord, CalibratedThreshold, DecisionCounts } from "../methods/result";
export {
  exportResult,
  scoresCsv,
  writePredictedMasks,
  writeReport,
  maskPathFor,
  type ExportedResult,
  type ReportFiles,
} from "./resultExport";
