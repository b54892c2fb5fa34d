// `%synth` / `%%synth` (MediCLIP's synthetic anomalies as a picture + typed result) and `%%fewshot` with
// `method: mediclip` in a real kernel process (the training runs in the background worker).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../kernel/client/kernelClient";
import { tinyClipModel } from "../helpers/fixturePaths";
import { run } from "./kernelHarness";

const PNG_SIGNATURE = "iVBORw0KGgo";

describe("%synth and %%fewshot method: mediclip", function () {
  this.timeout(180_000);
  let kernel: KernelClient;
  let cache: string;
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-synth-magic-"));
    kernel = new KernelClient({ cwd: os.tmpdir(), env: { MEDAD_FEATURE_CACHE: cache } });
  });
  after(async () => {
    await kernel.shutdown();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const displays = (outputs: { kind: string }[]) =>
    outputs.filter((o) => o.kind === "display") as unknown as Array<{ data: Record<string, unknown> }>;

  it("%synth shows the grid as image/png and a table, and binds a typed SynthResult", async () => {
    const r = await run(kernel, "%synth demo");
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const shown = displays(r.outputs);
    const png = shown.find((d) => d.data["image/png"]);
    assert.ok(png, "no image/png output");
    assert.ok(String(png.data["image/png"]).startsWith(PNG_SIGNATURE));
    const table = shown.find((d) => d.data["application/vnd.medad.table+json"])!.data[
      "application/vnd.medad.table+json"
    ] as { columns: string[]; rows: string[][] };
    assert.deepStrictEqual(table.columns, ["#", "task", "anomalies", "mask %", "source"]);
    assert.deepStrictEqual(
      table.rows.map((row) => row[1]),
      [
        "cutpaste",
        "gauss-intensity",
        "source-deformation",
        "identity",
        "cutpaste",
        "gauss-intensity",
        "source-deformation",
        "identity",
      ],
    );
    const typed = await run(
      kernel,
      "[synthResult.samples.length, synthResult.samples[0].image.length, synthResult.size, synthResult.samples[3].anomalies].join()",
    );
    assert.strictEqual(typed.text.trim(), `8,${224 * 224},224,0`);
    const misuse = await run(kernel, "const t: number = synthResult.samples[0].task;");
    assert.match(misuse.errors[0].traceback[0], /is not assignable to type 'number'/);
  });

  it("%%synth takes tasks, count, size and the Poisson blend from its body; a bad task points at its line", async () => {
    const r = await run(
      kernel,
      [
        "%%synth --as s2",
        "dataset: demo",
        "count: 3",
        "size: 96",
        "tasks: [cutpaste, identity]",
        "blend: poisson",
      ].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    assert.strictEqual(
      (await run(kernel, "s2.samples.map((s) => s.task).join() + '|' + s2.cutPasteBlend + '|' + s2.size")).text.trim(),
      "cutpaste,identity,cutpaste|poisson|96",
    );
    const bad = await run(kernel, ["%%synth", "tasks: [cutpaste, smudge]"].join("\n"));
    assert.match(bad.errors[0].evalue, /^line 2, column \d+: tasks: 'smudge' is not a synthesis task\./);
  });

  it("%%fewshot trains MediCLIP in the worker from normal images only", async () => {
    const r = await run(
      kernel,
      ["%%fewshot", "method: mediclip", "shots: 2", `model: ${tinyClipModel}`, "max_test: 4", "epochs: 1"].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const facts = await run(
      kernel,
      "[fewshotResult.method, fewshotResult.support!.normal.length, fewshotResult.support!.abnormal.length, fewshotResult.settings.stepsRun, fewshotResult.model.activation].join()",
    );
    assert.strictEqual(facts.text.trim(), "mediclip,2,0,1,quick_gelu");
  });

  it("%%compare runs mediclip with the epoch count from its body", async () => {
    const r = await run(
      kernel,
      [
        "%%compare",
        "methods: [mediclip]",
        "shots: [2]",
        "seeds: [0]",
        `model: ${tinyClipModel}`,
        "max_test: 4",
        "epochs: 1",
      ].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    assert.strictEqual(
      (await run(kernel, "compareResult.runs.map((x) => `${x.method}:${x.settings.stepsRun}`).join()")).text.trim(),
      "mediclip:1",
    );
  });
});
