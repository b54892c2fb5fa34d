import type { ActivationFunction } from "vscode-notebook-renderer";
import { colormapTable } from "../kernel/protocol/colormap";
import {
  composeCase,
  decodeCase,
  levelValue,
  sortCases,
  thresholdLevel,
  type DecodedCase,
} from "../kernel/protocol/heatmapCompose";
import type { OpenInExplorerMessage } from "../kernel/protocol/explorer";
import { distinctSuffixes } from "../kernel/protocol/labels";
import type { HeatmapCase, HeatmapPayload } from "../kernel/protocol/viz";
import { showError } from "./shared/errors";

/**
 * Draws `application/vnd.medad.heatmap+json` as a grid of canvases (image + map overlay + mask contour) sorted by
 * score, with a threshold slider and click-to-enlarge. Plain canvas, not plotly: dozens of small composited images
 * redraw on every slider step, which one ImageData per tile does in a few milliseconds.
 */
const style = `
  .medad-heatmap { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
  .medad-heatmap .bar { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin: 4px 0 8px; }
  .medad-heatmap .title { font-weight: bold; }
  .medad-heatmap input[type=range] { width: 200px; accent-color: var(--vscode-focusBorder); }
  .medad-heatmap select { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border, transparent); }
  .medad-heatmap .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
  .medad-heatmap figure { margin: 0; cursor: zoom-in; }
  .medad-heatmap figure canvas { width: 100%; height: auto; display: block; border: 2px solid transparent; box-sizing: border-box; }
  .medad-heatmap figure.anomalous canvas { border-color: var(--vscode-testing-iconFailed, #c33); }
  .medad-heatmap figure.normal canvas { border-color: var(--vscode-testing-iconPassed, #3a3); }
  .medad-heatmap figcaption { font-size: 11px; line-height: 1.3; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .medad-heatmap figcaption .score { color: var(--vscode-descriptionForeground); }
  .medad-heatmap figcaption > div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .medad-heatmap .detail[hidden] { display: none; }
  .medad-heatmap .detail { display: flex; gap: 12px; align-items: flex-start; margin-bottom: 10px; padding: 8px; border: 1px solid var(--vscode-panel-border, #8884); }
  .medad-heatmap .detail canvas { width: min(480px, 70vw); height: auto; cursor: zoom-out; image-rendering: pixelated; }
  .medad-heatmap button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 3px 10px; cursor: pointer; }
`;

interface Tile {
  c: HeatmapCase;
  decoded: DecodedCase;
  canvas: HTMLCanvasElement;
  figure: HTMLElement;
}

function paint(
  canvas: HTMLCanvasElement,
  c: HeatmapCase,
  decoded: DecodedCase,
  lut: Uint8Array,
  level: number,
  alpha: number,
): void {
  canvas.width = c.width;
  canvas.height = c.height;
  const rgba = composeCase(c, decoded, lut, level, alpha);
  canvas.getContext("2d")!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, c.width, c.height), 0, 0);
}

function labelText(c: HeatmapCase): string {
  return c.label === null ? "" : c.label ? "anomalous" : "normal";
}

export const activate: ActivationFunction = (context) => ({
  renderOutputItem(item, element) {
    try {
      const payload = item.json() as HeatmapPayload;
      const lut = colormapTable(payload.colormap);
      const root = document.createElement("div");
      root.className = "medad-heatmap";
      const css = document.createElement("style");
      css.textContent = style;

      const bar = document.createElement("div");
      bar.className = "bar";
      const title = Object.assign(document.createElement("span"), {
        className: "title",
        textContent: payload.title ?? "Anomaly maps",
      });
      const slider = Object.assign(document.createElement("input"), {
        type: "range",
        min: "0",
        max: "256",
        step: "1",
        className: "threshold",
      });
      slider.value = String(Math.max(0, Math.min(256, thresholdLevel(payload, payload.threshold))));
      slider.setAttribute("aria-label", "overlay threshold");
      const value = Object.assign(document.createElement("span"), { className: "threshold-value" });
      const filter = document.createElement("select");
      filter.className = "filter";
      for (const [v, t] of [
        ["all", "all cases"],
        ["1", "anomalous"],
        ["0", "normal"],
      ])
        filter.appendChild(Object.assign(document.createElement("option"), { value: v, textContent: t }));
      const thresholdLabel = Object.assign(document.createElement("label"), { textContent: "threshold " });
      thresholdLabel.append(slider, value);
      const opacity = Object.assign(document.createElement("input"), {
        type: "range",
        min: "0",
        max: "100",
        step: "5",
        className: "opacity",
      });
      opacity.value = String(Math.round(100 * Math.max(0, Math.min(1, payload.alpha))));
      opacity.setAttribute("aria-label", "overlay opacity");
      const opacityLabel = Object.assign(document.createElement("label"), { textContent: "opacity " });
      opacityLabel.append(opacity);
      // With messaging (VS Code, not other hosts), the result can go to the explorer panel to compare with others.
      if (context.postMessage) {
        const open = Object.assign(document.createElement("button"), {
          className: "open-explorer",
          textContent: "Open in explorer",
        });
        open.addEventListener("click", () => {
          const message: OpenInExplorerMessage = { type: "openInExplorer", method: payload.title ?? "result", payload };
          context.postMessage!(message);
        });
        bar.append(open);
      }
      bar.append(
        title,
        thresholdLabel,
        opacityLabel,
        filter,
        Object.assign(document.createElement("span"), {
          textContent: `${payload.totalCases ? `${payload.cases.length} of ${payload.totalCases}` : payload.cases.length} cases, highest score first`,
        }),
      );

      const detail = document.createElement("div");
      detail.className = "detail";
      detail.hidden = true;
      const grid = document.createElement("div");
      grid.className = "grid";
      root.append(css, bar, detail, grid);
      element.replaceChildren(root);

      const sorted = sortCases(payload.cases);
      // Captions show what tells the cases apart (usually the file name), not the folders they all share; the full
      // id is the tooltip and the enlarged view's title.
      const names = distinctSuffixes(sorted.map((c) => c.id));
      const tiles: Tile[] = sorted.map((c, k) => {
        const figure = document.createElement("figure");
        figure.className = c.label === null ? "" : c.label ? "anomalous" : "normal";
        figure.dataset.id = c.id;
        const canvas = document.createElement("canvas");
        const caption = document.createElement("figcaption");
        caption.title = c.id;
        caption.append(
          Object.assign(document.createElement("div"), { className: "name", textContent: `${k + 1}. ${names[k]}` }),
          Object.assign(document.createElement("div"), {
            className: "score",
            textContent: `score ${c.score.toPrecision(4)} ${labelText(c)}`,
          }),
        );
        figure.append(canvas, caption);
        grid.appendChild(figure);
        return { c, decoded: decodeCase(c), canvas, figure };
      });

      let enlarged: Tile | undefined;
      const level = () => Number(slider.value);
      const alpha = () => Number(opacity.value) / 100;
      const redraw = () => {
        value.textContent = ` ${level() > 255 ? "off" : levelValue(payload, level()).toPrecision(4)}`;
        for (const t of tiles) paint(t.canvas, t.c, t.decoded, lut, level(), alpha());
        if (enlarged) showDetail(enlarged);
      };
      const showDetail = (t: Tile) => {
        enlarged = t;
        const big = document.createElement("canvas");
        paint(big, t.c, t.decoded, lut, level(), alpha());
        big.title = "click to close";
        const close = Object.assign(document.createElement("button"), { textContent: "Close" });
        const info = document.createElement("div");
        info.append(
          Object.assign(document.createElement("div"), { className: "title", textContent: t.c.id }),
          `score ${t.c.score.toPrecision(6)}`,
          document.createElement("br"),
          labelText(t.c),
          document.createElement("br"),
          `${t.c.width}×${t.c.height}`,
          document.createElement("br"),
          close,
        );
        const hide = () => {
          enlarged = undefined;
          detail.hidden = true;
          detail.replaceChildren();
        };
        big.addEventListener("click", hide);
        close.addEventListener("click", hide);
        detail.replaceChildren(big, info);
        detail.hidden = false;
      };
      for (const t of tiles) t.figure.addEventListener("click", () => showDetail(t));
      let pending = false;
      const schedule = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          redraw();
        });
      };
      slider.addEventListener("input", schedule);
      opacity.addEventListener("input", schedule);
      filter.addEventListener("change", () => {
        for (const t of tiles) t.figure.hidden = filter.value !== "all" && String(t.c.label) !== filter.value;
      });
      redraw();
    } catch (error) {
      showError(element, error);
    }
  },
  disposeOutputItem() {},
});
