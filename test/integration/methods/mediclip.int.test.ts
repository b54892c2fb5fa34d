// MediCLIP end to end on the bundled demo set with the tiny random CLIP (shots 4 normals only, 16 test images,
// 3 seeds): the normal-only protocol and backbone defaults (QuickGELU, bilinear + CLIP mean/std), training on
// synthetic anomalies lowers nothing we can promise per epoch (each epoch draws new tasks) but must move the pixel
// AUROC well above the untrained adapters' (measured: docs/mediclip.md), is deterministic per seed, resumes from its
// checkpoint to the uninterrupted result, reports progress in phase "train" and stops on the signal.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import type { FewshotResult } from "../../../kernel/methods/result";
import { tinyClipModel } from "../../helpers/fixturePaths";

const SEEDS = [0, 1, 2];
const SHOTS = 4;
const MAX_TEST = 16;
const EPOCHS = 20;

describe("methods: MediCLIP end to end (demo-brainmri, tiny CLIP)", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-mediclip-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const runs = new Map<string, FewshotResult>();
  const progress: { done: number; total: number; epoch?: number; loss?: number }[] = [];

  const run = (
    seed: number,
    options: Record<string, unknown>,
    extra: Partial<Parameters<typeof medad.fewshotInProcess>[0]> = {},
  ) =>
    medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "mediclip",
      shots: SHOTS,
      seed,
      model: tinyClipModel,
      maxTestImages: MAX_TEST,
      featureCache: path.join(dir, "features"),
      options,
      ...extra,
    });

  before(async () => {
    for (const seed of SEEDS) {
      runs.set(`${seed}/0`, await run(seed, { epochs: 0 }));
      runs.set(
        `${seed}/${EPOCHS}`,
        await run(
          seed,
          { epochs: EPOCHS },
          {
            onProgress: (done, total, phase, detail) =>
              seed === 0 &&
              phase === "train" &&
              progress.push({ done, total, epoch: detail?.epoch, loss: detail?.loss }),
          },
        ),
      );
    }
  });

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it("is normal-only and runs the backbone as MediCLIP does; the result records the training", () => {
    for (const seed of SEEDS) {
      const r = runs.get(`${seed}/${EPOCHS}`)!;
      assert.strictEqual(r.support!.protocol, "mediclip");
      assert.strictEqual(r.support!.normal.length, SHOTS);
      assert.strictEqual(r.support!.abnormal.length, 0);
      assert.strictEqual(r.model.activation, "quick_gelu");
      assert.deepStrictEqual(r.model.preprocess, { filter: "bilinear", normalize: true });
      assert.deepStrictEqual(r.model.taps, [4, 6, 8]);
      assert.strictEqual(r.settings.epochs, EPOCHS);
      assert.strictEqual(r.settings.stepsRun, EPOCHS); // 4 normals, batch 8: one step per epoch
      assert.strictEqual((r.settings.epochLosses as number[]).length, EPOCHS);
      assert.ok((r.settings.epochLosses as number[]).every(Number.isFinite));
      const drawn = (r.settings.synthesis as { drawn: Record<string, number> }).drawn;
      assert.strictEqual(
        Object.values(drawn).reduce((a, b) => a + b, 0),
        EPOCHS * SHOTS,
      );
      assert.ok(Object.keys(drawn).length >= 3, JSON.stringify(drawn));
      assert.strictEqual(r.settings.selection, `last epoch (${r.settings.epochs})`);
      assert.strictEqual(r.selection?.transductive, false);
      assert.deepStrictEqual([...r.normalisation.calibrationImages].sort(), [...r.support!.normal].sort());
      assert.strictEqual(r.fusion.imageScore, "map-max");
      assert.strictEqual(r.metrics.pixel!.positives + r.metrics.pixel!.negatives, MAX_TEST * 56 * 56);
      assert.strictEqual(runs.get(`${seed}/0`)!.settings.stepsRun, 0);
      assert.ok(runs.get(`${seed}/0`)!.scores.some((s, i) => s.score !== r.scores[i].score));
    }
  });

  it("trained adapters and prompts beat the untrained ones on mean pixel AUROC over 3 seeds", () => {
    const px = (epochs: number) => mean(SEEDS.map((s) => runs.get(`${s}/${epochs}`)!.metrics.pixel!.auroc));
    // Measured ≈ 0.43 → 0.92 (docs/mediclip.md); require a clear margin.
    assert.ok(px(EPOCHS) - px(0) >= 0.2, `pixel AUROC ${px(0)} → ${px(EPOCHS)}`);
  });

  it("training progress flows through onProgress (phase train, epoch, loss) up to done = total", () => {
    assert.strictEqual(progress.length, EPOCHS);
    assert.deepStrictEqual(
      progress.map((p) => p.done),
      Array.from({ length: EPOCHS }, (_, i) => i + 1),
    );
    assert.strictEqual(progress[EPOCHS - 1].epoch, EPOCHS);
    assert.ok(progress.every((p) => Number.isFinite(p.loss)));
  });

  it("the same seed gives the same result; an interrupted run resumes from its checkpoint to the uninterrupted result", async () => {
    const straight = await run(3, { epochs: 4 }, { maxTestImages: 4 });
    const again = await run(3, { epochs: 4 }, { maxTestImages: 4 });
    assert.deepStrictEqual(again.scores, straight.scores);
    const checkpoint = path.join(dir, "mediclip.ckpt.safetensors");
    const first = await run(3, { epochs: 2, checkpoint }, { maxTestImages: 4 });
    assert.strictEqual(first.settings.stepsRun, 2);
    const resumed = await run(3, { epochs: 4, checkpoint }, { maxTestImages: 4 });
    assert.strictEqual(resumed.settings.resumedFromEpoch, 2);
    assert.deepStrictEqual(resumed.settings.epochLosses, (straight.settings.epochLosses as number[]).slice(2));
    assert.deepStrictEqual(resumed.scores, straight.scores);
  });

  it("options are checked; a stop during training ends the run with AbortError", async () => {
    await assert.rejects(run(0, { epochs: 1, tasks: ["cutpaste", "nope"] }), /option tasks must be a non-empty list/);
    await assert.rejects(run(0, { epochs: 1, cutPasteBlend: "alpha" }), /cutPasteBlend must be "replace"/);
    const ac = new AbortController();
    let steps = 0;
    await assert.rejects(
      run(
        0,
        { epochs: 50 },
        { signal: ac.signal, onProgress: (_d, _t, phase) => phase === "train" && ++steps === 3 && ac.abort() },
      ),
      { name: "AbortError" },
    );
    assert.strictEqual(steps, 3);
  });
});
