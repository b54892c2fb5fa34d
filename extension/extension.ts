import * as vscode from "vscode";
import { MedadController } from "./controller";
import { ExplorerPanel } from "./explorerPanel";
import { KernelManager } from "./kernels";
import { MagicEditorSupport } from "./magicEditor";

/** VS Code entry point: wires the controller, the kernels and the commands; all logic lives in kernel/. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("MedAD Lab");
  const kernels = new KernelManager(log);
  const explorer = new ExplorerPanel(context.extensionUri, log);
  let controller: MedadController | undefined;
  const magicEditor = new MagicEditorSupport((notebook) => controller?.runs(notebook) ?? false);
  context.subscriptions.push(
    explorer,
    vscode.commands.registerCommand("medad.openExplorer", () => explorer.show()),
    log,
    kernels,
    magicEditor,
    (controller = new MedadController(kernels, {
      onExplore: (request) => request.methods.forEach((m) => explorer.add(m.method, m.payload)),
      onCellOutputs: (cell, outputs) => magicEditor.reportRun(cell, outputs),
      onSelected: (notebook) => magicEditor.checkNotebook(notebook),
    })),
    vscode.commands.registerCommand("medad.restartKernel", async () => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (!notebook) {
        void vscode.window.showInformationMessage("Open a notebook to restart its MedAD Lab kernel.");
        return;
      }
      await kernels.get(notebook).restart();
      log.appendLine(`kernel restarted for ${notebook.uri.fsPath}`);
    }),
    vscode.commands.registerCommand("medad.showOutput", () => log.show()),
  );
}

export function deactivate(): void {
  // Kernels are disposed through context.subscriptions.
}
