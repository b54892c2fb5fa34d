// Browser-side steps of test/e2e/tutorials.vscode.test.ts, requested mid-suite through uiCheckpoint files: click the
// notebook's stop button the way a user does (the in-host suite cannot press DOM buttons), and take screenshots of
// the workbench at chosen moments. Each returns results in the runner's format, so they count as tests.
"use strict";
const fs = require("fs");
const path = require("path");
const { findInFrames } = require("./uiChecks");
const { chartLayoutProblems } = require("./layoutChecks");

// With an interrupt handler the notebook toolbar shows "Interrupt"; the running cell's own button is "Stop Cell
// Execution" (or "Stop Execution" in some Code versions). Any of them ends in our interrupt handler.
const STOP_SELECTORS = [
  '.notebook-toolbar-container a.action-label[aria-label^="Interrupt"]',
  'a.action-label[aria-label^="Interrupt"]',
  'a.action-label[aria-label^="Stop Cell Execution"]',
  'a.action-label[aria-label^="Stop Execution"]',
];

async function shot(page, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.waitForTimeout(1000); // let output webviews paint what just arrived
  await page.screenshot({ path: path.join(artifacts, name) });
  console.log(`driver: screenshot ${path.join(artifacts, name)}`);
}

async function clickStop(page, artifacts) {
  await shot(page, artifacts, "tutorial-adaptation-running.png");
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const selector of STOP_SELECTORS) {
      const button = page.locator(selector).first();
      if ((await button.count()) > 0 && (await button.isVisible().catch(() => false))) {
        const label = await button.getAttribute("aria-label");
        await button.click();
        return [{ title: `tutorial: clicked the stop button in the UI ("${label}")`, state: "passed" }];
      }
    }
    if (Date.now() > deadline) {
      return [
        {
          title: "tutorial: clicked the stop button in the UI",
          state: "failed",
          error: `none of ${STOP_SELECTORS.join(" | ")} was visible within 20 s`,
        },
      ];
    }
    await page.waitForTimeout(250);
  }
}

function screenshotStep(name) {
  return async (page, artifacts) => {
    await shot(page, artifacts, `${name}.png`);
    return [{ title: `tutorial: screenshot ${name}.png`, state: "passed" }];
  };
}

/**
 * The quickstart's ROC cell drawn by our renderer (3 methods, `ci: true`: 3 filled bands), readable (layoutChecks.js,
 * on the ROC and on the metrics chart of the same cell), then a screenshot of the notebook with it in view.
 */
async function quickstartPictures(page, artifacts) {
  const title = "tutorial: the quickstart's ROC output is drawn (3 curves with bootstrap bands)";
  const found = await findInFrames(
    page,
    async (frame) => {
      const n = await frame.locator(".medad-roc .scatterlayer .trace").count();
      if (n < 10) return undefined;
      const fills = await frame
        .locator(".medad-roc .scatterlayer .js-fill")
        .evaluateAll((paths) => paths.filter((p) => (p.getAttribute("d") || "").length > 20).length);
      return { frame, n, fills };
    },
    45_000,
  );
  await shot(page, artifacts, "tutorial-quickstart.png");
  if (!found) {
    const error = "no .medad-roc with 10 traces (chance, 3 bands of 2 edges, 3 curves) in any frame after 45 s";
    return [{ title, state: "failed", error }];
  }
  const error = `${found.n} traces, ${found.fills} filled bands`;
  const results = [found.fills === 3 ? { title, state: "passed" } : { title, state: "failed", error }];
  const roots = [["ROC", found.frame.locator(".medad-roc").first()]];
  const metrics = found.frame.locator(".medad-metrics-plot");
  if ((await metrics.count()) > 0) roots.push(["metrics", metrics.first().locator("xpath=..")]);
  for (const [kind, root] of roots) {
    const problems = await root.evaluate(chartLayoutProblems);
    const t = `tutorial: the quickstart's ${kind} chart is readable (nothing cut, legend off the plot)`;
    const failed = { title: t, state: "failed", error: problems.join("\n") };
    results.push(problems.length === 0 ? { title: t, state: "passed" } : failed);
  }
  return results;
}

const tutorialChecks = {
  tutorialStop: clickStop,
  tutorialQuickstart: quickstartPictures,
  tutorialStopped: screenshotStep("tutorial-adaptation-stopped"),
  tutorialRerun: screenshotStep("tutorial-adaptation-rerun"),
};

module.exports = { tutorialChecks };
