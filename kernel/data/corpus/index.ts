// The image–caption pretraining corpus of medad/demo-clip, with the Colin27/demo holdout (issue 17).
export { buildCorpus, loadSources, quotas, DEFAULT_CORPUS_SIZE, CORPUS_IMAGE_SIZE, ALTERED_SHARE } from "./build";
export { CORPUS_SOURCES } from "./sources";
export type { CorpusSource } from "./sources";
export { holdoutViolation, assertAllowedOrigin, ALLOWED_ORIGIN_PREFIXES, FORBIDDEN_ORIGIN_PATTERNS } from "./holdout";
export type { BuildCorpusOptions, CorpusSummary, ManifestEntry, CaptionKind } from "./types";
export { verifyCorpus } from "./verify";
