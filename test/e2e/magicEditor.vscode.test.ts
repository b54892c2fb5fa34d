// Editor support for magics in a real notebook cell: completions and hovers through VS Code's own provider
// commands (as the suggest widget and hover would ask), and problems at the offending line while typing.
import * as assert from "assert";
import * as vscode from "vscode";
import { closeActiveWithoutSaving, scratchNotebook, sleep } from "./notebookHelpers";

async function completionLabels(doc: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>("vscode.executeCompletionItemProvider", doc.uri, position, trigger);
  return list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
}

async function diagnosticsOf(doc: vscode.TextDocument, source: string, timeoutMs = 10_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === source);
    if (found.length > 0 || Date.now() > deadline) return found;
    await sleep(100);
  }
}

describe("magic editor support", () => {
  after(closeActiveWithoutSaving);

  it("completes magic names, body keys and enum values, shows hovers and marks a bad key", async function () {
    this.timeout(60_000);
    const nb = await scratchNotebook(["%%fewshot\nmethod: pa", "%ro", "%%fewshot\nmethod: patchcore\nshot: 4"]);
    const body = nb.cellAt(0).document;
    const line = nb.cellAt(1).document;

    const values = await completionLabels(body, new vscode.Position(1, 10));
    assert.ok(values.includes("patchcore"), `method values: ${values.slice(0, 20).join(", ")}`);
    const names = await completionLabels(line, new vscode.Position(0, 3), "%");
    assert.ok(names.includes("%roc"), `line magics: ${names.slice(0, 20).join(", ")}`);
    const cellNames = await completionLabels(body, new vscode.Position(0, 4), "%");
    assert.ok(cellNames.includes("%%fewshot"), `cell magics: ${cellNames.slice(0, 20).join(", ")}`);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", body.uri, new vscode.Position(0, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /\*\*%%fewshot\*\* — Run a few-shot anomaly-detection method/);

    const typo = nb.cellAt(2).document;
    const problems = await diagnosticsOf(typo, "MedAD magics");
    assert.deepStrictEqual(problems.map((d) => [d.range.start.line, d.range.start.character, d.message.split(".")[0]]), [[2, 0, "unknown key 'shot'"]]);
    // What else marks the magic lines (e.g. the TypeScript service): logged for docs/magics.md.
    await sleep(3000); // give the TypeScript service time to report
    const others = [typo, line].flatMap((d) => vscode.languages.getDiagnostics(d.uri)).filter((d) => d.source !== "MedAD magics");
    console.log(`e2e: other diagnostics on a %%fewshot cell: ${JSON.stringify(others.map((d) => [d.source, d.range.start.line, d.message]))}`);
  });
});
