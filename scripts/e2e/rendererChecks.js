// Browser-side checks of our picture renderers (webviews/*Renderer.ts), requested mid-suite by
// test/e2e/renderers.vscode.test.ts through uiCheckpoint files. Each check finds its output in the nested webview
// frames, asserts on the drawn DOM/canvas, saves an element screenshot under the artifacts folder, and fails if any
// Content-Security-Policy violation was logged so far.
"use strict";
const path = require("path");
const fs = require("fs");
const { findInFrames } = require("./uiChecks");
const { tutorialChecks } = require("./tutorialChecks");
const { magicChecks } = require("./magicChecks");

const TIMEOUT_MS = 45_000;

/** Waits for `selector` in some frame until `ready(frame)` returns details; returns { frame, details } or undefined. */
async function findOutput(page, selector, ready) {
  return findInFrames(
    page,
    async (frame) => {
      if ((await frame.locator(selector).count()) === 0) return undefined;
      const details = await ready(frame);
      return details === undefined ? undefined : { frame, details };
    },
    TIMEOUT_MS,
  );
}

async function shoot(frame, selector, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await frame.locator(selector).first().screenshot({ path: file });
  console.log(`driver: screenshot ${file}`);
}

function expect(results, title, ok, error) {
  results.push(ok ? { title, state: "passed" } : { title, state: "failed", error });
}

const checks = {
  async roc(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-roc", async (f) => {
      const traces = await f.locator(".medad-roc .scatterlayer .trace").count();
      return traces >= 3 ? { traces, legend: await f.locator(".medad-roc .legendtext").allTextContents() } : undefined;
    });
    if (!found) return [{ title: "roc: plotly drew the curves", state: "failed", error: `no .medad-roc with 3 traces after ${TIMEOUT_MS} ms` }];
    const { traces, legend } = found.details;
    expect(r, "roc: chance line + one curve per method", traces === 3, `${traces} traces`);
    expect(r, "roc: legend names each method with AUROC and interval", legend.length === 2 && legend.every((t) => /^method [AB] \(AUROC \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]\)$/.test(t)), JSON.stringify(legend));
    await shoot(found.frame, ".medad-roc", artifacts, "renderer-roc.png");
    return r;
  },

  async tsne(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-tsne", async (f) => {
      const traces = await f.locator(".medad-tsne .scatterlayer .trace").count();
      return traces >= 2 ? { traces, options: await f.locator("select.medad-tsne-coloring option").allTextContents() } : undefined;
    });
    if (!found) return [{ title: "tsne: plotly drew the cloud", state: "failed", error: `no .medad-tsne with traces after ${TIMEOUT_MS} ms` }];
    const { frame, details } = found;
    expect(r, "tsne: ground truth colouring has normal and anomalous", details.traces === 2, `${details.traces} traces`);
    expect(r, "tsne: colourings ground truth, prediction, outcome", JSON.stringify(details.options) === JSON.stringify(["colour by ground truth", "colour by prediction", "colour by outcome"]), JSON.stringify(details.options));
    await shoot(frame, ".medad-tsne", artifacts, "renderer-tsne.png");
    await frame.locator("select.medad-tsne-coloring").selectOption("2");
    await page.waitForTimeout(800);
    const legend = await frame.locator(".medad-tsne .legendtext").allTextContents();
    expect(r, "tsne: switching to outcome shows the false negatives", legend.some((t) => t.startsWith("false negative")), JSON.stringify(legend));
    await shoot(frame, ".medad-tsne", artifacts, "renderer-tsne-outcome.png");
    return r;
  },

  async heatmap(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-heatmap", async (f) => {
      const figures = await f.locator(".medad-heatmap figure").count();
      return figures > 0 ? { figures, first: await f.locator(".medad-heatmap figure").first().getAttribute("data-id") } : undefined;
    });
    if (!found) return [{ title: "heatmap: the grid is drawn", state: "failed", error: `no .medad-heatmap figures after ${TIMEOUT_MS} ms` }];
    const { frame, details } = found;
    expect(r, "heatmap: one tile per case, highest score first", details.figures === 8 && details.first === "case-7", JSON.stringify(details));
    const centre = () =>
      frame.locator(".medad-heatmap figure canvas").first().evaluate((c) => Array.from(c.getContext("2d").getImageData(16, 16, 1, 1).data.slice(0, 3)));
    const before = await centre();
    expect(r, "heatmap: the map is overlaid at the hot centre", !(before[0] === before[1] && before[1] === before[2]), `centre pixel ${before}`);
    await shoot(frame, ".medad-heatmap", artifacts, "renderer-heatmap.png");
    await frame.locator(".medad-heatmap input.threshold").evaluate((el) => {
      el.value = el.max; // past the top level: overlay off
      el.dispatchEvent(new Event("input"));
    });
    await page.waitForTimeout(500);
    const after = await centre();
    expect(r, "heatmap: the threshold slider at its top removes the overlay", after.join() === "100,100,100", `centre pixel ${after}`);
    await frame.locator(".medad-heatmap figure").nth(1).click();
    await page.waitForTimeout(300);
    const detail = await frame.locator(".medad-heatmap .detail").evaluate((d) => ({ hidden: d.hidden, canvases: d.querySelectorAll("canvas").length, text: d.textContent }));
    expect(r, "heatmap: a click enlarges the case", !detail.hidden && detail.canvases === 1 && detail.text.includes("case-6"), JSON.stringify(detail));
    await shoot(frame, ".medad-heatmap", artifacts, "renderer-heatmap-enlarged.png");
    return r;
  },

  /** The heatmap output's "Open in explorer" button opens the panel (strict CSP) with one row per case. */
  async explorer(page, artifacts) {
    const r = [];
    const heatmap = await findOutput(page, ".medad-heatmap button.open-explorer", async () => true);
    if (!heatmap) return [{ title: "explorer: the heatmap output offers 'Open in explorer'", state: "failed", error: "no button.open-explorer" }];
    await heatmap.frame.locator(".medad-heatmap button.open-explorer").click();
    const found = await findOutput(page, "table.cases", async (f) => {
      const rows = await f.locator("table.cases tr").count();
      return rows > 1 ? { rows, header: await f.locator("table.cases th").allTextContents() } : undefined;
    });
    if (!found) return [{ title: "explorer: the panel lists the cases", state: "failed", error: `no table.cases rows after ${TIMEOUT_MS} ms` }];
    const { frame, details } = found;
    expect(r, "explorer: one row per case plus the header", details.rows === 9, JSON.stringify(details));
    expect(r, "explorer: a score column for the method", details.header.includes("score e2e heatmap"), JSON.stringify(details.header));
    await frame.locator("vscode-single-select.filter").evaluate((s) => {
      s.value = "anomalous";
      s.dispatchEvent(new Event("change"));
    });
    await page.waitForTimeout(300);
    const anomalous = await frame.locator("table.cases tr").count();
    expect(r, "explorer: the label filter keeps the 4 anomalous cases", anomalous === 5, `${anomalous - 1} rows`);
    fs.mkdirSync(artifacts, { recursive: true });
    await frame.locator("body").screenshot({ path: path.join(artifacts, "panel-explorer.png") });
    await page.screenshot({ path: path.join(artifacts, "workbench-explorer.png") });
    return r;
  },

  async metrics(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-metrics-plot", async (f) => {
      const bars = await f.locator(".medad-metrics-plot .barlayer .trace").count();
      return bars >= 2 ? { bars, rows: await f.locator("table.medad-metrics tbody tr").count(), head: await f.locator("table.medad-metrics th").allTextContents() } : undefined;
    });
    if (!found) return [{ title: "metrics: plotly drew the bars", state: "failed", error: `no .medad-metrics-plot bars after ${TIMEOUT_MS} ms` }];
    const { bars, rows, head } = found.details;
    expect(r, "metrics: one bar trace and one table row per method", bars === 2 && rows === 2, JSON.stringify(found.details));
    expect(r, "metrics: columns AUROC, AP, F1-max", JSON.stringify(head) === JSON.stringify(["method", "AUROC", "AP", "F1-max"]), JSON.stringify(head));
    const parent = found.frame.locator(".medad-metrics-plot").first().locator("xpath=..");
    fs.mkdirSync(artifacts, { recursive: true });
    await parent.screenshot({ path: path.join(artifacts, "renderer-metrics.png") });
    return r;
  },
};

/** Runs a named check and appends the CSP verdict (violations logged anywhere in the page since it loaded). */
async function runRendererCheck(name, page, artifacts, cspViolations, args) {
  const check = checks[name] ?? tutorialChecks[name] ?? magicChecks[name];
  if (!check) return [{ title: `ui check ${name}`, state: "failed", error: `unknown ui check "${name}"` }];
  const results = await check(page, artifacts, args).catch((e) => [{ title: `${name}: check ran`, state: "failed", error: String(e.stack || e) }]);
  expect(results, `${name}: no Content-Security-Policy violation logged`, cspViolations.length === 0, cspViolations.join("\n"));
  return results;
}

module.exports = { runRendererCheck };
