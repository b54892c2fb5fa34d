import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../kernel/client/kernelClient";
import { checkpointFixtures, tinyClipModel } from "../helpers/fixturePaths";
import { run } from "./kernelHarness";

describe("%%fewshot", function () {
  let kernel: KernelClient;
  let cache: string;
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-fewshot-magic-"));
    kernel = new KernelClient({
      cwd: os.tmpdir(),
      env: { MEDAD_FEATURE_CACHE: cache, MEDAD_CACHE: path.join(cache, "models") },
    });
  });
  after(async () => {
    await kernel.shutdown();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const cell = (lines: string[]) => ["%%fewshot", ...lines].join("\n");

  it("runs a method in the background worker with a progress bar, shows metrics and binds a typed result", async () => {
    const r = await run(
      kernel,
      cell([
        "dataset: demo          # bundled demo-brainmri",
        "method: patchcore",
        "shots: 1",
        `model: ${tinyClipModel}`,
        "max_test: 6",
      ]),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const displays = r.outputs.filter((o) => o.kind === "display") as Array<{
      data: Record<string, unknown>;
      displayId?: string;
    }>;
    const bar = displays.find((d) => d.displayId !== undefined)!;
    assert.match(String(bar.data["text/plain"]), /^patchcore · demo-brainmri · 1-shot \[#+\] 100% done in/);
    const table = displays.find((d) => d.data["application/vnd.medad.table+json"])!.data[
      "application/vnd.medad.table+json"
    ] as { columns: string[]; rows: string[][] };
    assert.deepStrictEqual(table.columns, ["level", "AUROC", "AP", "F1-max"]);
    assert.deepStrictEqual(
      table.rows.map((row) => row[0]),
      ["image", "pixel"],
    );
    const auroc = await run(kernel, "fewshotResult.metrics.image.auroc.toFixed(4)");
    assert.strictEqual(auroc.text.trim(), table.rows[0][1]);
    assert.strictEqual(
      (
        await run(
          kernel,
          "[fewshotResult.shots, fewshotResult.test.evaluated, fewshotResult.support!.normal.length].join()",
        )
      ).text.trim(),
      "1,6,1",
    );
    const misuse = await run(kernel, "const n: number = fewshotResult.method;");
    assert.match(misuse.errors[0].traceback[0], /Type 'string' is not assignable to type 'number'/);
  });

  it("takes an OpenAI-style TorchScript .pt file as model: (converted once into the cache)", async () => {
    const pt = path.join(checkpointFixtures, "openai", "ViT-T-8-tiny.pt");
    const r = await run(kernel, cell(["method: patchcore", "shots: 1", `model: ${pt}`, "max_test: 4"]));
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const dir = (await run(kernel, "fewshotResult.model.dir")).text.trim();
    assert.ok(dir.includes(path.join(cache, "models", "converted", "ViT-T-8-tiny.pt-")), dir);
  });

  it("trains a method in the worker with the epochs and checkpoint keys", async () => {
    const ckpt = path.join(cache, "mvfa.ckpt.safetensors");
    const r = await run(
      kernel,
      cell(["method: mvfa", "shots: 1", `model: ${tinyClipModel}`, "max_test: 4", "epochs: 1", `checkpoint: ${ckpt}`]),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    // 1 normal + 1 abnormal support image × 11 augmented versions, batch 1: 22 steps in the one epoch.
    assert.strictEqual(
      (await run(kernel, "[fewshotResult.settings.epochs, fewshotResult.settings.stepsRun].join()")).text.trim(),
      "1,22",
    );
    assert.ok(fs.existsSync(ckpt));
  });

  it("points at the offending line of a malformed body", async () => {
    const typo = await run(kernel, cell(["method: patchcore", "shot: 4", `model: ${tinyClipModel}`]));
    assert.match(typo.errors[0].evalue, /^line 3, column 1: unknown key 'shot'\. Did you mean 'shots'\?/);
    const badMethod = await run(kernel, cell(["method: patchcor", `model: ${tinyClipModel}`]));
    assert.match(
      badMethod.errors[0].evalue,
      /^line 2, column 9: method: 'patchcor' is not valid\. Did you mean 'patchcore'\?/,
    );
    const missingData = await run(kernel, cell(["dataset: ./nowhere", "method: patchcore", `model: ${tinyClipModel}`]));
    assert.match(missingData.errors[0].evalue, /^line 2, column 10: dataset .*nowhere does not exist\./);
    const missingModel = await run(kernel, cell(["method: patchcore", "model: ./no-model"]));
    assert.match(missingModel.errors[0].evalue, /^line 3, column 8: .*no-model does not exist/);
  });

  it("stops the background run with the stop button and keeps the notebook's variables", async () => {
    await run(kernel, "const keep = 41;");
    let progressSeen = 0;
    const r = await kernel.execute(
      cell(["method: zero-shot", "shots: 0", `model: ${tinyClipModel}`, "batch: 1", "cache: false"]),
      (o) => {
        // Stop as soon as the first progress update shows, i.e. while the worker is busy with the test images.
        if (o.kind === "display" && o.displayId !== undefined && ++progressSeen === 1) kernel.interrupt();
      },
    );
    assert.ok(progressSeen >= 1);
    assert.strictEqual(r.status, "interrupted");
    assert.strictEqual((await run(kernel, "keep + 1")).text, "42\n");
  });
});

describe("%%compare", function () {
  it("runs a methods × shots × seeds grid and binds the summary", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-compare-"));
    const kernel = new KernelClient({ cwd: os.tmpdir(), env: { MEDAD_FEATURE_CACHE: cache } });
    try {
      const r = await run(
        kernel,
        [
          "%%compare",
          "methods: [zero-shot, patchcore]",
          "shots: [1]",
          "seeds: [0, 1]",
          `model: ${tinyClipModel}`,
          "max_test: 6",
        ].join("\n"),
      );
      assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
      const table = (
        r.outputs.find((o) => o.kind === "display" && o.data["application/vnd.medad.table+json"]) as {
          data: Record<string, unknown>;
        }
      ).data["application/vnd.medad.table+json"] as { rows: unknown[][] };
      assert.deepStrictEqual(
        table.rows.map((row) => [row[0], row[1], row[4]]),
        [
          ["zero-shot", 1, 2],
          ["patchcore", 1, 2],
        ],
      );
      assert.strictEqual(
        (await run(kernel, "compareResult.runs.map((x) => `${x.method}/${x.seed}`).join()")).text.trim(),
        "zero-shot/0,zero-shot/1,patchcore/0,patchcore/1",
      );
      const bad = await run(
        kernel,
        ["%%compare", "methods: [patchcore, nope]", "shots: [1]", "seeds: [0]", `model: ${tinyClipModel}`].join("\n"),
      );
      assert.match(bad.errors[0].evalue, /^line 2, column 10: methods: 'nope' is not a method\./);
    } finally {
      await kernel.shutdown();
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
