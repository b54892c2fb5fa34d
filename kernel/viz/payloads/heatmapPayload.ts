import { f1Max } from "../../metrics/f1Max";
import { sortCases } from "../../protocol/heatmapCompose";
import type { ColormapName, HeatmapCase, HeatmapPayload } from "../../protocol/viz";
import { withoutUndefined } from "./scoredMethod";
import { resampleBilinear, resampleNearest, type Plane } from "./resample";

export interface HeatmapCaseInput {
  id: string;
  /** Image-level anomaly score. */
  score: number;
  /** Ground truth (1/true anomalous); omit when unknown. */
  label?: 0 | 1 | boolean | null;
  /** Grey (1) or RGB (3, interleaved) image. Uint8 data is taken as 0..255; other data is stretched min..max. */
  image: Plane & { channels?: 1 | 3 };
  /** Anomaly map (any resolution; resized to the image's shape). */
  map: Plane;
  /** Ground-truth mask (non-zero = anomalous pixel), any resolution. */
  mask?: Plane;
}

export interface HeatmapOptions {
  title?: string;
  colormap?: ColormapName;
  /** Overlay threshold in map units; default the pixel-level F1-max threshold when masks exist, else mid-range. */
  threshold?: number;
  alpha?: number;
  /** Fixed colour range in map units (values outside are clamped): a result's calibrated range, so the same colour
   * means the same evidence on every grid. Default: min..max of the maps shown. */
  mapRange?: [number, number];
  /** The calibrated image-level decision threshold, passed on for the explorer. */
  scoreThreshold?: number;
  /** Longest side of the stored pictures (default 128): keeps notebooks small (~50 KB per case as JSON). */
  maxSide?: number;
  /** At most this many cases (default 40), taken evenly over the score ranking so both ends stay visible. */
  maxCases?: number;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function imageBytes(
  image: HeatmapCaseInput["image"],
  width: number,
  height: number,
  id: string,
): { bytes: Uint8Array; channels: 1 | 3 } {
  const channels = image.channels ?? 1;
  if (image.data.length !== image.width * image.height * channels) {
    throw new Error(
      `heatmap case ${id}: image data has ${image.data.length} values, expected ${image.width}×${image.height}×${channels}.`,
    );
  }
  const isBytes = image.data instanceof Uint8Array || image.data instanceof Uint8ClampedArray;
  let lo = 0,
    hi = 255;
  if (!isBytes) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < image.data.length; i++) {
      lo = Math.min(lo, image.data[i]);
      hi = Math.max(hi, image.data[i]);
    }
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const bytes = new Uint8Array(width * height * channels);
  for (let c = 0; c < channels; c++) {
    const plane = Float64Array.from({ length: image.width * image.height }, (_, p) => image.data[p * channels + c]);
    const resized = resampleBilinear({ width: image.width, height: image.height, data: plane }, width, height);
    for (let p = 0; p < width * height; p++)
      bytes[p * channels + c] = Math.round(Math.max(0, Math.min(255, (resized[p] - lo) * scale)));
  }
  return { bytes, channels };
}

/** Evenly spaced picks over the ranking (always the first and the last) when there are more cases than fit. */
export function pickCases<T>(sorted: T[], max: number): T[] {
  if (sorted.length <= max) return sorted;
  if (max <= 1) return sorted.slice(0, max);
  return Array.from({ length: max }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (max - 1))]);
}

/** Images, overlays and masks of test cases, resized, quantised and sorted by score for the heatmap grid. */
export function heatmapPayload(inputs: HeatmapCaseInput[], options: HeatmapOptions = {}): HeatmapPayload {
  if (inputs.length === 0) throw new Error("heatmap: no cases given.");
  const maxSide = options.maxSide ?? 128;
  const resized = inputs.map((c) => {
    const s = Math.min(1, maxSide / Math.max(c.image.width, c.image.height));
    const width = Math.max(1, Math.round(c.image.width * s));
    const height = Math.max(1, Math.round(c.image.height * s));
    if (c.map.data.length !== c.map.width * c.map.height)
      throw new Error(
        `heatmap case ${c.id}: map data has ${c.map.data.length} values, expected ${c.map.width}×${c.map.height}.`,
      );
    const map = resampleBilinear(c.map, width, height);
    const mask = c.mask ? resampleNearest(c.mask, width, height) : undefined;
    return { c, width, height, map, mask };
  });
  let lo = Infinity,
    hi = -Infinity;
  for (const r of resized)
    for (const v of r.map)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  if (lo === Infinity) throw new Error("heatmap: every anomaly map value is NaN or infinite.");
  if (options.mapRange) {
    if (!(options.mapRange[1] > options.mapRange[0]))
      throw new Error(`heatmap: mapRange must be [low, high] with high > low, got [${options.mapRange.join(", ")}].`);
    [lo, hi] = options.mapRange;
  }
  const threshold = options.threshold ?? defaultThreshold(resized, lo, hi);
  const cases: HeatmapCase[] = resized.map(({ c, width, height, map, mask }) => {
    const { bytes, channels } = imageBytes(c.image, width, height, c.id);
    const levels = Uint8Array.from(map, (v) =>
      Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0))) : 0,
    );
    const label = c.label === undefined || c.label === null ? null : c.label ? 1 : 0;
    const out: HeatmapCase = {
      id: c.id,
      score: c.score,
      label,
      width,
      height,
      channels,
      image: toBase64(bytes),
      map: toBase64(levels),
    };
    if (mask && mask.some((v) => v !== 0)) out.mask = toBase64(Uint8Array.from(mask, (v) => (v ? 1 : 0)));
    return out;
  });
  return withoutUndefined({
    version: 1,
    title: options.title,
    colormap: options.colormap ?? "jet",
    mapRange: [lo, hi],
    threshold,
    alpha: options.alpha ?? 0.5,
    scoreThreshold: options.scoreThreshold,
    rangeSource: options.mapRange ? "calibrated" : "data",
    cases: pickCases(sortCases(cases), options.maxCases ?? 40),
    totalCases: cases.length > (options.maxCases ?? 40) ? cases.length : undefined,
  });
}

/** The pixel-level F1-max threshold over cases with masks (normal cases count as all-normal), else mid-range. */
function defaultThreshold(
  resized: { c: HeatmapCaseInput; map: Float64Array; mask?: Float64Array }[],
  lo: number,
  hi: number,
): number {
  const withTruth = resized.filter((r) => r.mask || r.c.label === 0 || r.c.label === false);
  if (!withTruth.some((r) => r.mask?.some((v) => v !== 0))) return (lo + hi) / 2;
  const scores: number[] = [];
  const labels: number[] = [];
  for (const r of withTruth) {
    r.map.forEach((v, p) => {
      if (!Number.isFinite(v)) return;
      scores.push(v);
      labels.push(r.mask && r.mask[p] ? 1 : 0);
    });
  }
  return f1Max(scores, labels).threshold;
}

export function heatmapText(payload: HeatmapPayload): string {
  const rows = sortCases(payload.cases).map(
    (c, k) =>
      `  ${k + 1}. ${c.id}  score ${c.score.toPrecision(4)}${c.label === null ? "" : c.label ? "  anomalous" : "  normal"}`,
  );
  const shown = payload.totalCases ? `${payload.cases.length} of ${payload.totalCases}` : `${payload.cases.length}`;
  return [
    `${payload.title ?? "Anomaly maps"}: ${shown} cases by score (threshold ${payload.threshold.toPrecision(4)})`,
    ...rows,
  ].join("\n");
}
