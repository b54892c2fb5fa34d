// The CCB/TSC-inspired plug-ins end to end on the bundled demo set with the tiny random CLIP: `method: "ccb-tsc"`
// records its base, both modules with their settings and the transductive flag; β = 0 reproduces the base method's
// scores exactly; and %%compare runs ccb-tsc and <method>+ccb next to the base method. The model is random, so metric
// values are not asserted to be good (docs/ccb-tsc.md has the measured ablation).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import { KernelClient } from "../../../kernel/client/kernelClient";
import type { FewshotOptions } from "../../../kernel/methods/runFewshot";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { run } from "../kernelHarness";

describe("methods: CCB + TSC plug-ins end to end (demo-brainmri, tiny CLIP)", function () {
  this.timeout(180_000);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ccbtsc-"));
  after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
  const common = (): Omit<FewshotOptions, "method"> => ({
    dataset: demoDatasetPath(),
    shots: 2,
    seed: 1,
    model: tinyClipModel,
    maxTestImages: 10,
    featureCache: cacheDir,
    options: { epochs: 1, augment: false },
  });

  it("ccb-tsc runs MVFA with both plug-ins and records them, their settings and the transductive flag", async () => {
    const r = await medad.fewshotInProcess({ ...common(), method: "ccb-tsc" });
    assert.strictEqual(r.method, "ccb-tsc");
    assert.match(r.label, /^MVFA .* \+ CCB \+ TSC-samples \(CCB\/TSC-inspired\)$/);
    assert.strictEqual(r.transductive, true);
    assert.strictEqual(r.normalisation.transductive, false, "honest normalisation itself stays non-transductive");
    const p = r.plugins!;
    assert.strictEqual(p.base, "mvfa");
    assert.strictEqual(p.transductive, true);
    assert.match(p.note, /not the authors' code.*transductive/s);
    assert.deepStrictEqual(
      { clusters: p.ccb!.clusters, beta: p.ccb!.beta, temperature: p.ccb!.temperature, global: p.ccb!.global },
      { clusters: 8, beta: 0.5, temperature: 0.1, global: true },
    );
    // Every test image, every bank image (2 normals, no augmentation) and every calibration image went through CCB.
    assert.strictEqual(p.ccb!.images, 10 + 2 + 2 + 2);
    assert.deepStrictEqual(
      { mode: p.tsc!.mode, k: p.tsc!.k, alpha: p.tsc!.alpha },
      { mode: "samples", k: 10, alpha: 0.5 },
    );
    assert.deepStrictEqual((p.tsc!.run as { nodes: number; k: number }).nodes, 10);
    assert.strictEqual((p.tsc!.run as { nodes: number; k: number }).k, 9, "k is capped at nodes − 1");
    for (const s of r.scores) {
      assert.strictEqual(typeof s.beforeTsc, "number");
      assert.ok(s.score >= 0 && s.score <= 1, `${s.file}: ${s.score}`);
    }
    assert.ok(Number.isFinite(r.metrics.image.auroc) && Number.isFinite(r.metrics.pixel!.auroc));
  });

  it("β = 0 (CCB) reproduces the base method's scores exactly; α = 0 (TSC) keeps its ranking", async () => {
    const base = await medad.fewshotInProcess({ ...common(), method: "mvfa" });
    assert.strictEqual(base.transductive, false);
    assert.strictEqual(base.plugins, undefined);
    const beta0 = await medad.fewshotInProcess({ ...common(), method: "mvfa+ccb", plugins: { ccb: { beta: 0 } } });
    assert.deepStrictEqual(
      beta0.scores.map((s) => s.score),
      base.scores.map((s) => s.score),
    );
    assert.strictEqual(beta0.metrics.pixel!.auroc, base.metrics.pixel!.auroc);
    const ccb = await medad.fewshotInProcess({ ...common(), method: "mvfa+ccb" });
    assert.notDeepStrictEqual(
      ccb.scores.map((s) => s.score),
      base.scores.map((s) => s.score),
      "β = 0.5 changed nothing",
    );
    const alpha0 = await medad.fewshotInProcess({ ...common(), method: "mvfa+tsc", plugins: { tsc: { alpha: 0 } } });
    assert.strictEqual(alpha0.metrics.image.auroc, base.metrics.image.auroc);
    assert.deepStrictEqual(
      alpha0.scores.map((s) => s.beforeTsc),
      base.scores.map((s) => s.score),
    );
  });

  it("refuses CCB on MadCLIP before training, naming the method and the module", async () => {
    await assert.rejects(
      medad.fewshotInProcess({ ...common(), method: "madclip+ccb" }),
      /method 'madclip' cannot take the CCB plug-in/,
    );
  });

  it("%%compare runs the base method, <method>+ccb and ccb-tsc side by side", async () => {
    const kernel = new KernelClient({ cwd: os.tmpdir(), env: { MEDAD_FEATURE_CACHE: cacheDir } });
    try {
      const r = await run(
        kernel,
        [
          "%%compare",
          "methods: [mvfa, mvfa+ccb, ccb-tsc]",
          "shots: [1]",
          "seeds: [0]",
          `model: ${tinyClipModel}`,
          "max_test: 6",
          "epochs: 1",
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
          ["mvfa", 1, 1],
          ["mvfa+ccb", 1, 1],
          ["ccb-tsc (transductive)", 1, 1],
        ],
      );
      const flags = (
        await run(
          kernel,
          "compareResult.runs.map((x) => `${x.method}:${x.transductive}:${x.plugins?.label ?? '-'}`).join('|')",
        )
      ).text.trim();
      assert.strictEqual(
        flags,
        "mvfa:false:-|mvfa+ccb:false:CCB (CCB/TSC-inspired)|ccb-tsc:true:CCB + TSC-samples (CCB/TSC-inspired)",
      );
      const bad = await run(
        kernel,
        ["%%compare", "methods: [mvfa+nope]", "shots: [1]", "seeds: [0]", `model: ${tinyClipModel}`].join("\n"),
      );
      assert.match(bad.errors[0].evalue, /methods: 'mvfa\+nope' is not a method\./);
    } finally {
      await kernel.shutdown();
    }
  });
});
