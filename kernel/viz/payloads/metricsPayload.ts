import { aurocExact } from "../../metrics/auroc";
import { averagePrecision } from "../../metrics/averagePrecision";
import { bootstrapCi, type BootstrapInterval, type BootstrapOptions } from "../../metrics/bootstrap";
import { f1Max } from "../../metrics/f1Max";
import type { MetricsPayload, MetricValue } from "../../protocol/viz";
import { asMethodList, withoutUndefined, type ScoredMethod } from "./scoredMethod";

export type MetricInput = number | MetricValue | BootstrapInterval | null | undefined;

/** Already computed metrics of one method, by metric name (e.g. { "image AUROC": 0.93, "AU-PRO": ci }). */
export interface MethodMetrics {
  name: string;
  metrics: Record<string, MetricInput>;
}

function toValue(v: MetricInput, metric: string, method: string): MetricValue | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return { value: v };
  const value = "estimate" in v ? v.estimate : v.value;
  if (typeof value !== "number")
    throw new Error(
      `metric "${metric}" of "${method}" has no numeric value; pass a number, { value, lower?, upper? } or a bootstrapCi() result.`,
    );
  return v.lower === undefined ? { value } : { value, lower: v.lower, upper: v.upper };
}

/** A method × metric table from computed values; metric columns appear in first-seen order. */
export function metricsPayload(
  methods: MethodMetrics[],
  options: { title?: string; level?: number } = {},
): MetricsPayload {
  const names: string[] = [];
  for (const m of methods) for (const key of Object.keys(m.metrics)) if (!names.includes(key)) names.push(key);
  const level =
    options.level ??
    methods
      .flatMap((m) => Object.values(m.metrics))
      .find((v): v is BootstrapInterval => typeof v === "object" && v !== null && "level" in v)?.level;
  return withoutUndefined({
    version: 1,
    title: options.title,
    metrics: names,
    methods: methods.map((m) => ({ name: m.name, values: names.map((n) => toValue(m.metrics[n], n, m.name)) })),
    level,
  });
}

/** Image-level AUROC, AP and F1-max of scored methods, each with a bootstrap interval when `ci` is set. */
export function imageMetrics(
  methods: ScoredMethod | ScoredMethod[],
  options: { title?: string; ci?: boolean | BootstrapOptions } = {},
): MetricsPayload {
  const ciOptions = options.ci === true ? {} : options.ci || undefined;
  const metric = (fn: (s: ArrayLike<number>, l: ScoredMethod["labels"]) => number, m: ScoredMethod): MetricInput =>
    ciOptions ? bootstrapCi((s, l) => fn(s, l), m.scores, m.labels, ciOptions) : fn(m.scores, m.labels);
  return metricsPayload(
    asMethodList(methods).map((m) => ({
      name: m.name,
      metrics: {
        AUROC: metric(aurocExact, m),
        AP: metric(averagePrecision, m),
        "F1-max": metric((s, l) => f1Max(s, l).f1, m),
      },
    })),
    { title: options.title },
  );
}

export function metricsText(payload: MetricsPayload): string {
  const cell = (v: MetricValue | null) =>
    v === null
      ? "-"
      : v.lower === undefined
        ? v.value.toFixed(4)
        : `${v.value.toFixed(4)} [${v.lower.toFixed(4)}, ${v.upper!.toFixed(4)}]`;
  const rows = [["method", ...payload.metrics], ...payload.methods.map((m) => [m.name, ...m.values.map(cell)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    r
      .map((v, c) => v.padEnd(widths[c]))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const note =
    payload.level !== undefined ? `\n[lower, upper]: ${Math.round(payload.level * 100)}% bootstrap interval` : "";
  return `${payload.title ?? "Metrics"}\n${lines.join("\n")}${note}`;
}
