// The extension's kernel glue driven through VS Code's own commands: the notebook toolbar's stop button reaches our
// interrupt handler (SIGINT to the kernel process), and "MedAD Lab: Restart Kernel" really starts a fresh kernel.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  ERROR,
  closeActiveWithoutSaving,
  describeOutputs,
  outputItems,
  runCell,
  scratchNotebook,
  startCell,
  textOf,
  waitForRunSince,
  waitUntil,
  STDOUT,
} from "./notebookHelpers";

const RUN_TIMEOUT_MS = 90_000;

describe("MedAD Lab kernel commands", () => {
  afterEach(closeActiveWithoutSaving);

  it("stops a busy cell with the notebook's stop command and keeps the kernel's state", async () => {
    // A pending await, not a sync loop: the point here is the glue (stop → interruptHandler → SIGINT), and a loop
    // after an await runs outside tslab's breakOnSigint (sync loops are covered by the kernel's integration tests).
    const doc = await scratchNotebook([
      "const kept = 7;",
      'console.log("waiting"); await new Promise((r) => setTimeout(r, 600_000));',
      "kept * 6",
    ]);
    await runCell(doc, 0, RUN_TIMEOUT_MS);
    const busy = doc.cellAt(1);
    const since = Date.now();
    startCell(doc, 1);
    const seen = () => `the cell to print 'waiting': ${describeOutputs(busy)}`;
    await waitUntil(seen, () => textOf(busy, STDOUT).includes("waiting"), 30_000);

    await vscode.commands.executeCommand("notebook.cancelExecution");
    await waitForRunSince(busy, since, 20_000);
    assert.strictEqual(busy.executionSummary?.success, false, describeOutputs(busy));
    assert.ok(
      outputItems(busy).some((i) => i.mime === ERROR),
      `no error output after the stop: ${describeOutputs(busy)}`,
    );

    await runCell(doc, 2, RUN_TIMEOUT_MS);
    assert.strictEqual(textOf(doc.cellAt(2), "text/plain"), "42", describeOutputs(doc.cellAt(2)));
  });

  it("medad.restartKernel starts a fresh kernel: earlier variables are gone, new cells run", async () => {
    const doc = await scratchNotebook(["const kept = 7;", "kept * 6"]);
    const use = doc.cellAt(1);
    await runCell(doc, 0, RUN_TIMEOUT_MS);
    await runCell(doc, 1, RUN_TIMEOUT_MS);
    assert.strictEqual(textOf(use, "text/plain"), "42", describeOutputs(use));

    await vscode.commands.executeCommand("medad.restartKernel");
    await runCell(doc, 1, RUN_TIMEOUT_MS);
    assert.strictEqual(use.executionSummary?.success, false, `kept survived the restart: ${describeOutputs(use)}`);
    assert.match(
      outputItems(use)
        .map((i) => i.text)
        .join("\n"),
      /kept/,
      describeOutputs(use),
    );

    await runCell(doc, 0, RUN_TIMEOUT_MS);
    await runCell(doc, 1, RUN_TIMEOUT_MS);
    assert.strictEqual(textOf(use, "text/plain"), "42", describeOutputs(use));
  });
});
