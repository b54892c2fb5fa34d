/**
 * MIME bundles of the picture outputs: our renderer's JSON, a PNG drawn in Node (JupyterLab, GitHub, "Change
 * Presentation") and a text summary (terminals, `medad run` logs).
 */
import type { MimeBundle } from "../protocol/outputs";
import {
  HEATMAP_MIME,
  METRICS_MIME,
  ROC_MIME,
  TSNE_MIME,
  type HeatmapPayload,
  type MetricsPayload,
  type RocPayload,
  type TsnePayload,
} from "../protocol/viz";
import { heatmapPng } from "../viz/png/heatmapPng";
import { metricsPng } from "../viz/png/metricsPng";
import { rocPng } from "../viz/png/rocPng";
import { tsnePng } from "../viz/png/tsnePng";
import {
  heatmapPayload,
  heatmapText,
  type HeatmapCaseInput,
  type HeatmapOptions,
} from "../viz/payloads/heatmapPayload";
import { imageMetrics, metricsPayload, metricsText, type MethodMetrics } from "../viz/payloads/metricsPayload";
import { rocPayload, rocText, type RocOptions } from "../viz/payloads/rocPayload";
import type { ScoredMethod } from "../viz/payloads/scoredMethod";
import type { FewshotResult } from "../methods/result";
import { isFewshotResult, metricsFromResult, scoredFromResult, trainingCurves } from "./fromFewshot";
import { tsnePayload, tsneText, type TsneInput } from "../viz/payloads/tsnePayload";
import { trainingText, type TrainingCurves } from "../viz/payloads/trainingPayload";
import { trainingPng } from "../viz/png/trainingPng";

function bundle(mime: string, payload: object, png: Buffer, text: string): MimeBundle {
  return { [mime]: payload, "image/png": png.toString("base64"), "text/plain": text };
}

function isPayload(value: unknown): value is { version: 1 } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { version?: unknown }).version === 1
  );
}

export function rocBundle(payload: RocPayload): MimeBundle {
  return bundle(ROC_MIME, payload, rocPng(payload), rocText(payload));
}

export function tsneBundle(payload: TsnePayload): MimeBundle {
  return bundle(TSNE_MIME, payload, tsnePng(payload), tsneText(payload));
}

export function heatmapBundle(payload: HeatmapPayload): MimeBundle {
  return bundle(HEATMAP_MIME, payload, heatmapPng(payload), heatmapText(payload));
}

export function metricsBundle(payload: MetricsPayload): MimeBundle {
  return bundle(METRICS_MIME, payload, metricsPng(payload), metricsText(payload));
}

/** Scored methods and/or `medad.fewshot` results (their evaluated image scores), or a ready payload. */
export type RocInput = ScoredMethod | FewshotResult | (ScoredMethod | FewshotResult)[] | RocPayload;
export type TsneDisplayInput = TsneInput | TsnePayload;
export type HeatmapInput = HeatmapCaseInput[] | HeatmapPayload;
/** Computed metrics per method, scored methods (image AUROC/AP/F1-max are computed), or a ready payload. */
/** `medad.fewshot` results show the metrics they carry (image, and pixel when present). */
export type MetricsInput =
  | MethodMetrics[]
  | ScoredMethod
  | ScoredMethod[]
  | FewshotResult
  | FewshotResult[]
  | MetricsPayload;

function asScored(item: ScoredMethod | FewshotResult): ScoredMethod {
  return isFewshotResult(item) ? scoredFromResult(item) : item;
}

export function rocBundleOf(input: RocInput, options?: RocOptions): MimeBundle {
  if (isPayload(input)) return rocBundle(input as RocPayload);
  const list = (Array.isArray(input) ? input : [input]) as (ScoredMethod | FewshotResult)[];
  return rocBundle(rocPayload(list.map(asScored), options));
}

export function tsneBundleOf(input: TsneDisplayInput): MimeBundle {
  return tsneBundle(isPayload(input) ? (input as TsnePayload) : tsnePayload(input as TsneInput));
}

export function heatmapBundleOf(input: HeatmapInput, options?: HeatmapOptions): MimeBundle {
  return heatmapBundle(
    isPayload(input) ? (input as HeatmapPayload) : heatmapPayload(input as HeatmapCaseInput[], options),
  );
}

export function metricsBundleOf(
  input: MetricsInput,
  options: { title?: string; ci?: RocOptions["ci"] } = {},
): MimeBundle {
  if (isPayload(input)) return metricsBundle(input as MetricsPayload);
  const list = (Array.isArray(input) ? input : [input]) as (MethodMetrics | ScoredMethod | FewshotResult)[];
  if (list.length > 0 && list.every(isFewshotResult))
    return metricsBundle(metricsPayload(list.map(metricsFromResult), options));
  const scored = list.length > 0 && list.every((m) => "scores" in m);
  return metricsBundle(
    scored ? imageMetrics(list as ScoredMethod[], options) : metricsPayload(list as MethodMetrics[], options),
  );
}

/** Loss and selection AUROC per epoch of a trained run: a PNG and a text table (no custom renderer). */
export function trainingBundleOf(input: FewshotResult | TrainingCurves): MimeBundle {
  const curves = Array.isArray((input as TrainingCurves).epochs)
    ? (input as TrainingCurves)
    : trainingCurves(input as FewshotResult);
  return { "image/png": trainingPng(curves).toString("base64"), "text/plain": trainingText(curves) };
}
