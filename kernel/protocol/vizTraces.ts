/**
 * Payload → plotly trace mapping for the renderers, kept here (pure, browser-safe) so unit tests check it without a
 * browser. Layout theming stays in the renderers; these only carry data, names, colours and hover text.
 */
import { categoryColor, rgbCss } from "./colormap";
import type { MetricsPayload, RocPayload, TsnePayload } from "./viz";

export type Trace = Record<string, unknown>;

export function aurocLabel(s: RocPayload["series"][number]): string {
  const ci = s.ci ? ` [${s.ci.lower.toFixed(3)}, ${s.ci.upper.toFixed(3)}]` : "";
  return `${s.name} (AUROC ${s.auroc.toFixed(3)}${ci})`;
}

export function rocTraces(payload: RocPayload, chanceColor: string): Trace[] {
  const chance: Trace = { type: "scatter", mode: "lines", x: [0, 1], y: [0, 1], name: "chance", line: { dash: "dash", width: 1, color: chanceColor }, hoverinfo: "skip", showlegend: false };
  const curves = payload.series.map((s, k) => ({
    type: "scatter",
    mode: "lines",
    x: s.fpr,
    y: s.tpr,
    name: aurocLabel(s),
    line: { color: rgbCss(categoryColor(k)), width: 2, shape: "linear" },
    // Threshold per point; null is the "+∞: predict nothing" start.
    customdata: s.thresholds.map((t) => (t === null ? "+∞" : t.toPrecision(4))),
    hovertemplate: `${s.name}<br>FPR %{x:.3f}<br>TPR %{y:.3f}<br>threshold %{customdata}<extra></extra>`,
  }));
  return [chance, ...curves];
}

export function tsneTraces(payload: TsnePayload, coloring: number): Trace[] {
  const c = payload.colorings[coloring] ?? payload.colorings[0];
  const big = payload.xy.length / 2 > 2000;
  return c.groups.map((g, k) => ({
    type: "scatter",
    mode: "markers",
    name: `${g.name} (${g.indices.length})`,
    x: g.indices.map((i) => payload.xy[2 * i]),
    y: g.indices.map((i) => payload.xy[2 * i + 1]),
    text: payload.labels ? g.indices.map((i) => payload.labels![i]) : g.indices.map((i) => `#${i}`),
    customdata: g.indices,
    marker: { color: rgbCss(categoryColor(k)), size: big ? 4 : 7, opacity: 0.8 },
    hovertemplate: `%{text}<br>${g.name}<extra></extra>`,
  }));
}

export function metricsTraces(payload: MetricsPayload): Trace[] {
  return payload.methods.map((m, k) => {
    const hasCi = m.values.some((v) => v?.lower !== undefined);
    return {
      type: "bar",
      name: m.name,
      x: payload.metrics,
      y: m.values.map((v) => (v ? v.value : null)),
      marker: { color: rgbCss(categoryColor(k)) },
      // Values on hover and in the table under the chart: labels on the bars collide with the interval whiskers.
      customdata: m.values.map((v) => (v ? (v.lower === undefined ? v.value.toFixed(4) : `${v.value.toFixed(4)} [${v.lower.toFixed(4)}, ${v.upper!.toFixed(4)}]`) : "")),
      hovertemplate: `${m.name}<br>%{x}: %{customdata}<extra></extra>`,
      error_y: hasCi
        ? {
            type: "data",
            symmetric: false,
            array: m.values.map((v) => (v?.upper !== undefined ? v.upper - v.value : 0)),
            arrayminus: m.values.map((v) => (v?.lower !== undefined ? v.value - v.lower : 0)),
          }
        : undefined,
    };
  });
}
