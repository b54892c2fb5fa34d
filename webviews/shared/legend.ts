/**
 * An HTML legend under a plotly chart: a swatch per entry and its full name, wrapping as the output narrows, so it can
 * never cover the plot or be cut at the edge the way an in-plot legend with long method names is. The name is also
 * the entry's tooltip. Clicking an entry toggles its traces, as plotly's own legend does.
 */
export interface LegendItem {
  name: string;
  /** Second line in muted text (e.g. the AUROC and its interval). */
  detail?: string;
  color: string;
  kind: "line" | "box";
  /** The curve has a shaded band: the swatch shows one behind its line. */
  band?: boolean;
  toggle?: (visible: boolean) => void;
}

export const LEGEND_STYLE = `
  .medad-legend {
    display: flex; flex-direction: column; gap: 4px; margin: 4px 0 0 8px;
    font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
  }
  .medad-legend .entry { display: flex; gap: 8px; align-items: flex-start; cursor: pointer; min-width: 0; }
  .medad-legend .entry.off { opacity: 0.45; }
  .medad-legend .swatch { flex: none; width: 28px; height: 14px; margin-top: 2px; position: relative; }
  .medad-legend .swatch .band { position: absolute; inset: 0; opacity: 0.25; }
  .medad-legend .swatch .line { position: absolute; left: 0; right: 0; top: 6px; height: 3px; }
  .medad-legend .swatch.box .line { top: 1px; height: 12px; }
  .medad-legend .text { min-width: 0; overflow-wrap: anywhere; line-height: 1.35; }
  .medad-legend .detail { color: var(--vscode-descriptionForeground); }
`;

export function htmlLegend(items: LegendItem[]): HTMLElement {
  const legend = document.createElement("div");
  legend.className = "medad-legend";
  for (const item of items) {
    const entry = document.createElement("div");
    entry.className = "entry";
    entry.title = item.detail ? `${item.name}\n${item.detail}` : item.name;
    const swatch = document.createElement("span");
    swatch.className = `swatch ${item.kind}`;
    const part = (className: string) => {
      const el = swatch.appendChild(Object.assign(document.createElement("span"), { className }));
      el.style.background = item.color;
    };
    if (item.band) part("band");
    part("line");
    const text = document.createElement("span");
    text.className = "text";
    text.appendChild(Object.assign(document.createElement("div"), { className: "name", textContent: item.name }));
    if (item.detail) {
      text.appendChild(Object.assign(document.createElement("div"), { className: "detail", textContent: item.detail }));
    }
    entry.append(swatch, text);
    if (item.toggle) {
      entry.addEventListener("click", () => {
        const off = entry.classList.toggle("off");
        item.toggle!(!off);
      });
    }
    legend.appendChild(entry);
  }
  return legend;
}
