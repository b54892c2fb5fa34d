// Browser-side checks of our picture renderers (webviews/*Renderer.ts), requested mid-suite by
// test/e2e/renderers.vscode.test.ts through uiCheckpoint files. Each check finds its output in the nested webview
// frames, asserts on the drawn DOM/canvas, saves an element screenshot under the artifacts folder, and fails if any
// Content-Security-Policy violation was logged so far.
"use strict";
const path = require("path");
const fs = require("fs");
const { findInFrames } = require("./uiChecks");
const { chartLayoutProblems } = require("./layoutChecks");
const { tutorialChecks } = require("./tutorialChecks");
const { magicChecks } = require("./magicChecks");

const TIMEOUT_MS = 45_000;
const METRIC_NAMES = ["image AUROC", "image AP", "image F1-max", "pixel AUROC", "pixel AP", "pixel F1-max"];
// The method names of test/e2e/renderers.vscode.test.ts's ROC cell: as long as the built-in methods' labels.
const ROC_NAME_A = "zero-shot CLIP (MVFA prompt ensemble, projected patch tokens)";
const ROC_NAME_B = "PatchCore-style few-shot (MVFA memory branch on frozen features)";

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

/** How many of the SVG paths have a real outline (plotly leaves empty fill paths for traces without a fill). */
const drawnPaths = (paths) => paths.filter((p) => (p.getAttribute("d") || "").length > 20).length;

/** The layout check of scripts/e2e/layoutChecks.js on a renderer's root element: nothing cut, nothing covered. */
async function expectReadable(results, kind, root) {
  const problems = await root.evaluate(chartLayoutProblems);
  const title = `${kind}: readable layout (no text cut or overflowing, legend off the plot, swatches)`;
  expect(results, title, problems.length === 0, problems.join("\n"));
}

const checks = {
  async roc(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-roc", async (f) => {
      const traces = await f.locator(".medad-roc .scatterlayer .trace").count();
      return traces >= 7
        ? {
            traces,
            names: await f.locator(".medad-roc .medad-legend .name").allTextContents(),
            details: await f.locator(".medad-roc .medad-legend .detail").allTextContents(),
            fills: await f.locator(".medad-roc .scatterlayer .js-fill").evaluateAll(drawnPaths),
          }
        : undefined;
    });
    if (!found) {
      const error = `no .medad-roc with 7 traces after ${TIMEOUT_MS} ms`;
      return [{ title: "roc: plotly drew the curves", state: "failed", error }];
    }
    const { traces, names, details, fills } = found.details;
    expect(r, "roc: chance line + a band (2 edges) and a curve per method", traces === 7, `${traces} traces`);
    expect(r, "roc: the bootstrap band of each curve is filled", fills === 2, `${fills} filled bands`);
    const fullNames = JSON.stringify(names) === JSON.stringify([ROC_NAME_A, ROC_NAME_B]);
    expect(r, "roc: the legend shows each method's full name", fullNames, JSON.stringify(names));
    const aurocLine = /^AUROC \d\.\d{3}, 95% CI \[\d\.\d{3}, \d\.\d{3}\]$/;
    const withCi = details.length === 2 && details.every((t) => aurocLine.test(t));
    expect(r, "roc: the legend gives each AUROC with its interval", withCi, JSON.stringify(details));
    await expectReadable(r, "roc", found.frame.locator(".medad-roc").first());
    await shoot(found.frame, ".medad-roc", artifacts, "renderer-roc.png");
    return r;
  },

  async tsne(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-tsne", async (f) => {
      const traces = await f.locator(".medad-tsne .scatterlayer .trace").count();
      return traces >= 2
        ? { traces, options: await f.locator("select.medad-tsne-coloring option").allTextContents() }
        : undefined;
    });
    if (!found)
      return [
        {
          title: "tsne: plotly drew the cloud",
          state: "failed",
          error: `no .medad-tsne with traces after ${TIMEOUT_MS} ms`,
        },
      ];
    const { frame, details } = found;
    expect(
      r,
      "tsne: ground truth colouring has normal and anomalous",
      details.traces === 2,
      `${details.traces} traces`,
    );
    expect(
      r,
      "tsne: colourings ground truth, prediction, outcome",
      JSON.stringify(details.options) ===
        JSON.stringify(["colour by ground truth", "colour by prediction", "colour by outcome"]),
      JSON.stringify(details.options),
    );
    await expectReadable(r, "tsne", frame.locator(".medad-tsne").first());
    await shoot(frame, ".medad-tsne", artifacts, "renderer-tsne.png");
    await frame.locator("select.medad-tsne-coloring").selectOption("2");
    await page.waitForTimeout(800);
    const legend = await frame.locator(".medad-tsne .legendtext").allTextContents();
    expect(
      r,
      "tsne: switching to outcome shows the false negatives",
      legend.some((t) => t.startsWith("false negative")),
      JSON.stringify(legend),
    );
    await shoot(frame, ".medad-tsne", artifacts, "renderer-tsne-outcome.png");
    return r;
  },

  async heatmap(page, artifacts) {
    const r = [];
    const found = await findOutput(page, ".medad-heatmap", async (f) => {
      const figures = await f.locator(".medad-heatmap figure").count();
      return figures > 0
        ? {
            figures,
            first: await f.locator(".medad-heatmap figure").first().getAttribute("data-id"),
            caption: await f.locator(".medad-heatmap figure figcaption .name").first().textContent(),
          }
        : undefined;
    });
    if (!found)
      return [
        {
          title: "heatmap: the grid is drawn",
          state: "failed",
          error: `no .medad-heatmap figures after ${TIMEOUT_MS} ms`,
        },
      ];
    const { frame, details } = found;
    const ranked = details.figures === 8 && details.first === "Brain_AD/test/Ungood/img/case-7.png";
    expect(r, "heatmap: one tile per case, highest score first", ranked, JSON.stringify(details));
    const caption = details.caption === "1. case-7.png";
    const captionTitle = "heatmap: captions show the file name, not the folders every case shares";
    expect(r, captionTitle, caption, JSON.stringify(details.caption));
    await expectReadable(r, "heatmap", frame.locator(".medad-heatmap").first());
    const centre = () =>
      frame
        .locator(".medad-heatmap figure canvas")
        .first()
        .evaluate((c) => Array.from(c.getContext("2d").getImageData(16, 16, 1, 1).data.slice(0, 3)));
    const before = await centre();
    expect(
      r,
      "heatmap: the map is overlaid at the hot centre",
      !(before[0] === before[1] && before[1] === before[2]),
      `centre pixel ${before}`,
    );
    await shoot(frame, ".medad-heatmap", artifacts, "renderer-heatmap.png");
    await frame.locator(".medad-heatmap input.threshold").evaluate((el) => {
      el.value = el.max; // past the top level: overlay off
      el.dispatchEvent(new Event("input"));
    });
    await page.waitForTimeout(500);
    const after = await centre();
    expect(
      r,
      "heatmap: the threshold slider at its top removes the overlay",
      after.join() === "100,100,100",
      `centre pixel ${after}`,
    );
    await frame.locator(".medad-heatmap figure").nth(1).click();
    await page.waitForTimeout(300);
    const detail = await frame
      .locator(".medad-heatmap .detail")
      .evaluate((d) => ({ hidden: d.hidden, canvases: d.querySelectorAll("canvas").length, text: d.textContent }));
    expect(
      r,
      "heatmap: a click enlarges the case",
      !detail.hidden && detail.canvases === 1 && detail.text.includes("case-6"),
      JSON.stringify(detail),
    );
    await shoot(frame, ".medad-heatmap", artifacts, "renderer-heatmap-enlarged.png");
    return r;
  },

  /** The heatmap output's "Open in explorer" button opens the panel (strict CSP) with one row per case. */
  async explorer(page, artifacts) {
    const r = [];
    const heatmap = await findOutput(page, ".medad-heatmap button.open-explorer", async () => true);
    if (!heatmap)
      return [
        {
          title: "explorer: the heatmap output offers 'Open in explorer'",
          state: "failed",
          error: "no button.open-explorer",
        },
      ];
    await heatmap.frame.locator(".medad-heatmap button.open-explorer").click();
    const found = await findOutput(page, "table.cases", async (f) => {
      const rows = await f.locator("table.cases tr").count();
      return rows > 1 ? { rows, header: await f.locator("table.cases th").allTextContents() } : undefined;
    });
    if (!found)
      return [
        {
          title: "explorer: the panel lists the cases",
          state: "failed",
          error: `no table.cases rows after ${TIMEOUT_MS} ms`,
        },
      ];
    const { frame, details } = found;
    expect(r, "explorer: one row per case plus the header", details.rows === 9, JSON.stringify(details));
    expect(
      r,
      "explorer: a score column for the method",
      details.header.includes("score e2e heatmap"),
      JSON.stringify(details.header),
    );
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
      return bars >= 2
        ? {
            bars,
            rows: await f.locator("table.medad-metrics tbody tr").count(),
            head: await f.locator("table.medad-metrics th").allTextContents(),
          }
        : undefined;
    });
    if (!found)
      return [
        {
          title: "metrics: plotly drew the bars",
          state: "failed",
          error: `no .medad-metrics-plot bars after ${TIMEOUT_MS} ms`,
        },
      ];
    const { bars, rows, head } = found.details;
    expect(
      r,
      "metrics: one bar trace and one table row per method",
      bars === 2 && rows === 2,
      JSON.stringify(found.details),
    );
    const columns = JSON.stringify(head) === JSON.stringify(["method", ...METRIC_NAMES]);
    expect(r, "metrics: columns image and pixel AUROC, AP, F1-max", columns, JSON.stringify(head));
    const parent = found.frame.locator(".medad-metrics-plot").first().locator("xpath=..");
    await expectReadable(r, "metrics", parent);
    fs.mkdirSync(artifacts, { recursive: true });
    await parent.screenshot({ path: path.join(artifacts, "renderer-metrics.png") });
    return r;
  },
};

/** Runs a named check and appends the CSP verdict (violations logged anywhere in the page since it loaded). */
async function runRendererCheck(name, page, artifacts, cspViolations, args) {
  const check = checks[name] ?? tutorialChecks[name] ?? magicChecks[name];
  if (!check) return [{ title: `ui check ${name}`, state: "failed", error: `unknown ui check "${name}"` }];
  const results = await check(page, artifacts, args).catch((e) => [
    { title: `${name}: check ran`, state: "failed", error: String(e.stack || e) },
  ]);
  expect(
    results,
    `${name}: no Content-Security-Policy violation logged`,
    cspViolations.length === 0,
    cspViolations.join("\n"),
  );
  return results;
}

module.exports = { runRendererCheck };
