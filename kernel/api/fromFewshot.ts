import type { FewshotResult } from "../methods/result";
import type { MethodMetrics } from "../viz/payloads/metricsPayload";
import type { ScoredMethod } from "../viz/payloads/scoredMethod";
import { selectionLabel } from "../methods/selection/record";
import type { TrainingCurves } from "../viz/payloads/trainingPayload";

/** A saved or fresh `medad.fewshot` result (schema medad.fewshot-result/1). */
export function isFewshotResult(value: unknown): value is FewshotResult {
  return (
    typeof value === "object" && value !== null && (value as { schema?: unknown }).schema === "medad.fewshot-result/1"
  );
}

function methodName(r: FewshotResult): string {
  return r.label || r.method;
}

/** The image scores a result was evaluated on, as one ROC/metrics method. */
export function scoredFromResult(r: FewshotResult): ScoredMethod {
  return { name: methodName(r), scores: r.scores.map((s) => s.score), labels: r.scores.map((s) => s.label) };
}

/** The metrics a result already carries (image, and pixel when the data had masks): nothing is recomputed. */
export function metricsFromResult(r: FewshotResult): MethodMetrics {
  const m = r.metrics;
  const metrics: MethodMetrics["metrics"] = {
    "image AUROC": m.image.auroc,
    "image AP": m.image.averagePrecision,
    "image F1-max": m.image.f1Max.f1,
  };
  if (m.pixel)
    Object.assign(metrics, {
      "pixel AUROC": m.pixel.auroc,
      "pixel AP": m.pixel.averagePrecision,
      "pixel F1-max": m.pixel.f1Max.f1,
    });
  return { name: methodName(r), metrics };
}

/** Per-epoch curves of a trained run (result.selection.perEpoch) for display.training. */
export function trainingCurves(result: FewshotResult): TrainingCurves {
  const sel = result.selection;
  if (!sel || sel.perEpoch.length === 0)
    throw new Error(
      `display.training: the result of '${result.method}' has no per-epoch record (result.selection.perEpoch); it comes from trained methods (mvfa, madclip, mediclip, sd-mad) run with epochs ≥ 1`,
    );
  const at = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  return {
    title: `${result.method} training · ${result.dataset.name}/${result.dataset.category} · ${selectionLabel(sel)}`,
    epochs: sel.perEpoch.map((e) => e.epoch),
    loss: sel.perEpoch.map((e) => e.loss),
    imageAuroc: sel.perEpoch.map((e) => at(e.imageAuroc)),
    pixelAuroc: sel.perEpoch.map((e) => at(e.pixelAuroc)),
    chosenEpoch: sel.chosenEpoch,
    selection: selectionLabel(sel),
    evaluatedOn: sel.evaluatedOn.split,
  };
}
