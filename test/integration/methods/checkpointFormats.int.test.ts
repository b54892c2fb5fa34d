// The same weights as an HF safetensors folder and as OpenAI's TorchScript .pt give identical few-shot scores; the
// two are different model files, so they get different identities and never share cached features.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as medad from "../../../kernel/api";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import { checkpointFixtures as FX } from "../../helpers/fixturePaths";

describe("methods: a TorchScript .pt and its HF safetensors copy score identically", function () {
  this.timeout(120_000);
  let tmp: string;
  const saved = { cache: process.env.MEDAD_CACHE, features: process.env.MEDAD_FEATURE_CACHE };
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ckpt-int-"));
    process.env.MEDAD_CACHE = path.join(tmp, "models");
    process.env.MEDAD_FEATURE_CACHE = path.join(tmp, "features");
  });
  after(() => {
    for (const [k, v] of [
      ["MEDAD_CACHE", saved.cache],
      ["MEDAD_FEATURE_CACHE", saved.features],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("patchcore on the demo set", async () => {
    const run = (model: string) =>
      medad.fewshotInProcess({
        dataset: demoDatasetPath(),
        method: "patchcore",
        shots: 2,
        seed: 1,
        model,
        maxTestImages: 8,
        batch: 4,
        activation: "quick_gelu",
      });
    const hf = await run(path.join(FX, "hf-safetensors"));
    const pt = await run(path.join(FX, "openai", "ViT-T-8-tiny.pt"));
    assert.deepStrictEqual(
      pt.scores.map((s) => [s.file, s.score]),
      hf.scores.map((s) => [s.file, s.score]),
    );
    assert.ok(
      hf.scores.some((s) => s.score !== hf.scores[0].score),
      "scores vary across images",
    );
    assert.notStrictEqual(pt.model.hash.value, hf.model.hash.value);
    assert.strictEqual(pt.model.grid, 4);
  });
});
