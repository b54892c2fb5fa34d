// Public surface of the few-shot methods and the shared evaluation.
export { fewshot, AVAILABLE_METHODS } from "./runFewshot";
export type { FewshotOptions, FewshotMethod } from "./runFewshot";
export { evaluate } from "./evaluate";
export type { EvaluateOptions, Evaluation } from "./evaluate";
export type {
  BranchScores,
  EvalProtocol,
  FewshotResult,
  ImageScoreRecord,
  LayerMetrics,
  MinMax,
  NormalisationRecord,
  PixelMetricsRecord,
  ScoredImage,
  ScoredSet,
  ThresholdMetrics,
  Timings,
} from "./result";
export {
  promptEnsemble,
  ensemblePrompts,
  objectWordFor,
  MVFA_OBJECT_WORDS,
  NORMAL_STATES,
  ABNORMAL_STATES,
  TEMPLATES,
} from "./text/promptEnsemble";
export type { TextMatrix } from "./text/promptEnsemble";
export {
  buildMemoryBank,
  memoryDistances,
  memoryLevel,
  memoryLevelMap,
  textLevel,
  textLevelMap,
  textLogits,
  upsampleAlignCorners,
  l2NormalizedRows,
} from "./branches";
export type { LevelScores, MemoryBank, TokenGrid } from "./branches";
export { hashModel, sha256File } from "./modelHash";
export type { ModelHash, ModelHashMode } from "./modelHash";
export { AbortError } from "../util/cancellation";
export type { Phase, Progress } from "./progress";
export type { MethodContext, MethodOutput } from "./method";
