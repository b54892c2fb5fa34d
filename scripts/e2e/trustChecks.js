// Workspace trust in the end-to-end tier, done in the browser as a person does it (driver.js calls these):
// answering the "Do you trust the authors of the files in this folder?" dialog, and the untrusted-folder check:
// a second window opens scripts/e2e/untrusted.ipynb from a folder outside the workspace, the person answers
// "No, I don't trust the authors", runs the notebook, and the cell (which writes a marker file) must not run.
"use strict";
const fs = require("fs");
const path = require("path");
const { findInFrames } = require("./uiChecks");

const TRUST = "Yes, I trust the authors";
const DISTRUST = "No, I don't trust the authors";
const REFUSAL = "MedAD Lab runs no code in an untrusted workspace";
const MARKER = "ran-untrusted.txt"; // written by untrusted.ipynb's only cell

/** Waits for a dialog button labelled `name`, screenshots the dialog, clicks it. Returns false if none came. */
async function answerDialog(page, name, timeoutMs, shot) {
  const button = page.locator(".monaco-dialog-box .monaco-button", { hasText: name }).first();
  try {
    await button.waitFor({ state: "visible", timeout: timeoutMs });
  } catch {
    return false;
  }
  if (shot) await page.screenshot({ path: shot });
  await button.click();
  return true;
}

/**
 * The person opens the test workspace and trusts it in the startup dialog. This happens in a window of its own,
 * before the test window: with an extensionTestsPath VS Code refuses every dialog ("refused to show dialog in
 * tests"). The trust is stored by the workbench and holds for the test window of the same browser context.
 */
async function trustWorkspace(context, url, artifacts) {
  fs.mkdirSync(artifacts, { recursive: true });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    const ok = await answerDialog(page, TRUST, 60_000, path.join(artifacts, "trust-dialog.png"));
    console.log(ok ? `driver: clicked "${TRUST}"` : "driver: no workspace trust dialog within 60 s");
    // The workbench writes its storage shortly after a change; give it time before this window goes away.
    if (ok) await page.waitForTimeout(2500);
    return ok;
  } finally {
    await page.close({ runBeforeUnload: true });
  }
}

async function openFromExplorer(page, fileName) {
  const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: fileName }).first();
  try {
    await row.waitFor({ state: "visible", timeout: 20_000 });
    await row.click();
  } catch {
    // Explorer hidden or slow: quick open finds the file as well.
    await page.keyboard.press("Control+P");
    await page.keyboard.type(fileName);
    await page.waitForTimeout(1000);
    await page.keyboard.press("Enter");
  }
  await page.locator(".notebook-editor:visible").first().waitFor({ timeout: 30_000 });
}

/** The notebook toolbar's "Run All" button, as a person clicks it. */
async function runAll(page) {
  const editor = page.locator(".notebook-editor:visible").first();
  const button = editor
    .locator('a.action-label[aria-label^="Run All"]')
    .or(editor.getByRole("button", { name: /^Run All/ }));
  await button.first().click({ timeout: 15_000 });
}

/** A notebook from an untrusted folder: Run All must run nothing. Returns a result in the runner's format. */
async function untrustedFolderRunsNothing(context, base, folder, artifacts) {
  const title = "ui: a notebook in an untrusted folder runs nothing (restricted mode, Run All)";
  const marker = path.join(folder, MARKER);
  const page = await context.newPage();
  try {
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    if (!(await answerDialog(page, DISTRUST, 60_000))) {
      return { title, state: "failed", error: `no trust dialog with "${DISTRUST}" when opening ${folder}` };
    }
    const restricted = page.locator(".statusbar", { hasText: "Restricted Mode" }).first();
    await restricted.waitFor({ timeout: 15_000 }).catch(() => undefined);
    const inRestrictedMode = (await restricted.count()) > 0;
    await openFromExplorer(page, "untrusted.ipynb");
    await page.waitForTimeout(1500); // the controller picks the notebook up (affinity from its tslab kernelspec)
    await runAll(page);
    // Either VS Code asks for trust before it executes (the person cancels), or our controller gets the cells and
    // answers with its refusal output. Anything else means the run was not even attempted: not a pass.
    let askedForTrust = false;
    let refused = false;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !askedForTrust && !refused) {
      askedForTrust = await answerDialog(page, "Cancel", 500, path.join(artifacts, "untrusted-run-dialog.png"));
      if (!askedForTrust) {
        refused =
          (await findInFrames(
            page,
            async (f) => ((await f.getByText(REFUSAL).count()) > 0 ? true : undefined),
            500,
          )) === true;
      }
    }
    await page.waitForTimeout(4000); // time for a kernel that was (wrongly) started to run the cell
    await page.screenshot({ path: path.join(artifacts, "untrusted-notebook.png") });
    const ran = fs.existsSync(marker);
    const seen =
      `restricted mode shown: ${inRestrictedMode}, VS Code asked for trust: ${askedForTrust}, ` +
      `MedAD Lab's refusal shown: ${refused}, marker written: ${ran}`;
    console.log(`driver: untrusted folder — ${seen}`);
    if (ran)
      return { title, state: "failed", error: `the cell ran in the untrusted folder (${marker} exists); ${seen}` };
    if (!inRestrictedMode) return { title, state: "failed", error: `the window is not in Restricted Mode; ${seen}` };
    if (!askedForTrust && !refused) {
      return { title, state: "failed", error: `Run All neither asked for trust nor reached MedAD Lab; ${seen}` };
    }
    return { title, state: "passed" };
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, "untrusted-notebook.png") }).catch(() => undefined);
    return { title, state: "failed", error: String(e.stack || e) };
  } finally {
    await page.close();
  }
}

module.exports = { trustWorkspace, untrustedFolderRunsNothing };
