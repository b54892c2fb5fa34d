// Reproducibility of the quickstart's runs (demo set, built-in demo model, 4-shot, seed 0): the same call twice gives
// identical numbers, the second reads every feature from the on-disk cache instead of running the encoder, and the
// result records what is needed to rerun it (seed, shots, support files, model hash, code version, protocol).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import { fewshot } from "../../../kernel/methods/runFewshot";
import type { FewshotResult } from "../../../kernel/methods/result";
import { clearEnsembleCache } from "../../../kernel/methods/text/ensembleCache";
import { DEMO_MODEL_ID } from "../../../kernel/models/demoModel";

/** Everything numeric or identifying in a result; createdAt and timings legitimately differ between runs. */
function numbers(r: FewshotResult) {
  return {
    metrics: r.metrics,
    scores: r.scores,
    normalisation: r.normalisation,
    fusion: r.fusion,
    support: r.support,
    model: r.model.hash,
    test: r.test,
    losses: r.settings.epochLosses,
  };
}

describe("reproducibility: the quickstart's runs repeat exactly and reuse cached features", function () {
  this.timeout(600_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-repro-"));
  const savedCache = process.env.MEDAD_CACHE;
  before(() => (process.env.MEDAD_CACHE = path.join(tmp, "models")));
  after(() => {
    if (savedCache === undefined) delete process.env.MEDAD_CACHE;
    else process.env.MEDAD_CACHE = savedCache;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const [method, options] of [
    ["patchcore", undefined],
    ["mvfa", { epochs: 2 }],
  ] as const) {
    it(`${method}: same numbers twice; the second run is served by the feature cache`, async () => {
      const call = () => {
        clearEnsembleCache(); // the in-memory text cache must not be what makes run 2 match
        return fewshot({
          dataset: demoDatasetPath(),
          method,
          model: DEMO_MODEL_ID,
          shots: 4,
          seed: 0,
          options,
          featureCache: path.join(tmp, `features-${method}`),
        });
      };
      const first = await call();
      const second = await call();
      assert.deepStrictEqual(numbers(second), numbers(first));
      assert.ok(
        first.timings.featureCache!.misses > 0 && first.timings.featureCache!.hits === 0,
        JSON.stringify(first.timings.featureCache),
      );
      assert.strictEqual(second.timings.featureCache!.misses, 0);
      assert.strictEqual(second.timings.featureCache!.hits, first.timings.featureCache!.misses);
      if (method === "mvfa") assert.strictEqual((first.settings.epochLosses as number[]).length, 2);

      // What the result records about its own provenance.
      assert.strictEqual(first.seed, 0);
      assert.strictEqual(first.shots, 4);
      assert.strictEqual(first.protocol, "honest");
      assert.strictEqual(first.support!.normal.length, 4);
      assert.ok(
        first.support!.normal.every((f) => fs.existsSync(path.join(demoDatasetPath(), f))),
        first.support!.normal.join(", "),
      );
      assert.match(first.model.hash.value, /^[0-9a-f]{64}$/);
      assert.match(first.model.note ?? "", /random weights/);
      assert.match(first.codeVersion.describe, /^([0-9a-f]{7,}(-dirty)?|\d+\.\d+\.\d+)$/);
    });
  }
});
