/**
 * Pictures of finished runs (`medad.fewshot` / `medad.compare` results, fresh or loaded with `medad.loadResult`):
 * ROC curves, a t-SNE of the test images and the anomaly-map heatmap grid, built from what a result keeps (image
 * scores, labels, per-level scores and the fused map per image) plus the test images read again from the dataset.
 */
import * as path from "path";
import { loadDataset } from "../data/loadDataset";
import { readImage, readMask } from "../imaging/readImage";
import type { FewshotResult } from "../methods/result";
import { decodeMap } from "../methods/resultMaps";
import type { HeatmapPayload } from "../protocol/viz";
import { heatmapPayload, pickCases, type HeatmapCaseInput, type HeatmapOptions } from "../viz/payloads/heatmapPayload";
import { isFewshotResult } from "./fromFewshot";
import type { ScoredMethod } from "../viz/payloads/scoredMethod";
import type { TsneInput } from "../viz/payloads/tsnePayload";
import type { CompareResult } from "./compare";

/** What the show functions accept. */
export type ResultLike = FewshotResult | CompareResult | (FewshotResult | CompareResult)[];

export function isCompareResult(value: unknown): value is CompareResult {
  const v = value as Partial<CompareResult> | null;
  return (
    !!v && typeof v === "object" && Array.isArray(v.cells) && Array.isArray(v.runs) && v.runs.every(isFewshotResult)
  );
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "object"
    ? `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}`
    : `a ${typeof value}`;
}

/** The runs inside a result; throws saying what was given instead. */
export function runsOf(value: unknown, what: string): FewshotResult[] {
  if (isFewshotResult(value)) return [value];
  if (isCompareResult(value)) return value.runs;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isFewshotResult(v) || isCompareResult(v))) {
    return value.flatMap((v: FewshotResult | CompareResult) => (isFewshotResult(v) ? [v] : v.runs));
  }
  throw new Error(
    `${what}: expected a FewshotResult or CompareResult (from %%fewshot, %%compare, medad.fewshot or medad.loadResult), got ${describeValue(value)}.`,
  );
}

/** One run, or an error that says how to pick one from a grid. */
export function singleRun(value: unknown, what: string): FewshotResult {
  const runs = runsOf(value, what);
  if (runs.length !== 1)
    throw new Error(`${what}: this result holds ${runs.length} runs; pick one, e.g. compareResult.runs[0].`);
  return runs[0];
}

/** "patchcore · 4-shot · seed 1" where several runs share a label, else the label. */
export function runNames(runs: FewshotResult[]): string[] {
  const labels = runs.map((r) => r.label || r.method);
  const unique = new Set(labels).size === labels.length;
  return runs.map((r, i) => (unique ? labels[i] : `${labels[i]} · ${r.shots}-shot · seed ${r.seed}`));
}

export function rocMethods(value: unknown): ScoredMethod[] {
  const runs = runsOf(value, "roc");
  const names = runNames(runs);
  return runs.map((r, i) => ({
    name: names[i],
    scores: r.scores.map((s) => s.score),
    labels: r.scores.map((s) => s.label),
  }));
}

/**
 * t-SNE of the evaluated test images. Each point is the image's stored fused anomaly map when every image has one
 * (what the method saw as anomalous, and where), else its raw score per branch and tapped level.
 */
export function tsneInputOf(value: unknown): TsneInput {
  const r = singleRun(value, "tsne");
  if (r.scores.length < 3)
    throw new Error(`tsne: the result has ${r.scores.length} test images; t-SNE needs at least 3.`);
  const withMaps = r.scores.every((s) => s.map !== undefined);
  const features = r.scores.map((s) =>
    withMaps
      ? decodeMap(s.map!, s.file).data
      : Object.keys(s.layers)
          .sort()
          .flatMap((b) => s.layers[b]),
  );
  const threshold = r.metrics.image.f1Max.threshold;
  return {
    features,
    groundTruth: r.scores.map((s) => s.label),
    prediction: Number.isFinite(threshold) ? { scores: r.scores.map((s) => s.score), threshold } : undefined,
    names: r.scores.map((s) => s.file),
    title: `${r.label || r.method} · t-SNE of ${withMaps ? "anomaly maps" : "per-level scores"} · ${r.dataset.name}/${r.dataset.category}`,
    tsne: { seed: 0 },
  };
}

/** Up to `cases` test images evenly over the score ranking (both ends kept), with their maps and masks. */
export function heatmapCasesOf(
  value: unknown,
  cases = 40,
  pick: (ranked: FewshotResult["scores"], max: number) => FewshotResult["scores"] = pickCases,
): HeatmapCaseInput[] {
  const r = singleRun(value, "heatmap");
  const missing = r.scores.filter((s) => s.map === undefined).length;
  if (missing > 0) {
    throw new Error(
      `heatmap: ${missing} of ${r.scores.length} images of this result have no anomaly map (${r.metrics.pixelSkipped ?? "the run scored images without maps"}; results from before maps were stored have none: run it again).`,
    );
  }
  if (!Number.isInteger(cases) || cases < 1)
    throw new Error(`heatmap: the number of cases must be a whole number ≥ 1, got ${cases}.`);
  const ranked = [...r.scores].sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : 1));
  const picked = pick(ranked, cases);
  const masks = new Map<string, { path: string; threshold: number }>();
  if (picked.some((s) => s.label === 1)) {
    for (const sample of loadDataset(r.dataset.root).samples) {
      if (sample.maskPath)
        masks.set(path.relative(r.dataset.root, sample.path).split(path.sep).join("/"), {
          path: sample.maskPath,
          threshold: sample.maskThreshold ?? 0,
        });
    }
  }
  return picked.map((s) => {
    const image = readImage(path.join(r.dataset.root, s.file), { mode: "rgb" });
    const map = decodeMap(s.map!, s.file);
    const maskFile = s.label === 1 ? masks.get(s.file) : undefined;
    const mask = maskFile ? readMask(maskFile.path, maskFile.threshold) : undefined;
    return {
      id: s.file,
      score: s.score,
      label: s.label,
      image: { width: image.width, height: image.height, channels: image.channels, data: image.data },
      map: { width: map.side, height: map.side, data: map.data },
      mask: mask ? { width: mask.width, height: mask.height, data: mask.data } : undefined,
    };
  });
}

export function heatmapOf(value: unknown, options: HeatmapOptions & { cases?: number } = {}): HeatmapPayload {
  const r = singleRun(value, "heatmap");
  const { cases, ...rest } = options;
  return heatmapPayload(heatmapCasesOf(r, cases ?? rest.maxCases ?? 40), {
    title: `${r.label || r.method} · ${r.dataset.name}/${r.dataset.category}`,
    ...calibratedHeatmapOptions(r),
    ...rest,
    maxCases: cases ?? rest.maxCases,
  });
}

/** A result's calibrated heatmap anchoring: the pixel threshold as overlay threshold and its colour range. */
export function calibratedHeatmapOptions(
  r: FewshotResult,
): Pick<HeatmapOptions, "threshold" | "mapRange" | "scoreThreshold"> {
  const t = r.thresholds;
  if (!t) return {};
  return {
    ...(t.pixel ? { threshold: t.pixel.value } : {}),
    ...(t.colourRange ? { mapRange: t.colourRange } : {}),
    ...(t.image ? { scoreThreshold: t.image.value } : {}),
  };
}
