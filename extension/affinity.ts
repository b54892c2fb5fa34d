import type * as vscode from "vscode";

/**
 * Whether a notebook was written for a TypeScript kernel (tslab's kernelspec or a TypeScript language), in which
 * case our controller is offered as the preferred one. The ipynb serializer has kept nbformat metadata under
 * `metadata.metadata` (recent VS Code) and under `metadata.custom.metadata` (older releases): look at both.
 */
export function isTypeScriptNotebook(notebook: vscode.NotebookDocument): boolean {
  const meta = notebook.metadata as { metadata?: NbMeta; custom?: { metadata?: NbMeta } };
  for (const nb of [meta.metadata, meta.custom?.metadata]) {
    if (!nb) continue;
    if (
      nb.kernelspec?.name === "tslab" ||
      /typescript/i.test(nb.kernelspec?.language ?? "") ||
      /typescript/i.test(nb.language_info?.name ?? "")
    ) {
      return true;
    }
  }
  return false;
}

interface NbMeta {
  kernelspec?: { name?: string; language?: string };
  language_info?: { name?: string };
}
