import { aurocExact } from "../../metrics/auroc";
import { bootstrapCi, type BootstrapOptions } from "../../metrics/bootstrap";
import { rocCurve } from "../../metrics/curves";
import type { RocPayload } from "../../protocol/viz";
import { asMethodList, finiteOrNull, withoutUndefined, type ScoredMethod } from "./scoredMethod";

export interface RocOptions {
  title?: string;
  /** Add a stratified percentile-bootstrap interval of each AUROC (true = 1000 resamples, seed 0, 95 %). */
  ci?: boolean | BootstrapOptions;
}

/** ROC curves (sklearn's drop_intermediate points) and exact AUROCs of one or more methods. */
export function rocPayload(methods: ScoredMethod | ScoredMethod[], options: RocOptions = {}): RocPayload {
  const ciOptions = options.ci === true ? {} : options.ci || undefined;
  return withoutUndefined({
    version: 1,
    title: options.title,
    series: asMethodList(methods).map((m) => {
      const curve = rocCurve(m.scores, m.labels);
      const auroc = aurocExact(m.scores, m.labels);
      const series: RocPayload["series"][number] = {
        name: m.name,
        fpr: Array.from(curve.fpr),
        tpr: Array.from(curve.tpr),
        thresholds: Array.from(curve.thresholds, finiteOrNull),
        auroc,
      };
      if (ciOptions) {
        const ci = bootstrapCi((s, l) => aurocExact(s, l), m.scores, m.labels, ciOptions);
        series.ci = { lower: ci.lower, upper: ci.upper, level: ci.level };
      }
      return series;
    }),
  });
}

export function rocText(payload: RocPayload): string {
  const lines = payload.series.map((s) => {
    const ci = s.ci ? ` (${Math.round(s.ci.level * 100)}% CI ${s.ci.lower.toFixed(4)}–${s.ci.upper.toFixed(4)})` : "";
    return `  ${s.name}: AUROC ${s.auroc.toFixed(4)}${ci}, ${s.fpr.length} curve points`;
  });
  return [payload.title ?? "ROC curve", ...lines].join("\n");
}
