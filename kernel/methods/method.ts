// The contract between fewshot() and one method: fewshot() resolves the dataset, support set, test subset and
// model; the method extracts what it needs and returns scored test (and calibration) images for evaluate().
import type { ClipModel } from "../engine/clip/model";
import type { Activation } from "../engine/weights/clipConfig";
import type { DicomWindow } from "../imaging/dicom";
import type { Device } from "../engine/runtime/device";
import type { FewShotSet } from "../data/supportSet";
import type { Dataset, Sample } from "../data/types";
import type { FeatureCache } from "./featureCache";
import type { Progress } from "./progress";
import type { ScoredSet } from "./result";
import type { MultiAnomalyResult } from "./sdmad/types";
import type { ActivePlugins } from "./plugins/apply";
import type { SelectionContext } from "./selection/policy";
import type { SelectionRecord } from "./selection/record";

export interface MethodContext {
  model: ClipModel;
  modelDir: string;
  /** The weights' hash value (keys caches). */
  modelHash: string;
  dataset: Dataset;
  category: string;
  support: FewShotSet | null;
  test: Sample[];
  imageSize: number;
  /** Taps the caller asked for; undefined = the method's default. */
  taps?: number[];
  activation?: Activation;
  preprocess: { filter: "bicubic" | "bilinear"; normalize: boolean };
  device: Device;
  batch: number;
  options: Record<string, unknown>;
  onProgress?: Progress;
  signal?: AbortSignal;
  /** Where per-image features are cached across runs (undefined: no cache). */
  featureCache?: FeatureCache;
  /** CCB/TSC plug-ins of this run (plugins/apply.ts); undefined = none. */
  plugins?: ActivePlugins;
  /** Something the user should know that does not stop the run; recorded in the result's `warnings`. */
  warn?(message: string): void;
  /** DICOM inputs: overrides the files' VOI window (detect); undefined = the file's own window. */
  window?: DicomWindow;
  /** Which epoch trained methods report (selection/policy.ts); undefined = the last. */
  selection?: SelectionContext;
  /** Times a phase (accumulates into the result's timings). */
  time<T>(phase: string, f: () => Promise<T>): Promise<T>;
}

export interface MethodOutput {
  label: string;
  taps: number[];
  grid: number;
  features: string;
  device: string;
  test: ScoredSet;
  /** Support/validation images scored like the test set, for honest normalisation. */
  calibration?: ScoredSet;
  imageScore: "branches" | "map-max";
  weights?: Record<string, number>;
  settings: Record<string, unknown>;
  /** Multi-anomaly methods: copied to FewshotResult.multiAnomaly. */
  multiAnomaly?: MultiAnomalyResult;
  /** Trained methods: per-epoch metrics and the reported epoch (copied to FewshotResult.selection). */
  selection?: SelectionRecord;
}

/** Path relative to the dataset root with '/' separators (how results name images). */
export function relPath(ds: Dataset, s: Sample): string {
  return s.path.startsWith(ds.root)
    ? s.path
        .slice(ds.root.length)
        .replace(/^[\\/]+/, "")
        .split("\\")
        .join("/")
    : s.path;
}

/** The feature-cache option of createFeatureExtractor for this run. */
export function featureCacheOf(ctx: MethodContext): { store: FeatureCache; modelHash: string } | undefined {
  return ctx.featureCache ? { store: ctx.featureCache, modelHash: ctx.modelHash } : undefined;
}

/** The default taps: the quarter points of the trunk (6/12/18/24 for ViT-L, MVFA's levels). */
export function quarterTaps(layers: number): number[] {
  const taps = [1, 2, 3, 4].map((q) => Math.round((q * layers) / 4)).filter((t) => t >= 1);
  return [...new Set(taps)];
}
