// The quickstart tutorial in the real UI: run every cell of notebooks/01-quickstart.ipynb with our kernel; then
// start a long MVFA adaptation, click the stop button while its progress bar is live, check the cell says it was
// stopped and the kernel is still alive, rerun the edited cell and check results appear. The driver clicks the DOM
// button and saves screenshots (scripts/e2e/tutorialChecks.js → test-artifacts/e2e/tutorial-*.png).
import * as assert from "assert";
import * as vscode from "vscode";
import {
  closeActiveWithoutSaving,
  codeCells,
  describeOutputs,
  outputItems,
  runCell,
  scratchNotebook,
  showWithOurKernel,
  startCell,
  textOf,
  waitForExecution,
  waitForRunSince,
  waitUntil,
} from "./notebookHelpers";
import { uiCheck } from "./uiCheckpoint";

const TABLE_MIME = "application/vnd.medad.table+json";
const QUICKSTART_TIMEOUT_MS = 8 * 60_000; // 9 cells incl. MVFA training and a compare grid, on a busy 2-core machine

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder: scripts/e2e/run.sh opens a copy of notebooks/");
  return vscode.Uri.joinPath(folder.uri, name);
}

async function assertUi(name: string): Promise<void> {
  const results = await uiCheck(name);
  if (!results) return; // running without the driver: nothing to click or screenshot
  const failed = results.filter((r) => r.state === "failed");
  assert.deepStrictEqual(failed, [], `ui check ${name}: ${JSON.stringify(failed)}`);
}

const LONG = `%%fewshot --as adapted
dataset: demo
method: mvfa
shots: 4
epochs: 400
model: medad/demo-tiny-clip`;

describe("tutorials in the UI", function () {
  this.timeout(QUICKSTART_TIMEOUT_MS + 60_000);

  // The driver's closing checks look at 00-hello (left in front by the notebook suite): bring it back if open.
  after(async () => {
    const hello = vscode.workspace.notebookDocuments.find((d) => d.uri.path.endsWith("/00-hello.ipynb"));
    if (hello) await vscode.window.showNotebookDocument(hello);
  });

  it("runs the quickstart notebook from the UI: every cell succeeds and the metric tables appear", async () => {
    const doc = await vscode.workspace.openNotebookDocument(workspaceFile("01-quickstart.ipynb"));
    await showWithOurKernel(doc);
    await vscode.commands.executeCommand("notebook.execute");
    const cells = codeCells(doc);
    await waitForExecution(cells, QUICKSTART_TIMEOUT_MS);
    for (const c of cells) assert.strictEqual(c.executionSummary?.success, true, `failed: ${describeOutputs(c)}`);
    const fewshotCells = cells.filter((c) => c.document.getText().startsWith("%%fewshot"));
    assert.strictEqual(fewshotCells.length, 3);
    for (const c of fewshotCells) {
      const table = JSON.parse(outputItems(c).find((i) => i.mime === TABLE_MIME)?.text ?? "null") as {
        rows: unknown[][];
      } | null;
      assert.ok(table && table.rows[0][0] === "image" && typeof table.rows[0][1] === "string", describeOutputs(c));
      // The quickstart uses medad/demo-clip: its results carry the "small demo model" note of its config.
      assert.match(
        outputItems(c)
          .map((i) => i.text)
          .join("\n"),
        /small demo CLIP pretrained/,
        describeOutputs(c),
      );
    }
    const roc = cells.find((c) => c.document.getText().includes("medad.display.roc"))!;
    assert.ok(
      outputItems(roc).some((i) => i.mime === "application/vnd.medad.roc+json"),
      describeOutputs(roc),
    );
    // Scroll the pictures into view for the screenshot.
    await vscode.window.activeNotebookEditor?.revealRange(
      new vscode.NotebookRange(roc.index, roc.index + 1),
      vscode.NotebookEditorRevealType.AtTop,
    );
    await assertUi("tutorialQuickstart");
    await closeActiveWithoutSaving();
  });

  it("stops a running MVFA adaptation with the stop button, keeps the kernel, and reruns it", async () => {
    const doc = await scratchNotebook([LONG, "const alive = 6 * 7;\nalive"]);
    try {
      const long = doc.cellAt(0);
      const since = Date.now();
      startCell(doc, 0);
      // The progress bar is live once training reports epochs.
      await waitUntil(
        () => `the adaptation's progress bar: ${describeOutputs(long)}`,
        () => /train \d+\/\d+ · epoch \d+\/400/.test(textOf(long, "text/plain")),
        180_000,
      );
      await assertUi("tutorialStop");
      await waitForRunSince(long, since, 30_000);
      assert.strictEqual(long.executionSummary?.success, false, describeOutputs(long));
      assert.match(textOf(long, "text/plain"), /stopped/, describeOutputs(long));
      assert.strictEqual(textOf(long, TABLE_MIME), "", `a stopped run showed results: ${describeOutputs(long)}`);
      await assertUi("tutorialStopped");

      await runCell(doc, 1, 60_000);
      assert.strictEqual(
        textOf(doc.cellAt(1), "text/plain"),
        "42",
        `the kernel did not survive the stop: ${describeOutputs(doc.cellAt(1))}`,
      );

      // Rerun the same cell with a short schedule: results appear.
      const edit = new vscode.WorkspaceEdit();
      const text = long.document.getText();
      const at = text.indexOf("epochs: 400");
      edit.replace(
        long.document.uri,
        new vscode.Range(long.document.positionAt(at), long.document.positionAt(at + "epochs: 400".length)),
        "epochs: 2",
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      await runCell(doc, 0, 300_000);
      assert.strictEqual(long.executionSummary?.success, true, describeOutputs(long));
      const table = JSON.parse(outputItems(long).find((i) => i.mime === TABLE_MIME)?.text ?? "null") as {
        title: string;
      } | null;
      assert.match(table?.title ?? "", /MVFA \(adapters trained for 2 epochs/, describeOutputs(long));
      await assertUi("tutorialRerun");
    } finally {
      await closeActiveWithoutSaving();
    }
  });
});
