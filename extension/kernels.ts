import * as path from "path";
import * as vscode from "vscode";
import { KernelClient } from "../kernel/client/kernelClient";

/** One kernel process per open notebook, started on first execution, stopped when the notebook closes. */
export class KernelManager implements vscode.Disposable {
  private readonly kernels = new Map<string, KernelClient>();

  constructor(private readonly log: vscode.OutputChannel) {}

  get(notebook: vscode.NotebookDocument): KernelClient {
    const key = notebook.uri.toString();
    let kernel = this.kernels.get(key);
    if (!kernel) {
      const name = path.basename(notebook.uri.path);
      kernel = new KernelClient({
        cwd: this.workingFolder(notebook),
        nodePath: vscode.workspace.getConfiguration("medad").get<string>("kernel.nodePath") || undefined,
        log: (line) => this.log.appendLine(`[${name}] ${line}`),
      });
      kernel.onUnexpectedExit((description) => {
        this.log.appendLine(`[${name}] ${description} The next cell you run starts a new kernel.`);
        this.log.show(true);
      });
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  find(notebook: vscode.NotebookDocument): KernelClient | undefined {
    return this.kernels.get(notebook.uri.toString());
  }

  async close(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const kernel = this.kernels.get(key);
    this.kernels.delete(key);
    await kernel?.shutdown();
  }

  /** Relative paths in cells start at the notebook's folder, as in Jupyter. */
  private workingFolder(notebook: vscode.NotebookDocument): string {
    if (notebook.uri.scheme === "file") return path.dirname(notebook.uri.fsPath);
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  }

  dispose(): void {
    for (const kernel of this.kernels.values()) void kernel.shutdown();
    this.kernels.clear();
  }
}
