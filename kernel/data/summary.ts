// Counts per category/split/label, image sizes and mask presence: what `%dataset` reports first.
import { DatasetIssue, DatasetSummary, LayoutKind, Sample, SplitCounts } from "./types";

export function summarize(layout: LayoutKind, samples: readonly Sample[], skipped: number, issues: readonly DatasetIssue[]): DatasetSummary {
  const counts: Record<string, Partial<Record<string, SplitCounts>>> = {};
  const sizes: Record<string, number> = {};
  const anomalyTypes: Record<string, number> = {};
  let masks = 0;
  for (const s of samples) {
    const perSplit = (counts[s.category] ??= {});
    const c = (perSplit[s.split] ??= { normal: 0, abnormal: 0, unknown: 0, masks: 0 });
    c[s.label]++;
    if (s.maskPath) {
      c.masks++;
      masks++;
    }
    if (s.width && s.height) sizes[`${s.width}x${s.height}`] = (sizes[`${s.width}x${s.height}`] ?? 0) + 1;
    if (s.anomalyType) anomalyTypes[s.anomalyType] = (anomalyTypes[s.anomalyType] ?? 0) + 1;
  }
  return {
    layout,
    categories: Object.keys(counts).sort(),
    counts,
    total: samples.length,
    sizes,
    anomalyTypes,
    masksPresent: masks > 0,
    skipped,
    errors: issues.filter((i) => i.severity === "error").length,
    warnings: issues.filter((i) => i.severity === "warning").length,
  };
}
