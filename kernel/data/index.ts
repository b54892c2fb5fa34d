// Public surface of datasets: loading, few-shot selection, augmentation, display, and the demo set.
export type { Dataset, DatasetIssue, DatasetSummary, FewShotListFile, Label, LayoutKind, Sample, SkippedFile, Split, SplitCounts } from "./types";
export { DatasetError } from "./types";
export { loadDataset } from "./loadDataset";
export type { LoadOptions } from "./loadDataset";
export { selectFewShot } from "./supportSet";
export type { FewShotOptions, FewShotProtocol, FewShotRecord, FewShotSet } from "./supportSet";
export { parseFewShotList, findFewShotLists } from "./supportLists";
export { augmentSupport, augmentationNames, affineWarp, rotate, translate, flip, centreZoom, colourJitter } from "./augment";
export type { AugmentMethod, AugmentedSet } from "./augment";
export { datasetSummaryDisplay } from "./display/datasetSummaryDisplay";
export type { DatasetDisplay } from "./display/datasetSummaryDisplay";
export { summaryTable } from "./display/summaryTable";
export type { TableModel } from "./display/summaryTable";
export { thumbnailGrid } from "./display/thumbnailGrid";
export { windowSummary } from "./display/windowSummary";
export type { WindowSummary } from "./display/windowSummary";
// The window rule of 16-bit inputs, for the magics and the CLI that take `--window CENTER,WIDTH`.
export { parseWindow } from "../imaging/window";
export type { Window } from "../imaging/window";
export { generateDemo, DEMO_SEED } from "./demo/generate";
export type { DemoOptions, DemoResult } from "./demo/generate";
export { demoDatasetPath, demoSourcePath } from "./demo/paths";
export { Rng } from "../util/random/rng";
export { exportAxialSlices } from "./niftiExport";
export type { SliceExport, SliceExportOptions } from "./niftiExport";
export { sampleImageTensor, sampleMaskTensor } from "./sampleTensors";
