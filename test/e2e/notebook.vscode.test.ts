// Runs inside the real extension host: our controller executes notebooks/00-hello.ipynb through the notebook UI
// commands, and a failing cell reports an error without losing the kernel's state.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  ERROR,
  cellContaining,
  closeActiveWithoutSaving,
  EXTENSION_ID,
  STDOUT,
  codeCells,
  describeOutputs,
  outputItems,
  runCell,
  scratchNotebook,
  showWithOurKernel,
  textOf,
  waitForExecution,
} from "./notebookHelpers";

const TABLE_MIME = "application/vnd.medad.table+json";

// The first cell pays for the kernel fork and tslab's TypeScript warm-up (seconds on 2 cores).
const RUN_TIMEOUT_MS = 90_000;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder: scripts/e2e/run.sh opens a copy of notebooks/");
  return vscode.Uri.joinPath(folder.uri, name);
}

describe("MedAD Lab notebook controller", () => {
  let hello: vscode.NotebookDocument | undefined;

  it("is the extension installed from the .vsix, in a workspace the person trusted", () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    // scripts/e2e/run.sh installs the packaged .vsix with code-server --install-extension and names the folder.
    const installed = process.env.MEDAD_E2E_INSTALLED_EXT;
    assert.ok(installed, "MEDAD_E2E_INSTALLED_EXT is not set (run via scripts/e2e/run.sh)");
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(installed));
    assert.ok(
      fs.existsSync(path.join(ext.extensionPath, "dist", "extension.js")),
      "the bundled extension.js is missing",
    );
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, "out", "extension")), "unbundled out/extension shipped");
    assert.strictEqual(
      vscode.workspace.isTrusted,
      true,
      "the workspace was not trusted (the driver clicks the dialog)",
    );
  });

  it("runs every cell of 00-hello.ipynb with the expected outputs", async () => {
    hello = await vscode.workspace.openNotebookDocument(workspaceFile("00-hello.ipynb"));
    assert.strictEqual(hello.notebookType, "jupyter-notebook");
    await showWithOurKernel(hello);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive, `${EXTENSION_ID} is not active after opening a jupyter-notebook`);

    await vscode.commands.executeCommand("notebook.execute");
    const cells = codeCells(hello);
    await waitForExecution(cells, RUN_TIMEOUT_MS);
    for (const c of cells) {
      assert.strictEqual(c.executionSummary?.success, true, `failed: ${describeOutputs(c)}`);
    }
    // One kernel, cells in order: execution counts 1..n.
    assert.deepStrictEqual(
      cells.map((c) => c.executionSummary?.executionOrder),
      cells.map((_, i) => i + 1),
    );

    // Cell 1: console.log → stdout; the last expression's value → text/plain.
    const greet = cellContaining(hello, "console.log(greeting)");
    assert.strictEqual(textOf(greet, STDOUT), "Hello from MedAD Lab\n", describeOutputs(greet));
    assert.match(textOf(greet, "text/plain"), /\[\s*2,\s*4,\s*8,\s*16\s*\]/, describeOutputs(greet));

    // medad.display.table → our table MIME (data from the earlier cell's `shots`) plus HTML and text forms.
    const tableCell = cellContaining(hello, "medad.display.table");
    const table = JSON.parse(textOf(tableCell, TABLE_MIME) || "null");
    assert.deepStrictEqual(
      table,
      {
        title: "Few-shot settings",
        columns: ["shots", "normal images", "abnormal images"],
        rows: [
          [1, 1, 1],
          [2, 2, 2],
          [4, 4, 4],
          [8, 8, 8],
        ],
      },
      describeOutputs(tableCell),
    );
    assert.match(textOf(tableCell, "text/html"), /<caption>Few-shot settings<\/caption>/, describeOutputs(tableCell));
    assert.match(
      textOf(tableCell, "text/plain"),
      /shots\s+normal images\s+abnormal images/,
      describeOutputs(tableCell),
    );

    // %%time reports its timing and binds `timeResult`, which the next cell reads; %env sets a variable.
    const timed = cellContaining(hello, "%%time");
    assert.match(
      textOf(timed, STDOUT),
      /Wall time: [\d.]+ m?s, CPU: user [\d.]+ m?s, system [\d.]+ m?s/,
      describeOutputs(timed),
    );
    assert.strictEqual(textOf(timed, "text/plain"), "2999997", `the timed body's value: ${describeOutputs(timed)}`);
    const after = cellContaining(hello, "timeResult.wallMs");
    assert.match(textOf(after, STDOUT), /The loop took \d+ ms \(status: ok\)/, describeOutputs(after));
    assert.match(textOf(after, STDOUT), /env: MEDAD_GREETING=hi/, describeOutputs(after));
    // A string result is shown as is (no quotes).
    assert.strictEqual(textOf(after, "text/plain"), "hi", describeOutputs(after));

    const lsmagic = textOf(cellContaining(hello, "%lsmagic"), STDOUT);
    for (const name of ["%%time", "%env", "%lsmagic", "%help"]) {
      assert.ok(lsmagic.includes(name), `%lsmagic does not list ${name}: ${JSON.stringify(lsmagic)}`);
    }
  });

  it("reports a throwing cell as an error and keeps earlier state for later cells", async () => {
    const doc = await scratchNotebook([
      "const kept = 41;",
      'throw new Error("e2e-boom");',
      'console.log("kept+1=" + (kept + 1));',
    ]);
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
      await closeActiveWithoutSaving();
    }
  });

  // Leave the executed hello notebook in front: the driver screenshots the workbench after the suite.
  after(async () => {
    if (hello) await vscode.window.showNotebookDocument(hello);
  });
});
