import { aurocExact } from "../../metrics/auroc";
import type { BootstrapOptions } from "../../metrics/bootstrap";
import { rocCurve } from "../../metrics/curves";
import { rocBootstrap } from "../../metrics/rocBand";
import type { RocPayload } from "../../protocol/viz";
import { asMethodList, finiteOrNull, withoutUndefined, type ScoredMethod } from "./scoredMethod";

export interface RocOptions {
  title?: string;
  /**
   * Add a stratified percentile-bootstrap interval of each AUROC and a pointwise confidence band of each curve, from
   * the same resamples (true = 1000 resamples, seed 0, 95 %).
   */
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
        const { auroc: ci, band } = rocBootstrap(m.scores, m.labels, ciOptions);
        series.ci = { lower: ci.lower, upper: ci.upper, level: ci.level };
        // Four decimals are far below a pixel and keep a saved notebook small.
        const round = (v: number) => Math.round(v * 1e4) / 1e4;
        series.band = { fpr: band.fpr.map(round), lower: band.lower.map(round), upper: band.upper.map(round) };
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
