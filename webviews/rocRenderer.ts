import type { ActivationFunction } from "vscode-notebook-renderer";
import type { RocPayload } from "../kernel/protocol/viz";
import { rocTraces } from "../kernel/protocol/vizTraces";
import { showError } from "./shared/errors";
import { loadPlotly } from "./shared/plotly";
import { baseLayout, chartTheme, PLOT_CONFIG } from "./shared/theme";

/** Draws `application/vnd.medad.roc+json`: ROC curves on the unit square, thresholds on hover. */
export const activate: ActivationFunction = () => ({
  async renderOutputItem(item, element) {
    try {
      const payload = item.json() as RocPayload;
      const plotly = await loadPlotly();
      const theme = chartTheme();
      const root = document.createElement("div");
      root.className = "medad-roc";
      root.style.width = "100%";
      root.style.maxWidth = "640px";
      root.style.height = "520px";
      element.replaceChildren(root);
      const layout = baseLayout(theme, payload.title ?? "ROC curve");
      Object.assign(layout, {
        xaxis: { ...(layout.xaxis as object), title: { text: "False positive rate" }, range: [0, 1], constrain: "domain" },
        yaxis: { ...(layout.yaxis as object), title: { text: "True positive rate" }, range: [0, 1.02], scaleanchor: "x" },
        legend: { x: 1, xanchor: "right", y: 0, yanchor: "bottom", bgcolor: "rgba(0,0,0,0)" },
      });
      await plotly.newPlot(root, rocTraces(payload, theme.muted), layout, PLOT_CONFIG);
    } catch (error) {
      showError(element, error);
    }
  },
  disposeOutputItem() {},
});
