// Our picture outputs in a real VS Code: cells call medad.display.roc/tsne/heatmap/metrics, the outputs carry our
// MIME + PNG + text, and each renderer really draws (checked in the browser by scripts/e2e/rendererChecks.js, which
// also saves element screenshots to test-artifacts/e2e/ and fails on any logged CSP violation).
import * as assert from "assert";
import * as vscode from "vscode";
import {
  closeActiveWithoutSaving,
  codeCells,
  describeOutputs,
  outputItems,
  scratchNotebook,
  sleep,
  waitForExecution,
} from "./notebookHelpers";
import { uiCheck } from "./uiCheckpoint";

const RUN_TIMEOUT_MS = 120_000;

// Deterministic synthetic data (Park–Miller LCG) so the driver's expectations hold on every run.
const CELLS = [
  `let seed = 7;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const labels = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
const a = labels.map((l) => 0.8 * l + rnd());
const b = labels.map((l) => 0.5 * l + rnd());
// Names as long as the built-in methods' labels: the legend must show them in full without covering the plot.
const nameA = "zero-shot CLIP (MVFA prompt ensemble, projected patch tokens)";
const nameB = "PatchCore-style few-shot (MVFA memory branch on frozen features)";
medad.display.roc([{ name: nameA, scores: a, labels }, { name: nameB, scores: b, labels }],
  { title: "e2e ROC", ci: { iterations: 100 } });`,
  `const features = labels.map((l, i) => Array.from({ length: 8 }, (_, d) => (d === l + (i % 2) * 2 ? 3 : 0) + rnd()));
medad.display.tsne({ features, groundTruth: labels, prediction: { scores: a, threshold: 1.2 }, title: "e2e t-SNE", tsne: { iterations: 300, perplexity: 10 } });`,
  `const cases = Array.from({ length: 8 }, (_, k) => ({
  // Ids as a dataset gives them: folders every case shares, then the file name that tells them apart.
  id: "Brain_AD/test/" + (k % 2 ? "Ungood" : "good") + "/img/case-" + k + ".png", score: k / 8, label: (k % 2) as 0 | 1,
  image: { width: 32, height: 32, data: new Uint8Array(32 * 32).fill(100) },
  map: { width: 32, height: 32, data: Float32Array.from({ length: 32 * 32 }, (_, p) => Math.exp(-(((p % 32) - 16) ** 2 + (Math.floor(p / 32) - 16) ** 2) / 40) * (k + 1)) },
  mask: k % 2 ? { width: 32, height: 32, data: Uint8Array.from({ length: 32 * 32 }, (_, p) => (((p % 32) - 16) ** 2 + (Math.floor(p / 32) - 16) ** 2 < 30 ? 1 : 0)) } : undefined,
}));
medad.display.heatmap(cases, { title: "e2e heatmap", threshold: 0.5 });`,
  // The metric names a medad.fewshot result carries (long enough that plotly used to rotate and cut them), with
  // bootstrap intervals for the image metrics. "labels: labels", not the shorthand: tslab does not rewrite
  // shorthand properties that name an earlier cell's variable.
  `const imageOf = (name: string, scores: number[]) => {
  const m = medad.viz.imageMetrics({ name, scores, labels: labels }, { ci: { iterations: 100 } });
  const [auroc, ap, f1] = m.methods[0].values;
  const pixel = { "pixel AUROC": 0.9, "pixel AP": 0.4, "pixel F1-max": 0.45 };
  return { name, metrics: { "image AUROC": auroc, "image AP": ap, "image F1-max": f1, ...pixel } };
};
medad.display.metrics([imageOf(nameA, a), imageOf(nameB, b)], { title: "e2e metrics" });`,
];

const KINDS = ["roc", "tsne", "heatmap", "metrics"] as const;

describe("MedAD Lab picture renderers", () => {
  let doc: vscode.NotebookDocument | undefined;
  let editor: vscode.NotebookEditor | undefined;

  before(async () => {
    doc = await scratchNotebook(CELLS);
    editor = vscode.window.activeNotebookEditor;
    await vscode.commands.executeCommand("notebook.execute");
    await waitForExecution(codeCells(doc), RUN_TIMEOUT_MS);
  });

  it("every picture output carries our MIME, a PNG and a text form", () => {
    const cells = codeCells(doc!);
    KINDS.forEach((kind, i) => {
      assert.strictEqual(cells[i].executionSummary?.success, true, describeOutputs(cells[i]));
      const mimes = outputItems(cells[i]).map((o) => o.mime);
      for (const mime of [`application/vnd.medad.${kind}+json`, "image/png", "text/plain"]) {
        assert.ok(mimes.includes(mime), `${kind}: no ${mime} in ${mimes.join(", ")}`);
      }
    });
  });

  KINDS.forEach((kind, i) => {
    it(`the ${kind} renderer draws its output`, async function () {
      // Outputs render only near the viewport: bring this cell's output to the top first.
      editor!.revealRange(new vscode.NotebookRange(i, i + 1), vscode.NotebookEditorRevealType.AtTop);
      await sleep(1000);
      const results = await uiCheck(kind);
      if (!results) return this.skip();
      const failed = results.filter((r) => r.state !== "passed");
      assert.deepStrictEqual(failed, [], failed.map((r) => `${r.title}: ${r.error}`).join("\n"));
      assert.ok(results.length > 0, "the driver ran no check");
    });
  });

  it("the heatmap output opens the results explorer panel", async function () {
    editor!.revealRange(new vscode.NotebookRange(2, 3), vscode.NotebookEditorRevealType.AtTop);
    await sleep(1000);
    const results = await uiCheck("explorer");
    if (!results) return this.skip();
    const failed = results.filter((r) => r.state !== "passed");
    assert.deepStrictEqual(failed, [], failed.map((r) => `${r.title}: ${r.error}`).join("\n"));
    assert.ok(results.length > 1, "the driver ran no explorer check");
  });

  after(async () => {
    // The explorer panel opened beside the notebook: close it, then the scratch notebook.
    await vscode.commands.executeCommand("workbench.action.closeEditorsInOtherGroups");
    if (doc) {
      await vscode.window.showNotebookDocument(doc);
      await closeActiveWithoutSaving();
    }
  });
});
