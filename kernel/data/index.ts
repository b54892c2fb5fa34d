// Public surface of datasets: loading, few-shot selection, augmentation, display, and the demo set.
export type { Dataset, DatasetIssue, DatasetSummary, FewShotListFile, Label, LayoutKind, Sample, SkippedFile, Split, SplitCounts } from "./types";
export { DatasetError } from "./types";
export { loadDataset } from "./loadDataset";
export type { LoadOptions } from "./loadDataset";
export { selectFewShot } from "./fewShot";
export type { FewShotOptions, FewShotProtocol, FewShotRecord, FewShotSet } from "./fewShot";
export { parseFewShotList, findFewShotLists } from "./fewShotFiles";
export { augmentSupport, augmentationNames, affineWarp, rotate, translate, flip, centreZoom, colourJitter } from "./augment";
export type { AugmentMethod, AugmentedSet } from "./augment";
export { datasetSummaryDisplay } from "./display/datasetSummaryDisplay";
export type { DatasetDisplay } from "./display/datasetSummaryDisplay";
export { summaryTable } from "./display/summaryTable";
export type { TableModel } from "./display/summaryTable";
export { thumbnailGrid } from "./display/thumbnailGrid";
export { generateDemo, DEMO_SEED } from "./demo/generate";
export type { DemoOptions, DemoResult } from "./demo/generate";
export { demoDatasetPath, demoSourcePath } from "./demo/paths";
export { Rng } from "./rng";
