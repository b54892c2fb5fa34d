import type { ActivationFunction } from "vscode-notebook-renderer";
import { categoryColor, rgbCss } from "../kernel/protocol/colormap";
import { wrapWords } from "../kernel/protocol/labels";
import type { MetricsPayload, MetricValue } from "../kernel/protocol/viz";
import { metricsTraces } from "../kernel/protocol/vizTraces";
import { showError } from "./shared/errors";
import { loadPlotly } from "./shared/plotly";
import { baseLayout, chartTheme, PLOT_CONFIG } from "./shared/theme";

const style = `
  table.medad-metrics { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-foreground); margin-top: 6px; }
  table.medad-metrics th, table.medad-metrics td { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: 3px 10px; text-align: right; }
  table.medad-metrics th { color: var(--vscode-descriptionForeground); font-weight: 600; }
  table.medad-metrics td.best { font-weight: bold; }
  table.medad-metrics td.method { text-align: left; }
  table.medad-metrics .swatch {
    display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px;
  }
`;

function cell(v: MetricValue | null): string {
  if (!v) return "–";
  return v.lower === undefined
    ? v.value.toFixed(4)
    : `${v.value.toFixed(4)} [${v.lower.toFixed(4)}, ${v.upper!.toFixed(4)}]`;
}

/**
 * Grouped bars (metric × method) with interval whiskers, then the exact numbers in a table, best per column bold.
 * The table is the chart's legend: each method's row starts with its bar colour, and long names wrap there instead of
 * squeezing the plot the way plotly's side legend does.
 */
function table(payload: MetricsPayload): HTMLTableElement {
  const t = document.createElement("table");
  t.className = "medad-metrics";
  const head = t.createTHead().insertRow();
  for (const name of ["method", ...payload.metrics])
    head.appendChild(Object.assign(document.createElement("th"), { textContent: name }));
  const best = payload.metrics.map((_, c) => Math.max(...payload.methods.map((m) => m.values[c]?.value ?? -Infinity)));
  const body = t.createTBody();
  payload.methods.forEach((m, k) => {
    const row = body.insertRow();
    const name = row.insertCell();
    name.className = "method";
    const swatch = Object.assign(document.createElement("span"), { className: "swatch" });
    swatch.style.background = rgbCss(categoryColor(k));
    name.append(swatch, m.name);
    m.values.forEach((v, c) => {
      const td = row.insertCell();
      td.textContent = cell(v);
      if (v && payload.methods.length > 1 && v.value === best[c]) td.className = "best";
    });
  });
  if (payload.level !== undefined)
    t.createCaption().textContent = `[lower, upper]: ${Math.round(payload.level * 100)}% bootstrap interval`;
  return t;
}

function escapeTick(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const activate: ActivationFunction = () => ({
  async renderOutputItem(item, element) {
    try {
      const payload = item.json() as MetricsPayload;
      const plotly = await loadPlotly();
      const theme = chartTheme();
      const css = document.createElement("style");
      css.textContent = style;
      const plot = document.createElement("div");
      plot.className = "medad-metrics-plot";
      plot.style.width = "100%";
      plot.style.maxWidth = `${Math.max(480, 160 * payload.metrics.length)}px`;
      plot.style.height = "380px";
      element.replaceChildren(css, plot, table(payload));
      const layout = baseLayout(theme, payload.title ?? "Metrics");
      const all = payload.methods.flatMap((m) => m.values.flatMap((v) => (v ? [v.value, v.upper ?? v.value] : [])));
      const fractions = all.every((v) => v >= 0 && v <= 1);
      // Metric names one word per line ("image<br>AUROC"), never rotated: plotly would otherwise turn long names
      // when the plot narrows and cut them at the bottom margin.
      const oneWordPerLine = (m: string) => wrapWords(m, Math.max(6, ...m.split(" ").map((w) => w.length)));
      const ticktext = payload.metrics.map((m) => oneWordPerLine(m).map(escapeTick).join("<br>"));
      Object.assign(layout, {
        barmode: "group",
        showlegend: false,
        xaxis: { ...(layout.xaxis as object), tickvals: payload.metrics, ticktext, tickangle: 0 },
        yaxis: { ...(layout.yaxis as object), range: fractions ? [0, 1.08] : undefined },
      });
      await plotly.newPlot(plot, metricsTraces(payload), layout, PLOT_CONFIG);
    } catch (error) {
      showError(element, error);
    }
  },
  disposeOutputItem() {},
});
