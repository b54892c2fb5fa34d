/**
 * Payload → plotly trace mapping for the renderers, kept here (pure, browser-safe) so unit tests check it without a
 * browser. Layout theming stays in the renderers; these only carry data, names, colours and hover text.
 */
import { categoryColor, rgbCss } from "./colormap";
import type { MetricsPayload, RocPayload, TsnePayload } from "./viz";

export type Trace = Record<string, unknown>;

/** The legend's second line of a curve: AUROC and, when computed, its bootstrap interval. */
export function aurocDetail(s: RocPayload["series"][number]): string {
  const ci = s.ci ? `, ${Math.round(s.ci.level * 100)}% CI [${s.ci.lower.toFixed(3)}, ${s.ci.upper.toFixed(3)}]` : "";
  return `AUROC ${s.auroc.toFixed(3)}${ci}`;
}

export function aurocLabel(s: RocPayload["series"][number]): string {
  return `${s.name} (${aurocDetail(s)})`;
}

function rgbaCss(rgb: readonly number[], alpha: number): string {
  return `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}

/** Opacity of a curve's bootstrap band (same in the PNG). */
export const BAND_ALPHA = 0.2;

/**
 * The chance diagonal, then each curve's bootstrap band (an invisible lower edge and an upper edge filled down to
 * it: plotly's "tonexty" fills to the trace just before), then the curves on top. Every trace of series k has
 * legendgroup `series-k`, so the renderer's own legend can show or hide a curve together with its band. Plotly's
 * legend is off: the renderer draws an HTML legend under the plot, which wraps long names instead of covering curves.
 */
export function rocTraces(payload: RocPayload, chanceColor: string): Trace[] {
  const chance: Trace = {
    type: "scatter",
    mode: "lines",
    x: [0, 1],
    y: [0, 1],
    name: "chance",
    line: { dash: "dash", width: 1, color: chanceColor },
    hoverinfo: "skip",
    showlegend: false,
  };
  const bands = payload.series.flatMap((s, k): Trace[] => {
    if (!s.band) return [];
    const common = {
      type: "scatter",
      mode: "lines",
      x: s.band.fpr,
      legendgroup: `series-${k}`,
      showlegend: false,
      hoverinfo: "skip",
      line: { width: 0, color: rgbCss(categoryColor(k)) },
    };
    const fillcolor = rgbaCss(categoryColor(k), BAND_ALPHA);
    return [
      { ...common, name: `${s.name} band lower`, y: s.band.lower },
      { ...common, name: `${s.name} band`, y: s.band.upper, fill: "tonexty", fillcolor },
    ];
  });
  const curves = payload.series.map((s, k) => ({
    type: "scatter",
    mode: "lines",
    x: s.fpr,
    y: s.tpr,
    name: aurocLabel(s),
    legendgroup: `series-${k}`,
    showlegend: false,
    line: { color: rgbCss(categoryColor(k)), width: 2, shape: "linear" },
    // Threshold per point; null is the "+∞: predict nothing" start.
    customdata: s.thresholds.map((t) => (t === null ? "+∞" : t.toPrecision(4))),
    hovertemplate: `${escapeHover(s.name)}<br>FPR %{x:.3f}<br>TPR %{y:.3f}<br>threshold %{customdata}<extra></extra>`,
  }));
  return [chance, ...bands, ...curves];
}

/** Plotly hover text reads HTML-ish tags; a method name is shown as typed. */
function escapeHover(text: string): string {
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
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
      customdata: m.values.map((v) =>
        v
          ? v.lower === undefined
            ? v.value.toFixed(4)
            : `${v.value.toFixed(4)} [${v.lower.toFixed(4)}, ${v.upper!.toFixed(4)}]`
          : "",
      ),
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
