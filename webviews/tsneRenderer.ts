import type { ActivationFunction } from "vscode-notebook-renderer";
import type { TsnePayload } from "../kernel/protocol/viz";
import { tsneTraces } from "../kernel/protocol/vizTraces";
import { showError } from "./shared/errors";
import { loadPlotly } from "./shared/plotly";
import { baseLayout, chartTheme, PLOT_CONFIG } from "./shared/theme";

/** Draws `application/vnd.medad.tsne+json`: one scatter, a selector switches between its colourings. */
export const activate: ActivationFunction = () => ({
  async renderOutputItem(item, element) {
    try {
      const payload = item.json() as TsnePayload;
      const plotly = await loadPlotly();
      const theme = chartTheme();
      const bar = document.createElement("div");
      bar.style.margin = "4px 0";
      const select = document.createElement("select");
      select.className = "medad-tsne-coloring";
      select.setAttribute("aria-label", "colour points by");
      Object.assign(select.style, {
        background: "var(--vscode-dropdown-background)",
        color: "var(--vscode-dropdown-foreground)",
        border: "1px solid var(--vscode-dropdown-border, transparent)",
        padding: "2px 4px",
      });
      payload.colorings.forEach((c, k) =>
        select.appendChild(
          Object.assign(document.createElement("option"), { value: String(k), textContent: `colour by ${c.name}` }),
        ),
      );
      bar.appendChild(select);
      const plot = document.createElement("div");
      plot.className = "medad-tsne";
      plot.style.width = "100%";
      plot.style.maxWidth = "720px";
      plot.style.height = "560px";
      element.replaceChildren(bar, plot);
      const layout = baseLayout(theme, payload.title ?? `t-SNE (${payload.xy.length / 2} points)`);
      // t-SNE coordinates have no units: hide ticks, keep equal scales so distances are comparable both ways.
      Object.assign(layout, {
        xaxis: { ...(layout.xaxis as object), showticklabels: false, zeroline: false, showgrid: false },
        yaxis: {
          ...(layout.yaxis as object),
          showticklabels: false,
          zeroline: false,
          showgrid: false,
          scaleanchor: "x",
        },
        hovermode: "closest",
      });
      const draw = () => plotly.react(plot, tsneTraces(payload, Number(select.value)), layout, PLOT_CONFIG);
      select.addEventListener("change", () => void draw());
      await draw();
    } catch (error) {
      showError(element, error);
    }
  },
  disposeOutputItem() {},
});
