import type { ActivationFunction } from "vscode-notebook-renderer";
import { categoryColor, rgbCss } from "../kernel/protocol/colormap";
import type { RocPayload } from "../kernel/protocol/viz";
import { aurocDetail, rocTraces } from "../kernel/protocol/vizTraces";
import { showError } from "./shared/errors";
import { htmlLegend, LEGEND_STYLE } from "./shared/legend";
import { loadPlotly } from "./shared/plotly";
import { baseLayout, chartTheme, PLOT_CONFIG } from "./shared/theme";

/**
 * Draws `application/vnd.medad.roc+json`: ROC curves on the unit square with their bootstrap bands, thresholds on
 * hover, and an HTML legend under the plot (full method names, wrapped; click to hide a curve).
 */
export const activate: ActivationFunction = () => ({
  async renderOutputItem(item, element) {
    try {
      const payload = item.json() as RocPayload;
      const plotly = await loadPlotly();
      const theme = chartTheme();
      const root = document.createElement("div");
      root.className = "medad-roc";
      root.style.maxWidth = "640px";
      const plot = document.createElement("div");
      plot.className = "medad-roc-plot";
      plot.style.width = "100%";
      plot.style.height = "480px";
      const css = document.createElement("style");
      css.textContent = LEGEND_STYLE;
      const traces = rocTraces(payload, theme.muted);
      const legend = htmlLegend(
        payload.series.map((s, k) => ({
          name: s.name,
          detail: aurocDetail(s),
          color: rgbCss(categoryColor(k)),
          kind: "line" as const,
          band: !!s.band,
          toggle: (visible: boolean) => {
            const indices = traces.flatMap((t, i) => (t.legendgroup === `series-${k}` ? [i] : []));
            void plotly.restyle(plot, { visible }, indices);
          },
        })),
      );
      root.append(css, plot, legend);
      element.replaceChildren(root);
      const layout = baseLayout(theme, payload.title ?? "ROC curve");
      Object.assign(layout, {
        xaxis: {
          ...(layout.xaxis as object),
          title: { text: "False positive rate" },
          range: [0, 1],
          constrain: "domain",
        },
        yaxis: {
          ...(layout.yaxis as object),
          title: { text: "True positive rate" },
          range: [0, 1.02],
          scaleanchor: "x",
        },
        showlegend: false,
      });
      await plotly.newPlot(plot, traces, layout, PLOT_CONFIG);
    } catch (error) {
      showError(element, error);
    }
  },
  disposeOutputItem() {},
});
