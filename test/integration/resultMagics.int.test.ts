import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../kernel/client/kernelClient";
import { EXPLORE_MIME, type ExploreRequest } from "../../kernel/protocol/explorer";
import { HEATMAP_MIME, ROC_MIME, TSNE_MIME, type HeatmapPayload, type RocPayload } from "../../kernel/protocol/viz";
import { TABLE_MIME } from "../../kernel/protocol/table";
import { runNotebook } from "../../kernel/notebook/runNotebook";
import { tinyClipModel } from "../helpers/fixturePaths";
import { run, type Ran } from "./kernelHarness";

function displayed(r: Ran, mime: string): unknown[] {
  return r.outputs.flatMap((o) => (o.kind === "display" && mime in o.data ? [o.data[mime]] : []));
}

describe("result magics in the kernel (%roc, %tsne, %heatmap, %explore, %save, %load, %models)", function () {
  let kernel: KernelClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-result-magics-"));
    fs.mkdirSync(path.join(dir, "cache"));
    kernel = new KernelClient({
      cwd: dir,
      env: { MEDAD_FEATURE_CACHE: path.join(dir, "features"), MEDAD_CACHE: path.join(dir, "cache") },
    });
    const r = await run(
      kernel,
      ["%%fewshot", "method: patchcore", "shots: 1", `model: ${tinyClipModel}`, "max_test: 6"].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
  });
  after(async () => {
    await kernel.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the new magics in %lsmagic", async () => {
    const r = await run(kernel, "%lsmagic");
    for (const name of ["%models", "%roc", "%tsne", "%heatmap", "%explore", "%save", "%load"])
      assert.ok(r.text.includes(`  ${name} `), `${name} in:\n${r.text}`);
  });

  it("shows ROC, t-SNE and heatmap pictures of a result variable", async () => {
    const roc = await run(kernel, "%roc fewshotResult");
    assert.strictEqual(roc.status, "ok", JSON.stringify(roc.errors));
    const series = (displayed(roc, ROC_MIME)[0] as RocPayload).series;
    assert.strictEqual(series.length, 1);
    assert.strictEqual(
      series[0].auroc.toFixed(4),
      (await run(kernel, "fewshotResult.metrics.image.auroc.toFixed(4)")).text.trim().replace(/'/g, ""),
    );
    const tsne = await run(kernel, "%tsne fewshotResult");
    assert.strictEqual(tsne.status, "ok", JSON.stringify(tsne.errors));
    assert.strictEqual(displayed(tsne, TSNE_MIME).length, 1);
    const heat = await run(kernel, "%heatmap fewshotResult 4");
    assert.strictEqual(heat.status, "ok", JSON.stringify(heat.errors));
    const cases = (displayed(heat, HEATMAP_MIME)[0] as HeatmapPayload).cases;
    assert.strictEqual(cases.length, 4);
    assert.ok(
      cases.some((c) => c.label === 1 && c.mask),
      "abnormal cases carry their mask",
    );
  });

  it("%explore emits an explore request with the text note", async () => {
    const r = await run(kernel, "%explore fewshotResult 3");
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const request = displayed(r, EXPLORE_MIME)[0] as ExploreRequest;
    assert.strictEqual(request.methods.length, 1);
    assert.strictEqual(request.methods[0].payload.cases.length, 3);
    assert.match(r.text, /Opened .* in the MedAD Results Explorer/);
  });

  it("%explore in a headless run (medad run) keeps only the text note", async () => {
    const { notebook, failed } = await runNotebook(
      {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { cell_type: "code", source: "%explore fewshotResult 2", metadata: {}, outputs: [], execution_count: null },
        ],
      },
      kernel,
    );
    assert.strictEqual(failed, undefined, JSON.stringify(failed?.outputs));
    const outputs = notebook.cells[0].outputs as Array<{ data?: Record<string, unknown> }>;
    assert.deepStrictEqual(
      outputs.map((o) => Object.keys(o.data ?? {})),
      [["text/plain"]],
    );
    assert.match(String(outputs[0].data!["text/plain"]), /outside VS Code, e\.g\. in 'medad run', use %heatmap/);
  });

  it("%save then %load gives back the same result, typed", async () => {
    const saved = await run(kernel, "%save fewshotResult saved/run.json");
    assert.strictEqual(saved.status, "ok", JSON.stringify(saved.errors));
    assert.match(saved.text, /saved .*saved\/run\.json/);
    const loaded = await run(kernel, "%load saved/run.json --as again");
    assert.strictEqual(loaded.status, "ok", JSON.stringify(loaded.errors));
    assert.match(loaded.text, /^loaded a FewshotResult: /);
    assert.strictEqual(
      (await run(kernel, "JSON.stringify(again) === JSON.stringify(fewshotResult)")).text.trim(),
      "true",
    );
    const typed = await run(kernel, "const s: number = again.method;");
    assert.match(typed.errors[0].traceback[0], /Type 'string' is not assignable to type 'number'/);
  });

  it("saves and restores a trained adapter byte for byte", async () => {
    const ckpt = path.join(dir, "mvfa.ckpt.safetensors");
    const r = await run(
      kernel,
      [
        "%%fewshot --as trained",
        "method: mvfa",
        "shots: 1",
        `model: ${tinyClipModel}`,
        "max_test: 4",
        "epochs: 1",
        `checkpoint: ${ckpt}`,
      ].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const saved = await run(kernel, "%save trained out/mvfa.json");
    assert.strictEqual(saved.status, "ok", JSON.stringify(saved.errors));
    assert.ok(fs.readFileSync(path.join(dir, "out", "mvfa.adapter.safetensors")).equals(fs.readFileSync(ckpt)));
    const loaded = await run(
      kernel,
      "%load out/mvfa.json --as trained2\nmedad.loadedAdapters(trained2).map((a) => a.file).join()",
    );
    assert.strictEqual(loaded.status, "ok", JSON.stringify(loaded.errors));
    assert.match(loaded.text, /adapter of run 0: .*mvfa\.adapter\.safetensors \(sha256 verified\)/);
    // The restored adapter scores again: resuming a checkpoint at its last epoch trains nothing and gives the same scores.
    const rescored = await run(
      kernel,
      [
        "const adapter = medad.loadedAdapters(trained2)[0].file;",
        `const again = await medad.fewshot({ dataset: trained2.dataset.root, method: "mvfa", shots: 1, model: ${JSON.stringify(tinyClipModel)}, maxTestImages: 4, options: { epochs: 1, checkpoint: adapter } });`,
        "[JSON.stringify(again.scores.map((s) => s.score)) === JSON.stringify(trained2.scores.map((s) => s.score)), again.settings.stepsRun].join()",
      ].join("\n"),
    );
    assert.strictEqual(rescored.status, "ok", JSON.stringify(rescored.errors));
    assert.strictEqual(rescored.text.trim().split("\n").pop(), "true,0");
    assert.strictEqual(
      (await run(kernel, "%load out/mvfa.json --as trained3")).status,
      "ok",
      "the adapter copy is unchanged by scoring with it",
    );
  });

  it("points at the offending line and word", async () => {
    const bad = await run(kernel, "const x = 1;\n%heatmap fewshotResult lots");
    assert.match(bad.errors[0].evalue, /^line 2, column 24: 'lots' is not a valid number of cases\./);
    const unknownVar = await run(kernel, "%roc nothingHere");
    assert.strictEqual(unknownVar.status, "error");
    assert.match(JSON.stringify(unknownVar.errors), /nothingHere/);
    fs.writeFileSync(path.join(dir, "broken.json"), "{");
    const broken = await run(kernel, "\n%load broken.json");
    assert.match(broken.errors[0].evalue, /^line 2, column 7: .*broken\.json: is corrupt: not valid JSON/);
  });

  it("%models lists the cache", async () => {
    const empty = await run(kernel, "%models");
    assert.strictEqual(empty.status, "ok", JSON.stringify(empty.errors));
    assert.match(empty.text, /no models in the cache yet/);
    assert.strictEqual((await run(kernel, "modelsResult.length")).text.trim(), "0");
    assert.strictEqual(displayed(empty, TABLE_MIME).length, 0);
  });
});
