// Anomaly categories of a sample for multi-anomaly methods (SD-MAD): its `anomalyType` (from the layout or a
// manifest's `anomaly_type` column), where "a+b" marks an image showing several categories (multi-label).
import type { Sample } from "./types";

export function anomalyCategories(s: Sample): string[] {
  if (!s.anomalyType) return [];
  return [...new Set(s.anomalyType.split("+").map((c) => c.trim()).filter((c) => c.length > 0))];
}
