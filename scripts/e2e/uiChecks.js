// Checks that need the browser, run by driver.js on what the extension-host suite left open. The in-host tests
// see output MIME data only; whether our renderer (webviews/tableRenderer.ts) really drew it is visible only here.
// Each check returns a result in the runner's format ({title, state, error?}) so it counts like any other test.
"use strict";

/** Polls every frame (outputs render in nested webview iframes) until `probe` returns a value or time runs out. */
async function findInFrames(page, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const value = await probe(frame).catch(() => undefined); // frames come and go while the notebook renders
      if (value !== undefined) return value;
    }
    if (Date.now() > deadline) return undefined;
    await page.waitForTimeout(250);
  }
}

/** 00-hello's `medad.display.table` output, drawn by the medad-lab.table renderer (its shadow-DOM `table.medad`). */
async function tableRendered(page) {
  const title = "ui: 00-hello's table is drawn by the medad-lab.table renderer";
  const table = await findInFrames(
    page,
    async (frame) => {
      const caption = frame.locator("table.medad caption"); // Playwright CSS pierces open shadow roots
      if ((await caption.count()) === 0) return undefined;
      return {
        caption: await caption.first().textContent(),
        headers: await frame.locator("table.medad th").allTextContents(),
        rows: await frame.locator("table.medad tbody tr").count(),
      };
    },
    20_000,
  );
  if (!table) return { title, state: "failed", error: "no table.medad in any output frame after 20 s" };
  const expected = { caption: "Few-shot settings", headers: ["shots", "normal images", "abnormal images"], rows: 4 };
  if (JSON.stringify(table) !== JSON.stringify(expected)) {
    return { title, state: "failed", error: `rendered ${JSON.stringify(table)}, expected ${JSON.stringify(expected)}` };
  }
  return { title, state: "passed" };
}

module.exports = { tableRendered, findInFrames };
