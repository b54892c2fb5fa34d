// The results explorer panel (see extension/explorerPanel.ts): cases of every opened result in one table, filtered
// by label or by false positives/negatives at a score threshold, sorted by a method's score, with each method's score
// side by side; CSV and PNG export go to the extension, which owns the save dialog.
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-label/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import { colormapTable } from "../kernel/protocol/colormap";
import {
  mergeMethods,
  rowsToCsv,
  selectRows,
  type CaseFilter,
  type HostToPanelMessage,
  type PanelToHostMessage,
  type ShowResultsMessage,
} from "../kernel/protocol/explorer";
import { composeCase, decodeCase, thresholdLevel } from "../kernel/protocol/heatmapCompose";
import type { HeatmapCase, HeatmapPayload } from "../kernel/protocol/viz";

declare function acquireVsCodeApi(): { postMessage(message: PanelToHostMessage): void };
const vscode = acquireVsCodeApi();

const style = `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
  .bar { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; margin-bottom: 10px; }
  .bar > div { display: flex; flex-direction: column; }
  table { border-collapse: collapse; }
  th, td { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: 3px 8px; text-align: right; }
  th { color: var(--vscode-descriptionForeground); font-weight: 600; }
  td.id { text-align: left; }
  td img { width: 56px; height: 56px; image-rendering: pixelated; display: block; }
  th.sorted, td.sorted { font-weight: bold; }
  .count { color: var(--vscode-descriptionForeground); }
`;

let methods: ShowResultsMessage["methods"] = [];
const thumbnails = new Map<string, HTMLCanvasElement>();

/** Overlay opacity of the thumbnails (the payload's alpha until the opacity slider moves). */
let opacity: number | undefined;

function thumbnail(payload: HeatmapPayload, c: HeatmapCase): HTMLCanvasElement {
  const alpha = opacity ?? payload.alpha;
  const key = `${payload.title ?? ""}\u0000${c.id}\u0000${alpha}`;
  let canvas = thumbnails.get(key);
  if (!canvas) {
    canvas = document.createElement("canvas");
    canvas.width = c.width;
    canvas.height = c.height;
    const rgba = composeCase(
      c,
      decodeCase(c),
      colormapTable(payload.colormap),
      thresholdLevel(payload, payload.threshold),
      alpha,
    );
    canvas
      .getContext("2d")!
      .putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, c.width, c.height), 0, 0);
    thumbnails.set(key, canvas);
  }
  return canvas;
}

function findCase(id: string): { payload: HeatmapPayload; c: HeatmapCase } | undefined {
  for (const { payload } of methods) {
    const c = payload.cases.find((x) => x.id === id);
    if (c) return { payload, c };
  }
  return undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), props);
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  const box = el("div");
  const label = document.createElement("vscode-label");
  label.textContent = text;
  box.append(label, control);
  return box;
}

function select(className: string, options: string[], value: string): HTMLElement & { value: string } {
  const s = document.createElement("vscode-single-select") as HTMLElement & { value: string };
  s.className = className;
  for (const o of options) {
    const opt = document.createElement("vscode-option") as HTMLElement & { value: string };
    opt.value = o;
    opt.textContent = o;
    s.appendChild(opt);
  }
  s.value = value;
  return s;
}

function render(): void {
  const app = document.getElementById("app")!;
  if (methods.length === 0) {
    app.textContent = app.dataset.empty ?? "";
    return;
  }
  const names = methods.map((m) => m.method);
  const methodSelect = select("method", names, names[0]);
  const filterSelect = select("filter", ["all", "anomalous", "normal", "false positives", "false negatives"], "all");
  const threshold = document.createElement("vscode-textfield") as HTMLElement & { value: string };
  threshold.className = "threshold";
  const button = (text: string, className: string) =>
    Object.assign(document.createElement("vscode-button"), { textContent: text, className });
  const csv = button("Export CSV", "export-csv");
  const png = button("Export PNG", "export-png");
  const count = el("span", { className: "count" });
  const alphaSlider = el("input", { type: "range", min: "0", max: "100", step: "5", className: "opacity" });
  alphaSlider.value = String(Math.round(100 * (opacity ?? methods[0].payload.alpha)));
  const table = el("table", { className: "cases" });
  const bar = el("div", { className: "bar" });
  bar.append(
    labelled("sort by", methodSelect),
    labelled("show", filterSelect),
    labelled("score threshold", threshold),
    labelled("overlay opacity", alphaSlider),
    csv,
    png,
    count,
  );
  app.replaceChildren(el("style", { textContent: style }), bar, table);

  const rows = mergeMethods(methods);
  // The result's calibrated decision threshold when it has one (normal images only), else mid-range.
  const defaultThreshold = (m: number) => {
    const calibrated = methods[m]?.payload.scoreThreshold;
    if (calibrated !== undefined && Number.isFinite(calibrated)) return calibrated;
    const scores = rows
      .map((r) => r.scores[m])
      .filter((s): s is number => s !== null)
      .sort((a, b) => a - b);
    return scores.length ? (scores[0] + scores[scores.length - 1]) / 2 : 0;
  };
  threshold.value = defaultThreshold(0).toPrecision(4);
  let shown = rows;

  const draw = () => {
    const m = Math.max(0, names.indexOf(methodSelect.value));
    shown = selectRows(rows, filterSelect.value as CaseFilter, m, Number(threshold.value));
    count.textContent = `${shown.length} of ${rows.length} cases`;
    const head = el("tr");
    for (const [k, h] of ["", "case", "label", ...names.map((n) => `score ${n}`)].entries())
      head.appendChild(el("th", { textContent: h, className: k - 3 === m ? "sorted" : "" }));
    const body = shown.map((r) => {
      const tr = el("tr");
      const found = findCase(r.id);
      const img = el("td");
      if (found) img.appendChild(el("img", { src: thumbnail(found.payload, found.c).toDataURL(), alt: r.id }));
      tr.append(
        img,
        el("td", { className: "id", textContent: r.id }),
        el("td", { textContent: r.label === null ? "" : r.label ? "anomalous" : "normal" }),
      );
      r.scores.forEach((s, k) =>
        tr.appendChild(
          el("td", { textContent: s === null ? "–" : s.toPrecision(4), className: k === m ? "sorted" : "" }),
        ),
      );
      return tr;
    });
    table.replaceChildren(head, ...body);
  };
  methodSelect.addEventListener("change", () => {
    threshold.value = defaultThreshold(Math.max(0, names.indexOf(methodSelect.value))).toPrecision(4);
    draw();
  });
  filterSelect.addEventListener("change", draw);
  threshold.addEventListener("input", draw);
  alphaSlider.addEventListener("input", () => {
    opacity = Number(alphaSlider.value) / 100;
    draw();
  });
  csv.addEventListener("click", () =>
    vscode.postMessage({ type: "exportCsv", fileName: "medad-cases.csv", csv: rowsToCsv(shown, names) }),
  );
  png.addEventListener("click", () => {
    // A contact sheet of the shown cases (at most 64), 4 per row, each at its stored size.
    const list = shown
      .slice(0, 64)
      .map((r) => findCase(r.id))
      .filter((x): x is NonNullable<typeof x> => !!x);
    const size = Math.max(1, ...list.map((x) => Math.max(x.c.width, x.c.height)));
    const sheet = el("canvas", { width: 4 * size, height: Math.max(1, Math.ceil(list.length / 4)) * size });
    const ctx = sheet.getContext("2d")!;
    list.forEach((x, k) => ctx.drawImage(thumbnail(x.payload, x.c), (k % 4) * size, Math.floor(k / 4) * size));
    vscode.postMessage({
      type: "exportPng",
      fileName: "medad-cases.png",
      base64: sheet.toDataURL("image/png").split(",")[1],
    });
  });
  draw();
}

window.addEventListener("message", (event: MessageEvent<HostToPanelMessage>) => {
  if (event.data?.type !== "showResults") return;
  methods = event.data.methods;
  thumbnails.clear();
  render();
});
render();
vscode.postMessage({ type: "ready" });
