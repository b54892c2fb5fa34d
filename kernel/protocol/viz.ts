/**
 * Payloads of MedAD Lab's picture outputs, shared by the kernel (payload builders, PNG drawing) and the notebook
 * renderers. Kept plain JSON (numbers, strings, arrays) so a saved .ipynb holds them as objects.
 */
export const ROC_MIME = "application/vnd.medad.roc+json";
export const TSNE_MIME = "application/vnd.medad.tsne+json";
export const HEATMAP_MIME = "application/vnd.medad.heatmap+json";
export const METRICS_MIME = "application/vnd.medad.metrics+json";

export interface RocSeries {
  name: string;
  fpr: number[];
  tpr: number[];
  /** Decision threshold of each point; the first, +Infinity, is written as null (JSON has no Infinity). */
  thresholds: (number | null)[];
  auroc: number;
  /** Bootstrap interval of the AUROC when one was asked for. */
  ci?: { lower: number; upper: number; level: number };
  /**
   * Pointwise bootstrap band of the curve (same resamples and level as `ci`): TPR interval at each FPR of an even
   * grid. Drawn as a shaded area around the curve.
   */
  band?: { fpr: number[]; lower: number[]; upper: number[] };
}

export interface RocPayload {
  version: 1;
  title?: string;
  series: RocSeries[];
}

export interface TsneGroup {
  /** Legend entry, e.g. "normal", "anomalous", "false positive". */
  name: string;
  /** Indices into the points. */
  indices: number[];
}

export interface TsneColoring {
  /** What the colours mean, e.g. "ground truth" or "prediction". */
  name: string;
  groups: TsneGroup[];
}

export interface TsnePayload {
  version: 1;
  title?: string;
  /** Interleaved x, y of each embedded point. */
  xy: number[];
  /** Optional hover text of each point (file name, score). */
  labels?: string[];
  /** One or more ways to colour the same cloud; the renderer switches between them, the PNG draws them side by side. */
  colorings: TsneColoring[];
}

export interface HeatmapCase {
  id: string;
  /** Image-level anomaly score (cases are shown sorted by it, highest first). */
  score: number;
  /** 1 anomalous, 0 normal, null unknown. */
  label: 0 | 1 | null;
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB) channels of 8-bit samples, row-major, base64. */
  channels: 1 | 3;
  image: string;
  /** Anomaly map quantised to 0..255 over the payload's mapRange (same width and height), base64. */
  map: string;
  /** Ground-truth mask, one byte per pixel (0 or 1), base64; absent for normal cases or unknown masks. */
  mask?: string;
}

export type ColormapName = "jet" | "viridis";

export interface HeatmapPayload {
  version: 1;
  title?: string;
  colormap: ColormapName;
  /** Map values quantised to 0 and 255; shared by every case so the threshold means the same everywhere. */
  mapRange: [number, number];
  /** Initial threshold in map units: pixels below it are not overlaid. */
  threshold: number;
  /** Opacity of the overlay (0..1). */
  alpha: number;
  /** The result's calibrated image-level decision threshold (score units), when it has one. */
  scoreThreshold?: number;
  /** Where the colour range came from: "calibrated" (anchored to the pixel threshold, the same on every grid of
   * a result) or "data" (min..max of the maps shown). */
  rangeSource?: "calibrated" | "data";
  cases: HeatmapCase[];
  /** How many cases there were before the payload kept at most maxCases of them (absent: all are here). */
  totalCases?: number;
}

export interface MetricValue {
  value: number;
  /** Bootstrap interval, when one was computed. */
  lower?: number;
  upper?: number;
}

export interface MetricsPayload {
  version: 1;
  title?: string;
  /** Metric names, e.g. "image AUROC", "pixel AUROC", "AU-PRO". */
  metrics: string[];
  /** One row per method; values[i] belongs to metrics[i] (null when not computed). */
  methods: { name: string; values: (MetricValue | null)[] }[];
  /** Interval level of the bounds, e.g. 0.95. */
  level?: number;
}
