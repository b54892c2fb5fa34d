// Helpers for the extension-host suites: select our controller, run cells, wait until they finish, read outputs.
import * as assert from "assert";
import * as vscode from "vscode";

export const EXTENSION_ID = "medad.medad-lab";
export const CONTROLLER_ID = "medad-lab.kernel";
export const STDOUT = "application/vnd.code.notebook.stdout";
export const STDERR = "application/vnd.code.notebook.stderr";
export const ERROR = "application/vnd.code.notebook.error";

const decoder = new TextDecoder();

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Shows the notebook and makes our controller its kernel (the command acts on the active notebook editor). */
export async function showWithOurKernel(doc: vscode.NotebookDocument): Promise<vscode.NotebookEditor> {
  const editor = await vscode.window.showNotebookDocument(doc);
  // A suite that runs first (MEDAD_E2E_GREP) may get here before the notebook activated us: no controller to pick.
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  await vscode.commands.executeCommand("notebook.selectKernel", { id: CONTROLLER_ID, extension: EXTENSION_ID });
  return editor;
}

export function codeCells(doc: vscode.NotebookDocument): vscode.NotebookCell[] {
  return doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
}

/**
 * Waits until every given cell carries a success flag: only NotebookCellExecution.end() sets it (cells read from an
 * .ipynb get at most an executionOrder), so it means "this execution finished" for freshly opened documents.
 * Stops early when a cell fails: like Jupyter, our controller then ends the queued cells without a success flag.
 */
export async function waitForExecution(cells: vscode.NotebookCell[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cells.some((c) => c.executionSummary?.success === false)) return;
    const pending = cells.filter((c) => typeof c.executionSummary?.success !== "boolean");
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      const where = pending.map((c) => `#${c.index}: ${c.document.getText().split("\n")[0]}`).join("; ");
      assert.fail(`cells still running or never started after ${timeoutMs} ms: ${where}`);
    }
    await sleep(200);
  }
}

/**
 * Starts one cell through the UI command (as a user would). The command's promise settles only when the run ends,
 * so it is not awaited here: a cell that never ends (the interrupt test) would hang the caller.
 */
export function startCell(doc: vscode.NotebookDocument, index: number): void {
  const args = { ranges: [{ start: index, end: index + 1 }], document: doc.uri };
  vscode.commands.executeCommand("notebook.cell.execute", args).then(undefined, (err) => {
    console.error(`e2e: notebook.cell.execute failed for cell #${index}: ${err}`);
  });
}

/**
 * Waits for an execution of the cell that ended at or after `since` (ms epoch). Unlike waitForExecution this also
 * works for cells that already ran once: a stale success flag has an older end time.
 */
export async function waitForRunSince(cell: vscode.NotebookCell, since: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = cell.executionSummary;
    if (typeof s?.success === "boolean" && (s.timing?.endTime ?? 0) >= since) return;
    if (Date.now() > deadline)
      assert.fail(`cell #${cell.index} did not finish within ${timeoutMs} ms: ${describeOutputs(cell)}`);
    await sleep(200);
  }
}

/** Runs one cell through the UI command and waits for that run to end. */
export async function runCell(doc: vscode.NotebookDocument, index: number, timeoutMs: number): Promise<void> {
  const since = Date.now();
  startCell(doc, index);
  await waitForRunSince(doc.cellAt(index), since, timeoutMs);
}

/** Polls until `predicate` holds (for states the API has no event for). */
export async function waitUntil(what: () => string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(100);
  }
}

/** A new untitled jupyter-notebook of TypeScript code cells, shown with our kernel selected. */
export async function scratchNotebook(sources: string[]): Promise<vscode.NotebookDocument> {
  const cells = sources.map((src) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, src, "typescript"));
  const doc = await vscode.workspace.openNotebookDocument("jupyter-notebook", new vscode.NotebookData(cells));
  await showWithOurKernel(doc);
  return doc;
}

/** Closes the active (scratch) editor without a save prompt; closing the notebook also stops its kernel. */
export async function closeActiveWithoutSaving(): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
}

/** Every output item of a cell as {mime, text}. */
export function outputItems(cell: vscode.NotebookCell): { mime: string; text: string }[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => ({ mime: i.mime, text: decoder.decode(i.data) })));
}

export function textOf(cell: vscode.NotebookCell, mime: string): string {
  return outputItems(cell)
    .filter((i) => i.mime === mime)
    .map((i) => i.text)
    .join("");
}

/** The code cell whose source contains `snippet` (found by content so inserted cells do not shift the tests). */
export function cellContaining(doc: vscode.NotebookDocument, snippet: string): vscode.NotebookCell {
  const cell = codeCells(doc).find((c) => c.document.getText().includes(snippet));
  assert.ok(cell, `no code cell containing ${JSON.stringify(snippet)} in ${doc.uri.path}`);
  return cell;
}

/** One-line description of a cell's outputs for assertion messages. */
export function describeOutputs(cell: vscode.NotebookCell): string {
  const items = outputItems(cell).map((i) => `${i.mime}: ${JSON.stringify(i.text.slice(0, 200))}`);
  return `cell #${cell.index} (${JSON.stringify(cell.document.getText().slice(0, 80))}) outputs [${items.join(", ")}]`;
}
