// Public surface of the metrics core (pure Node; no vscode, no DOM).
export { ScoreHistogram } from "./scoreHistogram";
export { TieGroups } from "./tieGroups";
export { aurocExact, aurocFromHistogram } from "./auroc";
export { averagePrecision, averagePrecisionFromHistogram } from "./averagePrecision";
export { F1Max, f1Max, f1MaxFromHistogram } from "./f1Max";
export { PrCurve, RocCurve, prCurve, prCurveFromHistogram, rocCurve, rocCurveFromHistogram } from "./curves";
export { PixelAurocAccumulator, PixelAurocState, PixelMask, PixelMetrics } from "./pixelAurocAccumulator";
export { Connectivity, Components, connectedComponents } from "./connectedComponents";
export { ProAccumulator, ProImage, ProOptions, ProResult, proAuc } from "./proAccumulator";
export { BootstrapInterval, BootstrapOptions, SampleMetric, bootstrapCi, quantile } from "./bootstrap";
export { SeededRandom } from "../util/random/xoshiro128";
export { accuracy, confusionMatrix, macroF1, perClassF1 } from "./multiclass";
