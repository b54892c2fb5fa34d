// The `medad.viz` namespace: payload builders, their full MIME bundles, and t-SNE itself.
export { tsne, type TsneOptions, type TsneResult, type FeatureRows } from "../viz/tsne/tsne";
export { rocPayload, type RocOptions } from "../viz/payloads/rocPayload";
export { tsnePayload, tsnePayloadFromEmbedding, type TsneInput } from "../viz/payloads/tsnePayload";
export { heatmapPayload, type HeatmapCaseInput, type HeatmapOptions } from "../viz/payloads/heatmapPayload";
export { imageMetrics, metricsPayload, type MethodMetrics, type MetricInput } from "../viz/payloads/metricsPayload";
export type { ScoredMethod } from "../viz/payloads/scoredMethod";
export { heatmapBundle, metricsBundle, rocBundle, tsneBundle } from "./vizBundles";
