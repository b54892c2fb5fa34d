import * as vscode from "vscode";
import { isBinaryMime, isJsonMime, type CellOutput } from "../kernel/protocol/outputs";

/** One kernel output → one VS Code output, keeping every MIME representation (our renderer's first). */
export function toNotebookOutput(output: CellOutput): vscode.NotebookCellOutput {
  switch (output.kind) {
    case "stream":
      return new vscode.NotebookCellOutput([
        output.name === "stdout"
          ? vscode.NotebookCellOutputItem.stdout(output.text)
          : vscode.NotebookCellOutputItem.stderr(output.text),
      ]);
    case "error":
      return new vscode.NotebookCellOutput([
        vscode.NotebookCellOutputItem.error({
          name: output.ename,
          message: output.evalue,
          stack: output.traceback.join("\n"),
        }),
      ]);
    case "display": {
      const items = Object.entries(output.data).map(([mime, value]) => {
        if (isJsonMime(mime)) return vscode.NotebookCellOutputItem.json(value, mime);
        if (isBinaryMime(mime) && typeof value === "string")
          return new vscode.NotebookCellOutputItem(Buffer.from(value, "base64"), mime);
        return vscode.NotebookCellOutputItem.text(typeof value === "string" ? value : JSON.stringify(value), mime);
      });
      const custom = items.filter((i) => i.mime.startsWith("application/vnd.medad."));
      return new vscode.NotebookCellOutput([...custom, ...items.filter((i) => !custom.includes(i))], output.metadata);
    }
  }
}
