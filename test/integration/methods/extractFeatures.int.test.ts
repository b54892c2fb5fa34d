// medad.extractFeatures (the public API for writing a method in a cell): shapes, agreement with the extractor the
// built-in methods use, and reuse of the on-disk feature cache.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { extractFeatures } from "../../../kernel/api/features";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { DEMO_MODEL_ID } from "../../../kernel/models/demoModel";

describe("api: medad.extractFeatures", function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-extract-"));
  const saved = { cache: process.env.MEDAD_CACHE, features: process.env.MEDAD_FEATURE_CACHE };
  before(() => {
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

  it("returns [tokens × dim] per image and tap, different per image, and serves a rerun from the cache", async () => {
    const ds = loadDataset(demoDatasetPath());
    const samples = ds.samples.filter((s) => s.split === "valid").slice(0, 3);
    const first = await extractFeatures({ model: DEMO_MODEL_ID, samples, taps: [2, 8] });
    assert.deepStrictEqual([first.grid, first.tokens, first.dim, first.imageSize], [7, 50, 64, 56]);
    assert.strictEqual(first.perImage.length, 3);
    for (const perTap of first.perImage) {
      assert.strictEqual(perTap.length, 2);
      for (const t of perTap) assert.strictEqual(t.length, 50 * 64);
    }
    assert.notDeepStrictEqual(first.perImage[0][1], first.perImage[1][1]);
    assert.deepStrictEqual(first.cache, { hits: 0, misses: 3 });
    const again = await extractFeatures({ model: DEMO_MODEL_ID, samples, taps: [2, 8] });
    assert.deepStrictEqual(again.cache, { hits: 3, misses: 0 });
    assert.deepStrictEqual(again.perImage, first.perImage);
    const projected = await extractFeatures({
      model: DEMO_MODEL_ID,
      samples: samples.slice(0, 1),
      taps: [8],
      space: "projected",
      cache: false,
    });
    assert.strictEqual(projected.dim, 32);
    assert.strictEqual(projected.cache, null);
  });
});
