// sd-mad end to end on a few demo images with the tiny random CLIP: per-category support, training through the
// shared loop (progress, stop), sign selection, the three protocols (recomputed here from the per-image decisions),
// edited signs, determinism, and the background worker path used by %%fewshot / %%compare (P1 AUROC = the image
// AUROC column). No AUROC gain is asserted: on the random fixture it does not generalise (docs/sd-mad.md).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as medad from "../../../kernel/api";
import { backgroundJobs } from "../../../kernel/api/background";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import type { FewshotResult } from "../../../kernel/methods/result";
import { multiAnomalyProtocols } from "../../../kernel/methods/sdmad/protocols";
import { tinyClipModel } from "../../helpers/fixturePaths";

const SHOTS = 2;
const MAX_TEST = 12;
const EPOCHS = 3;

describe("methods: sd-mad end to end (demo-brainmri, tiny CLIP)", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-sdmad-"));
  after(async () => {
    await backgroundJobs().dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (options: Record<string, unknown>, extra: Partial<Parameters<typeof medad.fewshotInProcess>[0]> = {}) =>
    medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "sd-mad",
      shots: SHOTS,
      seed: 1,
      model: tinyClipModel,
      maxTestImages: MAX_TEST,
      featureCache: path.join(dir, "features"),
      options,
      ...extra,
    });

  let untrained: FewshotResult;
  let trained: FewshotResult;
  const progress: { done: number; total: number; epoch?: number }[] = [];
  before(async () => {
    untrained = await run({ epochs: 0 });
    trained = await run(
      { epochs: EPOCHS },
      { onProgress: (done, total, phase, d) => phase === "train" && progress.push({ done, total, epoch: d?.epoch }) },
    );
  });

  it("draws k normals + k per category and trains the shift adapter with the shared loop", () => {
    assert.deepStrictEqual(trained.support!.protocol, "per-category");
    assert.deepStrictEqual(Object.keys(trained.support!.abnormalByCategory!), ["mass", "small_lesions"]);
    assert.strictEqual(trained.support!.abnormal.length, 2 * SHOTS);
    // (2 normal + 4 abnormal) × 11 augmented versions, batch 8 → 9 steps per epoch.
    assert.strictEqual(trained.settings.stepsRun, EPOCHS * 9);
    assert.strictEqual(untrained.settings.stepsRun, 0);
    const losses = trained.settings.epochLosses as number[];
    assert.ok(losses.length === EPOCHS && losses[EPOCHS - 1] < losses[0], losses.join(" → "));
    assert.deepStrictEqual(
      progress.map((p) => p.done),
      Array.from({ length: EPOCHS * 9 }, (_, i) => i + 1),
    );
    assert.strictEqual(progress[progress.length - 1].epoch, EPOCHS);
    assert.ok(untrained.scores.some((s, i) => s.score !== trained.scores[i].score));
  });

  it("reports the three protocols, consistent with its own per-image decisions and with metrics.image", () => {
    for (const r of [untrained, trained]) {
      const m = r.multiAnomaly!;
      assert.deepStrictEqual(m.categories, ["mass", "small_lesions"]);
      assert.strictEqual(m.predictions.length, MAX_TEST);
      assert.strictEqual(m.p1.auroc, r.metrics.image.auroc);
      const ids = m.predictions.map((p) =>
        p.truth === "normal" ? [] : p.truth.split("+").map((c) => m.categories.indexOf(c) + 1),
      );
      const again = multiAnomalyProtocols(
        m.predictions.map((p, i) => ({ categories: ids[i], z: p.logits })),
        m.categories,
      );
      assert.deepStrictEqual({ p1: m.p1, p2: m.p2, p3: m.p3 }, again);
      assert.strictEqual(m.p1.positives, r.test.abnormal);
      assert.ok(m.p3.confusion.matrix.flat().reduce((a, b) => a + b, 0) === MAX_TEST);
      assert.ok(r.metrics.pixel && r.metrics.pixel.positives > 0, "abnormal demo images have masks → pixel metrics");
      for (const c of m.categories) assert.ok(m.selectedSigns[c].length >= 2, c);
      assert.ok(m.signs.filter((s) => s.group !== "normal").every((s) => s.supportAuroc !== null));
      assert.strictEqual(m.uncertain.testImages, m.predictions.filter((p) => p.uncertain).length);
    }
    const table = medad.multiAnomalyTable(trained)!;
    assert.deepStrictEqual(
      table.rows.map((r) => r[0]),
      [
        "P1 normal vs any anomaly",
        "P1 normal vs any anomaly",
        "P2 mass vs rest",
        "P2 small_lesions vs rest",
        "P2 macro over categories",
        "P3 3-class",
        "P3 3-class",
        "P3 categories",
      ],
    );
    assert.strictEqual(table.rows[0][2], Number(trained.multiAnomaly!.p1.auroc.toFixed(4)));
  });

  it("uses edited signs, can switch selection and the fallback off, and is deterministic per seed", async () => {
    const signs = { categories: { mass: ["a big bright lump", "a shifted midline", "a squeezed ventricle"] } };
    const a = await run({ epochs: 1, augment: false, signs, selectSigns: false, uncertainFallback: false });
    const m = a.multiAnomaly!;
    assert.deepStrictEqual(m.selectedSigns.mass, signs.categories.mass);
    assert.match(m.signSource, /edited by options.signs/);
    assert.strictEqual(m.uncertain.threshold, null);
    assert.strictEqual(m.uncertain.testImages, 0);
    const b = await run({ epochs: 1, augment: false, signs, selectSigns: false, uncertainFallback: false });
    assert.deepStrictEqual(a.scores, b.scores);
    assert.deepStrictEqual(a.multiAnomaly, b.multiAnomaly);
  });

  it("resumes from its checkpoint to the uninterrupted result", async () => {
    const checkpoint = path.join(dir, "sdmad.ckpt.safetensors");
    const o = { augment: false };
    await run({ ...o, epochs: 2, checkpoint });
    const resumed = await run({ ...o, epochs: 4, checkpoint });
    const straight = await run({ ...o, epochs: 4 });
    assert.strictEqual(resumed.settings.resumedFromEpoch, 2);
    assert.deepStrictEqual(resumed.settings.epochLosses, (straight.settings.epochLosses as number[]).slice(2));
    assert.deepStrictEqual(resumed.scores, straight.scores);
    assert.deepStrictEqual(resumed.multiAnomaly!.p3, straight.multiAnomaly!.p3);
  });

  it("a stop during training ends the run with AbortError", async () => {
    const ac = new AbortController();
    let steps = 0;
    await assert.rejects(
      run(
        { epochs: 50 },
        { signal: ac.signal, onProgress: (_d, _t, phase) => phase === "train" && ++steps === 2 && ac.abort() },
      ),
      { name: "AbortError" },
    );
    assert.strictEqual(steps, 2);
  });

  it("runs in the background worker and through compare (P1 AUROC is the image AUROC column)", async () => {
    const common = {
      dataset: demoDatasetPath(),
      model: tinyClipModel,
      maxTestImages: 6,
      featureCache: path.join(dir, "features"),
      options: { epochs: 1, augment: false },
    };
    const viaWorker = await medad.fewshot({ ...common, method: "sd-mad", shots: 1, seed: 0 });
    assert.ok(viaWorker.multiAnomaly, "the result crosses the process boundary with its protocols");
    const cmp = await medad.compare({ ...common, methods: ["sd-mad"], shots: [1], seeds: [0] });
    assert.strictEqual(cmp.cells[0].imageAuroc.mean, cmp.runs[0].multiAnomaly!.p1.auroc);
    assert.deepStrictEqual(cmp.runs[0].multiAnomaly!.p3, viaWorker.multiAnomaly!.p3);
  });
});
