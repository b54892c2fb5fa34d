import * as crypto from "crypto";
import * as vscode from "vscode";
import {
  isPanelToHostMessage,
  isRendererToHostMessage,
  type HostToPanelMessage,
  type ShowResultsMessage,
} from "../kernel/protocol/explorer";

/**
 * The results explorer: a webview panel (strict CSP, one nonce per page) that lists the cases of every result sent
 * from a heatmap output's "Open in explorer" button, filters and sorts them, compares methods side by side and exports
 * CSV/PNG through save dialogs here (a webview cannot write files).
 */
export class ExplorerPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly methods: ShowResultsMessage["methods"] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {
    const messaging = vscode.notebooks.createRendererMessaging("medad-lab.heatmap");
    this.subscriptions.push(
      messaging.onDidReceiveMessage(({ message }) => {
        if (!isRendererToHostMessage(message)) return;
        this.add(message.method, message.payload);
      }),
    );
  }

  /** Adds (or replaces, by name) a method's result and shows the panel. */
  add(method: string, payload: ShowResultsMessage["methods"][number]["payload"]): void {
    const existing = this.methods.findIndex((m) => m.method === method);
    if (existing >= 0) this.methods[existing] = { method, payload };
    else this.methods.push({ method, payload });
    this.show();
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.post();
      return;
    }
    const scriptDir = vscode.Uri.joinPath(this.extensionUri, "out", "webviews");
    this.panel = vscode.window.createWebviewPanel(
      "medad.explorer",
      "MedAD Results Explorer",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [scriptDir],
        retainContextWhenHidden: true,
      },
    );
    this.panel.webview.html = this.html(this.panel.webview, vscode.Uri.joinPath(scriptDir, "explorerPanel.js"));
    this.panel.webview.onDidReceiveMessage((m) => void this.receive(m), undefined, this.subscriptions);
    // Closing the panel ends its comparison: the next result opens a fresh one rather than rows from earlier runs.
    this.panel.onDidDispose(
      () => {
        this.panel = undefined;
        this.methods.length = 0;
      },
      undefined,
      this.subscriptions,
    );
  }

  private post(): void {
    const message: HostToPanelMessage = { type: "showResults", methods: this.methods };
    void this.panel?.webview.postMessage(message);
  }

  private async receive(message: unknown): Promise<void> {
    if (!isPanelToHostMessage(message)) {
      this.log.appendLine(`explorer: ignored a malformed panel message ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    if (message.type === "ready") return this.post();
    const bytes =
      message.type === "exportCsv" ? Buffer.from(message.csv, "utf8") : Buffer.from(message.base64, "base64");
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, message.fileName) : undefined,
      filters: message.type === "exportCsv" ? { CSV: ["csv"] } : { PNG: ["png"] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.appendLine(`explorer: wrote ${target.fsPath}`);
  }

  private html(webview: vscode.Webview, script: vscode.Uri): string {
    const nonce = crypto.randomBytes(16).toString("base64");
    // Scripts only by nonce; inline styles are needed by Lit's adopted/inline styles; images are data: thumbnails.
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `img-src ${webview.cspSource} data: blob:`,
      `font-src ${webview.cspSource}`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>MedAD Results Explorer</title></head>
<body><div id="app" data-empty="Open a result with the “Open in explorer” button of a heatmap output."></div>
<script type="module" nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script></body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
