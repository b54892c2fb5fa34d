// Browser-side step of test/e2e/magicTypeScript.vscode.test.ts, requested mid-suite through uiCheckpoint files:
// types lines into the focused notebook cell with real keystrokes, pausing before each Enter so that every
// completion provider (ours, TypeScript's, the editor's word list) has answered and its widget is up, as a person
// typing would see it; then presses Enter as that person would. The suite checks the cell text afterwards.
"use strict";
const fs = require("fs");
const path = require("path");

async function suggestLabels(page) {
  const widget = page.locator(".suggest-widget.visible");
  if ((await widget.count()) === 0) return null;
  return widget.first().locator(".monaco-list-row .label-name").allTextContents();
}

async function typeLines(page, artifacts, args) {
  const title = "magic typing: typed the cell with real keystrokes, Enter at each line end";
  const lines = Array.isArray(args?.lines) ? args.lines : [];
  const focused = await page.evaluate(() => !!document.activeElement?.closest(".notebook-editor .monaco-editor"));
  if (!focused) return [{ title, state: "failed", error: "no notebook cell editor has the keyboard focus" }];
  const atEnter = [];
  for (const line of lines) {
    await page.keyboard.type(line, { delay: 40 });
    await page.waitForTimeout(args?.pauseMs ?? 900);
    atEnter.push(await suggestLabels(page));
    await page.keyboard.press("Enter");
  }
  await page.waitForTimeout(300);
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "magic-typing.png") });
  // What a person would have seen when pressing Enter (null: no suggest widget), for the log.
  console.log(`e2e: suggest widget at each Enter: ${JSON.stringify(atEnter)}`);
  return [{ title, state: "passed" }];
}

module.exports = { magicChecks: { magicTyping: typeLines } };
