// Runs inside the real extension host: our controller executes notebooks/00-hello.ipynb through the notebook UI
// commands, and a failing cell reports an error without losing the kernel's state.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  ERROR,
  EXTENSION_ID,
  STDOUT,
  codeCells,
  describeOutputs,
  outputItems,
  runCell,
  showWithOurKernel,
  textOf,
  waitForExecution,
} from "./notebookHelpers";

// The first cell pays for the kernel fork and tslab's TypeScript warm-up (seconds on 2 cores).
const RUN_TIMEOUT_MS = 90_000;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder: scripts/e2e/run.sh opens a copy of notebooks/");
  return vscode.Uri.joinPath(folder.uri, name);
}

describe("MedAD Lab notebook controller", () => {
  let hello: vscode.NotebookDocument | undefined;

  it("runs every cell of 00-hello.ipynb with the expected outputs", async () => {
    hello = await vscode.workspace.openNotebookDocument(workspaceFile("00-hello.ipynb"));
    assert.strictEqual(hello.notebookType, "jupyter-notebook");
    await showWithOurKernel(hello);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive, `${EXTENSION_ID} is not active after opening a jupyter-notebook`);

    await vscode.commands.executeCommand("notebook.execute");
    const cells = codeCells(hello);
    assert.ok(cells.length >= 3, `expected at least 3 code cells, found ${cells.length}`);
    await waitForExecution(cells, RUN_TIMEOUT_MS);

    for (const c of cells) {
      assert.strictEqual(c.executionSummary?.success, true, `failed: ${describeOutputs(c)}`);
      assert.ok((c.executionSummary?.executionOrder ?? 0) > 0, `no execution order: ${describeOutputs(c)}`);
    }
    const all = cells.map(describeOutputs).join("\n");
    // What 00-hello produces: stdout from console.log, a custom-MIME display that also carries text/plain, a magic.
    const stdout = cells.map((c) => textOf(c, STDOUT)).join("");
    assert.match(stdout, /hello from medad/, `no greeting on stdout:\n${all}`);
    const display = cells.find((c) => outputItems(c).some((i) => i.mime === "application/vnd.medad.table+json"));
    assert.ok(display, `no application/vnd.medad.table+json output:\n${all}`);
    const table = JSON.parse(textOf(display, "application/vnd.medad.table+json"));
    assert.deepStrictEqual(table.columns, ["a"]);
    assert.match(stdout, /magic works/, `no output from the %echo magic:\n${all}`);
  });

  it("reports a throwing cell as an error and keeps earlier state for later cells", async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, "const kept = 41;", "typescript"),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'throw new Error("e2e-boom");', "typescript"),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'console.log("kept+1=" + (kept + 1));', "typescript"),
    ]);
    const doc = await vscode.workspace.openNotebookDocument("jupyter-notebook", data);
    await showWithOurKernel(doc);
    try {
      // One cell at a time, as a user would after the error (Run All may stop at the failing cell).
      for (let i = 0; i < 3; i++) await runCell(doc, i, RUN_TIMEOUT_MS);
      const [first, failing, later] = codeCells(doc);
      assert.strictEqual(first.executionSummary?.success, true, describeOutputs(first));
      assert.strictEqual(failing.executionSummary?.success, false, describeOutputs(failing));
      const error = outputItems(failing).find((i) => i.mime === ERROR);
      assert.ok(error, `no ${ERROR} output: ${describeOutputs(failing)}`);
      assert.match(JSON.parse(error.text).message, /e2e-boom/);
      assert.strictEqual(later.executionSummary?.success, true, describeOutputs(later));
      assert.match(textOf(later, STDOUT), /kept\+1=42/, describeOutputs(later));
    } finally {
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
    }
  });

  // Leave the executed hello notebook in front: the driver screenshots the workbench after the suite.
  after(async () => {
    if (hello) await vscode.window.showNotebookDocument(hello);
  });
});
