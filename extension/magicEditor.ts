import * as vscode from "vscode";
import { magicCatalog } from "../kernel/magics/editor/catalog";
import { isMagicLine, splitLines } from "../kernel/magics/editor/cellContext";
import { magicCompletions, type MagicCompletion } from "../kernel/magics/editor/completions";
import { locateMagicError, magicDiagnostics, type MagicDiagnostic } from "../kernel/magics/editor/diagnostics";
import { magicHover } from "../kernel/magics/editor/hover";
import type { CellOutput } from "../kernel/protocol/outputs";

const SELECTOR: vscode.DocumentSelector = [
  { notebookType: "jupyter-notebook", language: "typescript" },
  { notebookType: "jupyter-notebook", language: "javascript" },
];

const KINDS: Record<MagicCompletion["kind"], vscode.CompletionItemKind> = {
  magic: vscode.CompletionItemKind.Function,
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
};

/** The notebook a cell document belongs to. */
function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== "vscode-notebook-cell") return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
}

function toDiagnostic(d: MagicDiagnostic, document: vscode.TextDocument): vscode.Diagnostic {
  const line = Math.min(d.line, Math.max(0, document.lineCount - 1));
  const text = document.lineAt(line).text;
  const start = Math.min(d.character, text.length);
  // Underline the word at the column (or the rest of the line when the column is past its end).
  const word = /^\S*/.exec(text.slice(start))?.[0] ?? "";
  const end = word.length > 0 ? start + word.length : text.length;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, start === end ? 0 : start, line, end),
    d.message,
    vscode.DiagnosticSeverity.Error,
  );
  diagnostic.source = "MedAD magics";
  return diagnostic;
}

/**
 * An item that is never shown, returned on a magic line where we have nothing to offer. VS Code asks providers in
 * groups of equal selector score and stops at the first group that returned any item; ours and TypeScript's
 * (`typescript` language, score 10) come before the editor's word list (`*`, score 5), which would otherwise pop
 * up on magic lines and take the Enter that ends the line (e.g. "clip" after `model: medad/demo-tiny-clip`). It
 * replaces the text before the cursor with itself and its filter text matches nothing a person types, so the
 * suggest widget filters it out (the caller adds it only when that text is not blank: a blank word matches all).
 */
function claimMagicLine(position: vscode.Position, before: string): vscode.CompletionItem {
  const item = new vscode.CompletionItem("(magic line)", vscode.CompletionItemKind.Text);
  item.filterText = "\u0000";
  item.insertText = before;
  item.range = new vscode.Range(position.line, 0, position.line, position.character);
  return item;
}

/**
 * Editor support for magics in cells of TypeScript notebooks: completions (magic names, body keys, enum values),
 * hovers, and problems at the offending line — found while typing (parser and body schemas, the same code the
 * kernel runs) and reported by the kernel when a run finds more (e.g. a dataset folder that does not exist).
 */
export class MagicEditorSupport implements vscode.Disposable {
  private readonly typed = vscode.languages.createDiagnosticCollection("medad-magics");
  private readonly fromRuns = vscode.languages.createDiagnosticCollection("medad-magic-runs");
  private readonly disposables: vscode.Disposable[] = [this.typed, this.fromRuns];

  /** `runsInOurKernel`: whether a notebook's cells run in MedAD Lab (TypeScript notebook or our kernel picked). */
  constructor(private readonly runsInOurKernel: (notebook: vscode.NotebookDocument) => boolean) {
    this.disposables.push(
      vscode.languages.registerCompletionItemProvider(
        SELECTOR,
        { provideCompletionItems: (doc, pos) => this.complete(doc, pos) },
        "%",
        ":",
        " ",
      ),
      vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.fromRuns.delete(e.document.uri); // the run's errors no longer describe the edited text
        this.check(e.document);
      }),
      vscode.workspace.onDidOpenNotebookDocument((nb) => nb.getCells().forEach((c) => this.check(c.document))),
      vscode.workspace.onDidCloseNotebookDocument((nb) =>
        nb.getCells().forEach((c) => (this.typed.delete(c.document.uri), this.fromRuns.delete(c.document.uri))),
      ),
    );
    for (const nb of vscode.workspace.notebookDocuments) nb.getCells().forEach((c) => this.check(c.document));
  }

  private ours(document: vscode.TextDocument): boolean {
    const notebook = notebookOf(document);
    return notebook !== undefined && this.runsInOurKernel(notebook);
  }

  /** Checks every cell again, e.g. after our kernel was picked for a notebook. */
  checkNotebook(notebook: vscode.NotebookDocument): void {
    for (const c of notebook.getCells()) this.check(c.document);
  }

  private complete(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionList | undefined {
    if (!this.ours(document)) return undefined;
    const items = magicCompletions(document.getText(), position.line, position.character, magicCatalog()).map((c) => {
      const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
      item.insertText = c.insertText;
      item.detail = c.detail;
      item.documentation = new vscode.MarkdownString(c.documentation);
      item.range = new vscode.Range(position.line, c.replaceStart, position.line, position.character);
      // Sort magic items before the TypeScript service's suggestions for the same prefix.
      item.sortText = `\u0000${c.label}`;
      if (c.kind === "key") item.command = { command: "editor.action.triggerSuggest", title: "values" };
      return item;
    });
    const before = document.lineAt(position.line).text.slice(0, position.character);
    if (items.length === 0 && before.trim() !== "" && isMagicLine(splitLines(document.getText()), position.line)) {
      items.push(claimMagicLine(position, before));
    }
    // Incomplete: asked again at every keystroke, so the list empties once a word is typed out (magicCompletions).
    return new vscode.CompletionList(items, true);
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.ours(document)) return undefined;
    const h = magicHover(document.getText(), position.line, position.character, magicCatalog());
    return h
      ? new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(h.line, h.start, h.line, h.end))
      : undefined;
  }

  private check(document: vscode.TextDocument): void {
    if (!this.ours(document)) return;
    this.typed.set(
      document.uri,
      magicDiagnostics(document.getText(), magicCatalog()).map((d) => toDiagnostic(d, document)),
    );
  }

  /** After a run: a MagicError the kernel reported (only the run could find it) is shown at its line. */
  reportRun(cell: vscode.NotebookCell, outputs: readonly CellOutput[]): void {
    const found = outputs
      .flatMap((o) => (o.kind === "error" ? [locateMagicError(o.ename, o.evalue)] : []))
      .filter((d): d is MagicDiagnostic => d !== undefined);
    const typed = new Set((this.typed.get(cell.document.uri) ?? []).map((d) => `${d.range.start.line}:${d.message}`));
    const fresh = found
      .map((d) => toDiagnostic(d, cell.document))
      .filter((d) => !typed.has(`${d.range.start.line}:${d.message}`));
    this.fromRuns.set(cell.document.uri, fresh);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
