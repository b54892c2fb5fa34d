/**
 * The decision view of a result: calibrated thresholds (from normal images only) and the confusion matrix,
 * sensitivity, specificity and precision they give on the test images, next to the test-tuned F1-max threshold
 * (shown for evaluation, never used for decisions).
 */
import type { CalibratedThreshold, DecisionCounts, FewshotResult } from "../methods/result";
import { tableToText } from "./table";
import type { TableData } from "../protocol/table";

function rate(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : v.toFixed(4);
}

function row(level: string, t: CalibratedThreshold | null, skipped: string | undefined, d?: DecisionCounts) {
  if (!t) return [level, "—", "—", "—", "—", "—", "—", skipped ?? "no threshold"];
  const confusion = d ? `TP ${d.tp} FP ${d.fp} TN ${d.tn} FN ${d.fn}` : "—";
  const bound = t.falseAlarmBound === null ? "" : `; false alarms ≤ ${t.falseAlarmBound.toFixed(3)}`;
  return [
    level,
    t.value.toPrecision(5),
    `q ${t.quantile} of ${t.values} (${t.normals} normals)${bound}`,
    rate(d?.sensitivity),
    rate(d?.specificity),
    rate(d?.precision),
    confusion,
    t.note,
  ];
}

/** The thresholds table, or undefined for results made before thresholds were recorded. */
export function thresholdTable(r: FewshotResult): TableData | undefined {
  const t = r.thresholds;
  if (!t) return undefined;
  const f1 = `F1-max thresholds on test labels (evaluation only): image ${t.f1Max.image.toPrecision(5)}${
    t.f1Max.pixel !== undefined ? `, pixel ${t.f1Max.pixel.toPrecision(5)}` : ""
  }`;
  return {
    title: `Decisions at thresholds calibrated on normal images only · ${f1}`,
    columns: ["level", "threshold", "calibration", "sensitivity", "specificity", "precision", "confusion", "note"],
    rows: [row("image", t.image, t.imageSkipped, t.test.image), row("pixel", t.pixel, t.pixelSkipped, t.test.pixel)],
  };
}

export function thresholdText(r: FewshotResult): string {
  const t = thresholdTable(r);
  return t ? tableToText(t) : "no thresholds (a result made before thresholds were recorded: run it again)";
}
