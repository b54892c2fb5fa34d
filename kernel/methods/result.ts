/**
 * What every few-shot method returns — training-free baselines now, trained methods (MVFA, MadCLIP, …) later. A
 * method produces a ScoredSet (per image: branch scores per tapped level, kept at patch-grid resolution so maps can
 * be rendered again for streaming evaluation), and evaluate() turns it into the metrics of a FewshotResult. Results
 * are plain JSON so they can be saved, compared across runs and shown in notebooks.
 */
import type { FewShotRecord } from "../data/supportSet";
import type { F1Max } from "../metrics/f1Max";
import type { LevelScores } from "./branches";
import type { ModelHash } from "./modelHash";
import type { MultiAnomalyResult } from "./sdmad/types";
import type { CodeVersion } from "../util/codeVersion";
import type { SelectionRecord } from "./selection/record";

/** One scoring branch of one image (e.g. MVFA's "text" and "memory"). */
export interface BranchScores {
  name: string;
  /** Raw image score of the branch (method convention, e.g. Σ levels of mean p₁, or max of the summed map). */
  image: number;
  /** One entry per tapped level, in the set's `taps` order. */
  levels: LevelScores[];
  /** Renders one level's S×S raw map from its grid (upsampling + the branch's pointwise function). */
  render(level: LevelScores, size: number): Float64Array;
}

export interface ScoredImage {
  /** Path relative to the dataset root ('/' separators). */
  file: string;
  label: 0 | 1;
  /** The S×S mask binarised to 0/1, or undefined for image-level data. Called during evaluation only. */
  mask?: () => Float32Array;
  branches: BranchScores[];
  /** TSC-samples' node feature (unit vector), set only when that plug-in is on. */
  node?: Float32Array;
}

export interface ScoredSet {
  mapSize: number;
  taps: number[];
  images: ScoredImage[];
}

export type EvalProtocol = "honest" | "reference";

/** min–max normalisation (x − min) / (max − min + eps) and where its statistics came from. */
export interface MinMax {
  min: number;
  max: number;
  eps: number;
}

export interface BranchNormalisation {
  branch: string;
  image: MinMax;
  map?: MinMax;
}

export interface NormalisationRecord {
  protocol: EvalProtocol;
  /** "calibration": support/validation images (honest); "test": the whole test set (reference, transductive);
   * "none": honest without calibration images — raw scores are used unchanged. */
  source: "calibration" | "test" | "none";
  transductive: boolean;
  calibrationImages: string[];
  branches: BranchNormalisation[];
  note: string;
}

export interface ThresholdMetrics {
  auroc: number;
  averagePrecision: number;
  f1Max: F1Max;
}

export interface PixelMetricsRecord extends ThresholdMetrics {
  positives: number;
  negatives: number;
}

export interface LayerMetrics {
  branch: string;
  tap: number;
  image: ThresholdMetrics;
  pixel?: PixelMetricsRecord;
}

export interface ImageScoreRecord {
  file: string;
  label: 0 | 1;
  /** Final image score after normalisation and fusion (what image metrics are computed on). */
  score: number;
  /** The fused score before the TSC-samples plug-in replaced it (only when TSC-samples ran). */
  beforeTsc?: number;
  /** Raw image score per branch. */
  branches: Record<string, number>;
  /** Raw image score per branch and level: layers[branch][levelIndex]. */
  layers: Record<string, number[]>;
  /** Fused anomaly map (base64 float32, square, ≤ 16² box-averaged; see resultMaps.ts) when the run rendered maps. */
  map?: string;
}

export interface Timings {
  totalMs: number;
  phases: Record<string, number>;
  /** Per-image feature cache use (null when the run had no cache). */
  featureCache: { dir: string; hits: number; misses: number } | null;
}

export interface FewshotResult {
  schema: "medad.fewshot-result/1";
  method: string;
  /** A human label, e.g. "zero-shot CLIP (MVFA prompt ensemble)". */
  label: string;
  createdAt: string;
  medadVersion: string;
  /** The code that produced this result: package version + git commit (short, dirty flag) in a checkout. */
  codeVersion: CodeVersion;
  dataset: { root: string; name: string; layout: string; category: string };
  model: {
    dir: string;
    hash: ModelHash;
    imageSize: number;
    grid: number;
    taps: number[];
    activation: string;
    features: string;
    preprocess: { filter: string; normalize: boolean };
    device: string;
    /** Set for models whose numbers mean nothing about the method (the built-in random-weight demo model). */
    note?: string;
  };
  seed: number;
  shots: number;
  /** Which support images were used (null for a method that used none). */
  support: FewShotRecord | null;
  protocol: EvalProtocol;
  normalisation: NormalisationRecord;
  /** Fusion of normalised branches: weights per branch; image score from the branches or from the fused map's max. */
  fusion: { weights: Record<string, number>; imageScore: "branches" | "map-max" };
  /** Method-specific settings (object word, memory options, image-score rule, …). */
  settings: Record<string, unknown>;
  test: {
    total: number;
    evaluated: number;
    normal: number;
    abnormal: number;
    subsample: { seed: number; max: number } | null;
  };
  metrics: {
    image: ThresholdMetrics;
    /** Absent for image-level data; `pixelSkipped` says why. */
    pixel?: PixelMetricsRecord;
    pixelSkipped?: string;
    /** Per branch and tapped level, on raw (unnormalised) scores — AUROC/AP/F1-max are rank-based, so a per-level
     * min–max would not change them. */
    perLayer: LayerMetrics[];
  };
  scores: ImageScoreRecord[];
  timings: Timings;
  /** Multi-anomaly methods (sd-mad): categories, signs and the three protocols (docs/sd-mad.md). */
  multiAnomaly?: MultiAnomalyResult;
  /** Trained methods: which epoch was reported and the per-epoch loss / selection AUROC (selection/record.ts). */
  selection?: SelectionRecord;
  /** True when any test image's score depends on other test images (reference normalisation, TSC-samples) or the
   * reported epoch was chosen on the test set (selection: test-best). */
  transductive?: boolean;
  /** CCB/TSC-inspired plug-ins and their settings (absent when none ran). */
  plugins?: PluginsRecord;
  /** What the run noticed and went on with (dataset issues, skipped symlinks, resized masks, an unwritable
   * feature cache, a forced resume); each names the file. Absent in results from older versions. */
  warnings?: string[];
  /** Decision thresholds calibrated on normal images only, and decisions on test (absent in older results). */
  thresholds?: ThresholdsRecord;
  /** What fewshot() was called with (dataset, model, method options, …): what `detect` re-runs the method with. */
  request?: FewshotRequest;
}

/** The JSON-able options of the fewshot() call that made a result (paths absolute). */
export interface FewshotRequest {
  dataset: string;
  method: string;
  model: string;
  shots: number;
  seed: number;
  imageSize: number;
  taps?: number[];
  activation: string;
  preprocess: "mvfa" | "mediclip";
  protocol: EvalProtocol;
  category: string;
  listFile?: string;
  supportProtocol?: string;
  batch: number;
  options: Record<string, unknown>;
  plugins?: unknown;
}

/** One calibrated threshold: an upper order statistic of normal calibration values (methods/thresholds.ts). */
export interface CalibratedThreshold {
  value: number;
  quantile: number;
  /** 1-based rank of `value` among the sorted normal values. */
  rank: number;
  /** How many values (images or pixels) the quantile was taken over. */
  values: number;
  /** How many normal calibration images they came from. */
  normals: number;
  /** Which images, e.g. "support normals (leave-one-out)". */
  source: string;
  /** Image level: P(new normal flagged) ≤ this for exchangeable normals; null at pixel level (no such bound). */
  falseAlarmBound: number | null;
  note: string;
}

/** Confusion matrix and rates of "anomalous when score > threshold"; a rate is null when undefined (0/0). */
export interface DecisionCounts {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: number | null;
  specificity: number | null;
  precision: number | null;
}

export interface ThresholdsRecord {
  rule: string;
  image: CalibratedThreshold | null;
  /** Why there is no image threshold (no normal calibration images, TSC-samples, …). */
  imageSkipped?: string;
  pixel: CalibratedThreshold | null;
  pixelSkipped?: string;
  /** Fused image scores of the normal calibration images (lets a caller re-threshold at another quantile). */
  calibrationScores: number[];
  /** Heatmap colour range anchored to the pixel threshold (methods/thresholds.ts colourRange). */
  colourRange?: [number, number];
  /** Decisions on the test images at the calibrated thresholds. */
  test: { image?: DecisionCounts; pixel?: DecisionCounts };
  /** For evaluation only: F1-max thresholds found on the test labels (never used for decisions). */
  f1Max: { image: number; pixel?: number; note: string };
}

/** What the CCB/TSC plug-ins did in a run (our design inspired by Nie et al. 2026; docs/ccb-tsc.md). */
export interface PluginsRecord {
  label: string;
  /** The method that produced the features and scores the plug-ins worked on. */
  base: string;
  ccb: Record<string, unknown> | null;
  tsc: Record<string, unknown> | null;
  transductive: boolean;
  note: string;
}
