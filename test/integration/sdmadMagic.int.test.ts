// %%fewshot with method sd-mad in a real kernel: the metrics table is followed by the three-protocol table and the
// sign table, the `signs` key picks a shipped list, and the typed result carries multiAnomaly.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../kernel/client/kernelClient";
import { tinyClipModel } from "../helpers/fixturePaths";
import { run } from "./kernelHarness";

describe("%%fewshot method: sd-mad", function () {
  this.timeout(120_000);
  let kernel: KernelClient;
  let cache: string;
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-sdmad-magic-"));
    kernel = new KernelClient({ cwd: os.tmpdir(), env: { MEDAD_FEATURE_CACHE: cache } });
  });
  after(async () => {
    await kernel.shutdown();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it("shows the metrics, protocol and sign tables and binds a result with multiAnomaly", async () => {
    const r = await run(
      kernel,
      [
        "%%fewshot",
        "dataset: demo",
        "method: sd-mad",
        `model: ${tinyClipModel}`,
        "shots: 1",
        "signs: brain-mri",
        "epochs: 1",
        "max_test: 6",
      ].join("\n"),
    );
    assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
    const tables = r.outputs
      .filter((o) => o.kind === "display" && o.data["application/vnd.medad.table+json"])
      .map(
        (o) =>
          (o as { data: Record<string, unknown> }).data["application/vnd.medad.table+json"] as {
            title: string;
            columns: string[];
            rows: unknown[][];
          },
      );
    assert.deepStrictEqual(
      tables.map((t) => t.columns),
      [
        ["level", "AUROC", "AP", "F1-max"],
        ["level", "threshold", "calibration", "sensitivity", "specificity", "precision", "confusion", "note"],
        ["protocol", "metric", "test"],
        ["group", "sign", "support AUROC", "used"],
      ],
    );
    assert.match(tables[3].title, /shipped list 'brain-mri'/);
    const p1 = await run(kernel, "fewshotResult.multiAnomaly!.p1.auroc === fewshotResult.metrics.image.auroc");
    assert.strictEqual(p1.text.trim(), "true");
    const sel = await run(kernel, "Object.keys(fewshotResult.multiAnomaly!.selectedSigns).join()");
    assert.strictEqual(sel.text.trim(), "mass,small_lesions");
  });
});
