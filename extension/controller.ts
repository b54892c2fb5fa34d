import * as vscode from "vscode";
import { appendOutput, type CellOutput } from "../kernel/protocol/outputs";
import { takeExploreRequest, type ExploreRequest } from "../kernel/protocol/explorer";
import { isTypeScriptNotebook } from "./affinity";
import type { KernelManager } from "./kernels";
import { toNotebookOutput } from "./outputItems";

export const CONTROLLER_ID = "medad-lab.kernel";
export const CONTROLLER_LABEL = "MedAD Lab (TypeScript)";

/** Stream chunks arrive fast; the cell's outputs are redrawn at most this often. */
const FLUSH_MS = 50;

/** What the rest of the extension hears about a run: explore requests (`%explore`) and each cell's outputs. */
export interface ControllerHooks {
  onExplore?(request: ExploreRequest): void;
  onCellOutputs?(cell: vscode.NotebookCell, outputs: readonly CellOutput[]): void;
  /** Our kernel was picked for a notebook. */
  onSelected?(notebook: vscode.NotebookDocument): void;
}

/** The notebook controller: runs cells of `.ipynb` notebooks in a MedAD Lab kernel process. */
export class MedadController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly executionOrder = new WeakMap<vscode.NotebookDocument, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Notebooks whose kernel is ours right now (picked by the user or by affinity). */
  private readonly selected = new WeakSet<vscode.NotebookDocument>();

  constructor(
    private readonly kernels: KernelManager,
    private readonly hooks: ControllerHooks = {},
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, "jupyter-notebook", CONTROLLER_LABEL);
    this.controller.supportedLanguages = ["typescript", "javascript"];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = "TypeScript cells, %magics and the medad API";
    this.controller.executeHandler = (cells, notebook) => this.executeCells(cells, notebook);
    // One kernel runs one cell at a time, so "interrupt whatever runs" is the right model (SIGINT).
    this.controller.interruptHandler = (notebook) => this.kernels.find(notebook)?.interrupt();
    for (const notebook of vscode.workspace.notebookDocuments) this.updateAffinity(notebook);
    this.disposables.push(
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (!selected) return void this.selected.delete(notebook);
        this.selected.add(notebook);
        this.hooks.onSelected?.(notebook);
      }),
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.updateAffinity(notebook)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => void this.kernels.close(notebook)),
    );
  }

  /** Whether cells of this notebook run in our kernel (so magics apply to them). */
  runs(notebook: vscode.NotebookDocument): boolean {
    return (
      this.selected.has(notebook) || (notebook.notebookType === "jupyter-notebook" && isTypeScriptNotebook(notebook))
    );
  }

  private updateAffinity(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType === "jupyter-notebook" && isTypeScriptNotebook(notebook)) {
      this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    }
  }

  private async executeCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      for (const cell of cells) this.refuseUntrusted(cell);
      return;
    }
    for (const [i, cell] of cells.entries()) {
      const ok = await this.executeCell(cell, notebook);
      if (!ok) {
        // As in Jupyter, a failing cell stops the cells queued after it.
        for (const skipped of cells.slice(i + 1)) {
          const exec = this.controller.createNotebookCellExecution(skipped);
          exec.start(Date.now());
          exec.end(undefined);
        }
        return;
      }
    }
  }

  private refuseUntrusted(cell: vscode.NotebookCell): void {
    const exec = this.controller.createNotebookCellExecution(cell);
    exec.start(Date.now());
    void exec.replaceOutput(
      toNotebookOutput({
        kind: "error",
        ename: "UntrustedWorkspace",
        evalue:
          "MedAD Lab runs no code in an untrusted workspace. Trust this folder (Manage Workspace Trust) to run cells.",
        traceback: [],
      }),
    );
    exec.end(false, Date.now());
  }

  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<boolean> {
    const exec = this.controller.createNotebookCellExecution(cell);
    const order = (this.executionOrder.get(notebook) ?? 0) + 1;
    this.executionOrder.set(notebook, order);
    exec.executionOrder = order;
    exec.start(Date.now());
    await exec.clearOutput();
    const kernel = this.kernels.get(notebook);
    exec.token.onCancellationRequested(() => kernel.interrupt());

    let outputs: CellOutput[] = [];
    let flushTimer: NodeJS.Timeout | undefined;
    let flushing: Thenable<void> = Promise.resolve();
    const flush = () => {
      flushTimer = undefined;
      const snapshot = outputs.map(toNotebookOutput);
      flushing = flushing.then(() => exec.replaceOutput(snapshot));
    };
    const result = await kernel.execute(cell.document.getText(), (received, update) => {
      const { request, output } = takeExploreRequest(received);
      if (request) this.hooks.onExplore?.(request);
      outputs = appendOutput(outputs, output, update);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    });
    clearTimeout(flushTimer);
    flush();
    await flushing;
    this.hooks.onCellOutputs?.(cell, outputs);
    exec.end(result.status === "ok", Date.now());
    return result.status === "ok";
  }

  dispose(): void {
    this.controller.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
