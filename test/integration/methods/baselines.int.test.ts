// Both training-free baselines end to end on the bundled demo set with the tiny random CLIP: the result's structure
// and records, metrics equal to the metrics core on the same scores, and honest vs reference differing only in the
// normalisation. The tiny model is random, so metric values are not asserted to be good.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import { normalise } from "../../../kernel/methods/normalise";
import { clearEnsembleCache } from "../../../kernel/methods/text/ensembleCache";
import type { FewshotResult } from "../../../kernel/methods/result";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { averagePrecision } from "../../../kernel/metrics/averagePrecision";
import { f1Max } from "../../../kernel/metrics/f1Max";
import { tinyClipModel } from "../../helpers/fixturePaths";

const MAX_TEST = 24;
const SHOTS = 2;
const SEED = 3;

function wholeFileHash(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

describe("methods: zero-shot and patchcore baselines end to end (demo-brainmri, tiny CLIP)", function () {
  this.timeout(120_000);
  const runs = new Map<string, FewshotResult>();
  const progress = new Map<string, string[]>();

  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-features-"));
  after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  before(async () => {
    // Features are cached per image across runs (default on); this suite keeps its cache to itself.
    process.env.MEDAD_FEATURE_CACHE = cacheDir;
    clearEnsembleCache();
    for (const method of ["zero-shot", "patchcore"]) {
      for (const protocol of ["honest", "reference"] as const) {
        const seen: string[] = [];
        runs.set(
          `${method}/${protocol}`,
          await medad.fewshotInProcess({
            dataset: demoDatasetPath(),
            method,
            shots: SHOTS,
            seed: SEED,
            model: tinyClipModel,
            protocol,
            maxTestImages: MAX_TEST,
            batch: 5,
            onProgress: (d, t, phase) => seen.push(`${phase} ${d}/${t}`),
          }),
        );
        progress.set(`${method}/${protocol}`, seen);
      }
    }
  });

  for (const method of ["zero-shot", "patchcore"]) {
    it(`${method}: the result records seed, shots, support files, protocol, model hash, subsample and timings`, () => {
      const r = runs.get(`${method}/honest`)!;
      assert.strictEqual(r.schema, "medad.fewshot-result/1");
      assert.strictEqual(r.method, method);
      assert.strictEqual(r.seed, SEED);
      assert.strictEqual(r.shots, SHOTS);
      assert.strictEqual(r.protocol, "honest");
      assert.strictEqual(r.support!.normal.length, SHOTS);
      assert.strictEqual(r.support!.abnormal.length, SHOTS);
      for (const f of [...r.support!.normal, ...r.support!.abnormal])
        assert.ok(fs.existsSync(path.join(demoDatasetPath(), f)), f);
      assert.ok(r.support!.normal.every((f) => f.includes("/valid/good/")));
      assert.deepStrictEqual(
        { over: r.model.hash.over, weights: r.model.hash.weightsSha256 },
        { over: "weights+config", weights: wholeFileHash(path.join(tinyClipModel, "model.safetensors")) },
      );
      assert.deepStrictEqual(r.test, {
        total: 96,
        evaluated: MAX_TEST,
        normal: 12,
        abnormal: 12,
        subsample: { seed: SEED, max: MAX_TEST },
      });
      assert.strictEqual(r.scores.length, MAX_TEST);
      assert.ok(r.scores.every((s) => s.file.includes("/test/") && s.label === (s.file.includes("/Ungood/") ? 1 : 0)));
      assert.deepStrictEqual(r.model.taps, method === "zero-shot" ? [8] : [2, 4, 6, 8]);
      assert.strictEqual(r.model.imageSize, 56);
      assert.strictEqual(r.model.grid, 7);
      assert.ok(
        r.timings.totalMs > 0 &&
          ["test", "evaluate", "calibration"].every((p) => typeof r.timings.phases[p] === "number"),
      );
      assert.strictEqual(r.normalisation.source, "calibration");
      assert.strictEqual(r.normalisation.transductive, false);
      // Calibration uses the support images only, never a test image.
      assert.deepStrictEqual(
        [...r.normalisation.calibrationImages].sort(),
        [...r.support!.normal, ...r.support!.abnormal].sort(),
      );
      assert.ok(
        JSON.parse(JSON.stringify(r)).metrics.image.auroc === r.metrics.image.auroc,
        "the result is plain JSON",
      );
    });

    it(`${method}: image and per-layer metrics equal the metrics core on the result's scores; pixel metrics present`, () => {
      for (const protocol of ["honest", "reference"]) {
        const r = runs.get(`${method}/${protocol}`)!;
        const scores = r.scores.map((s) => s.score);
        const labels = r.scores.map((s) => s.label);
        assert.strictEqual(r.metrics.image.auroc, aurocExact(scores, labels));
        assert.strictEqual(r.metrics.image.averagePrecision, averagePrecision(scores, labels));
        assert.deepStrictEqual(r.metrics.image.f1Max, f1Max(scores, labels));
        const branch = method === "zero-shot" ? "text" : "memory";
        r.metrics.perLayer.forEach((l, li) => {
          assert.strictEqual(l.branch, branch);
          assert.strictEqual(
            l.image.auroc,
            aurocExact(
              r.scores.map((s) => s.layers[branch][li]),
              labels,
            ),
          );
          assert.ok(l.pixel && l.pixel.positives > 0);
        });
        const px = r.metrics.pixel!;
        assert.strictEqual(px.positives + px.negatives, MAX_TEST * 56 * 56);
        assert.ok(px.auroc >= 0 && px.auroc <= 1);
      }
    });

    it(`${method}: honest and reference differ only in the normalisation`, () => {
      const h = runs.get(`${method}/honest`)!;
      const r = runs.get(`${method}/reference`)!;
      const branch = method === "zero-shot" ? "text" : "memory";
      // Same images, same raw scores, same support.
      assert.deepStrictEqual(
        h.scores.map((s) => [s.file, s.branches, s.layers]),
        r.scores.map((s) => [s.file, s.branches, s.layers]),
      );
      assert.deepStrictEqual(h.support, r.support);
      // Each protocol's score is its own min–max of the same raw score.
      const raw = h.scores.map((s) => s.branches[branch]);
      for (const res of [h, r])
        res.scores.forEach((s, i) =>
          assert.ok(Math.abs(s.score - normalise(raw[i], res.normalisation.branches[0].image)) < 1e-12),
        );
      // Reference statistics are the test set's; honest ones are not.
      assert.deepStrictEqual(
        [r.normalisation.branches[0].image.min, r.normalisation.branches[0].image.max],
        [Math.min(...raw), Math.max(...raw)],
      );
      assert.notDeepStrictEqual(h.normalisation.branches[0].image, r.normalisation.branches[0].image);
      assert.strictEqual(r.normalisation.source, "test");
      assert.strictEqual(r.normalisation.transductive, true);
      // One branch → min–max is monotone: rank metrics agree (pixels up to float32 rounding of the normalised maps).
      assert.strictEqual(h.metrics.image.auroc, r.metrics.image.auroc);
      assert.ok(Math.abs(h.metrics.pixel!.auroc - r.metrics.pixel!.auroc) < 1e-6);
      assert.deepStrictEqual(h.metrics.perLayer, r.metrics.perLayer);
      assert.ok(h.scores.some((s, i) => s.score !== r.scores[i].score));
    });

    it(`${method}: progress is reported per batch and phase, ending at done = total`, () => {
      const seen = progress.get(`${method}/honest`)!;
      const phases = [...new Set(seen.map((s) => s.split(" ")[0]))];
      assert.deepStrictEqual(
        phases,
        method === "zero-shot"
          ? ["text", "calibration", "test", "evaluate"]
          : ["support", "calibration", "test", "evaluate"],
      );
      assert.ok(seen.includes(`test ${Math.ceil(MAX_TEST / 5)}/${Math.ceil(MAX_TEST / 5)}`));
      assert.ok(seen.includes(`evaluate ${MAX_TEST}/${MAX_TEST}`));
      if (method === "zero-shot") {
        // The second run reuses T (same model hash, activation and object word): no text phase.
        assert.strictEqual(runs.get("zero-shot/honest")!.settings.textMatrix, "computed");
        assert.strictEqual(
          runs.get("zero-shot/reference")!.settings.textMatrix,
          "cached (same model hash, activation, word)",
        );
        assert.ok(!progress.get("zero-shot/reference")!.some((p) => p.startsWith("text")));
      }
    });
  }

  it("patchcore calibrates support normals leave-one-out (non-zero distances) and honours memory options", async () => {
    const r = runs.get("patchcore/honest")!;
    assert.ok(
      r.normalisation.branches[0].image.min > 0,
      "a support normal scored against a bank holding itself would give 0",
    );
    const aug = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "patchcore",
      shots: SHOTS,
      seed: SEED,
      model: tinyClipModel,
      maxTestImages: 4,
      options: { augment: true, memoryIncludesCls: false, imageScore: "mean" },
    });
    assert.strictEqual(aug.settings.memoryTokensPerTap, 11 * SHOTS * 49);
    assert.strictEqual(aug.settings.imageScore, "mean");
    assert.strictEqual(r.settings.memoryTokensPerTap, SHOTS * 50);
    assert.strictEqual(r.settings.memoryBackend, "onnx");
    // The float64 TypeScript search gives the same raw scores as the ORT search (float32 sums).
    const js = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "patchcore",
      shots: SHOTS,
      seed: SEED,
      model: tinyClipModel,
      maxTestImages: MAX_TEST,
      options: { memoryBackend: "js" },
    });
    assert.deepStrictEqual(
      js.scores.map((s) => s.file),
      r.scores.map((s) => s.file),
    );
    js.scores.forEach((s, i) =>
      s.layers.memory.forEach((v, li) =>
        assert.ok(
          Math.abs(v - r.scores[i].layers.memory[li]) < 1e-5,
          `${s.file} level ${li}: ${v} vs ${r.scores[i].layers.memory[li]}`,
        ),
      ),
    );
  });

  it("zero-shot with shots 0: no support, honest normalisation has nothing to calibrate on and keeps raw scores", async () => {
    const r = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "zero-shot",
      shots: 0,
      taps: [3, 5],
      model: tinyClipModel,
      maxTestImages: 6,
      options: { imageScore: "max" },
    });
    assert.strictEqual(r.support, null);
    assert.strictEqual(r.normalisation.source, "none");
    assert.deepStrictEqual(r.model.taps, [3, 5]);
    assert.deepStrictEqual(
      r.metrics.perLayer.map((l) => l.tap),
      [3, 5],
    );
    r.scores.forEach((s) => assert.strictEqual(s.score, s.branches.text));
    // "max": the branch score is the max of the summed map, at least the max of either level's map.
    r.scores.forEach((s) =>
      assert.ok(
        s.branches.text <= s.layers.text[0] + s.layers.text[1] + 1e-12 &&
          s.branches.text >= Math.max(...s.layers.text) - 1e-12,
      ),
    );
    await assert.rejects(
      medad.fewshotInProcess({
        dataset: demoDatasetPath(),
        method: "patchcore",
        shots: 2,
        taps: [9],
        model: tinyClipModel,
      }),
      /tap 9 is outside blocks 1\.\.8/,
    );
    await assert.rejects(
      medad.fewshotInProcess({ dataset: demoDatasetPath(), method: "patchcore", shots: 0, model: tinyClipModel }),
      /patchcore needs normal support images/,
    );
  });

  it("an aborted run stops with AbortError; an unknown method is refused with the list of methods", async () => {
    const ac = new AbortController();
    let calls = 0;
    await assert.rejects(
      medad.fewshotInProcess({
        dataset: demoDatasetPath(),
        method: "patchcore",
        shots: 1,
        model: tinyClipModel,
        signal: ac.signal,
        batch: 2,
        onProgress: () => ++calls === 1 && ac.abort(),
      }),
      { name: "AbortError" },
    );
    assert.strictEqual(calls, 1);
    await assert.rejects(
      medad.fewshotInProcess({ dataset: demoDatasetPath(), method: "winclip++", model: tinyClipModel }),
      /unknown method 'winclip\+\+'/,
    );
  });
});

describe("methods: mvfa-frozen (MVFA's two branches and fusion on frozen features) end to end", function () {
  this.timeout(120_000);
  const runs = new Map<string, FewshotResult>();
  before(async () => {
    for (const protocol of ["honest", "reference"] as const) {
      runs.set(
        protocol,
        await medad.fewshotInProcess({
          dataset: demoDatasetPath(),
          method: "mvfa-frozen",
          shots: SHOTS,
          seed: SEED,
          model: tinyClipModel,
          protocol,
          maxTestImages: MAX_TEST,
        }),
      );
    }
  });

  it("fuses text and memory 0.5/0.5, image score = max of the fused map (masks exist), metrics = metrics core", () => {
    for (const r of runs.values()) {
      assert.deepStrictEqual(r.fusion, { weights: { text: 0.5, memory: 0.5 }, imageScore: "map-max" });
      assert.deepStrictEqual(
        r.normalisation.branches.map((b) => [b.branch, b.map !== undefined]),
        [
          ["text", true],
          ["memory", true],
        ],
      );
      const labels = r.scores.map((s) => s.label);
      assert.strictEqual(
        r.metrics.image.auroc,
        aurocExact(
          r.scores.map((s) => s.score),
          labels,
        ),
      );
      assert.strictEqual(r.metrics.perLayer.length, 8);
      assert.strictEqual(r.metrics.pixel!.positives + r.metrics.pixel!.negatives, MAX_TEST * 56 * 56);
    }
    // Under the reference protocol both normalised maps lie in [0, 1], so their 0.5/0.5 fusion's max does too.
    for (const s of runs.get("reference")!.scores)
      assert.ok(s.score >= 0 && s.score <= 1 + 1e-6, `${s.file}: ${s.score}`);
  });

  it("honest and reference share every raw score; only the normalisation (and so the fusion) differs", () => {
    const h = runs.get("honest")!;
    const r = runs.get("reference")!;
    assert.deepStrictEqual(
      h.scores.map((s) => [s.file, s.branches, s.layers]),
      r.scores.map((s) => [s.file, s.branches, s.layers]),
    );
    assert.deepStrictEqual(h.metrics.perLayer, r.metrics.perLayer);
    for (const [bi, name] of ["text", "memory"].entries()) {
      const raw = r.scores.map((s) => s.branches[name]);
      assert.deepStrictEqual(
        [r.normalisation.branches[bi].image.min, r.normalisation.branches[bi].image.max],
        [Math.min(...raw), Math.max(...raw)],
      );
    }
    assert.strictEqual(h.normalisation.source, "calibration");
    assert.notDeepStrictEqual(h.normalisation.branches, r.normalisation.branches);
  });
});

describe("methods: the per-image feature cache", function () {
  this.timeout(120_000);
  it("serves a rerun from the cache with identical scores, and keys on the recipe", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-features-"));
    try {
      const opts = {
        dataset: demoDatasetPath(),
        method: "patchcore",
        shots: 1,
        seed: 1,
        model: tinyClipModel,
        maxTestImages: 6,
        featureCache: dir,
      };
      const first = await medad.fewshotInProcess(opts);
      const second = await medad.fewshotInProcess(opts);
      const uncached = await medad.fewshotInProcess({ ...opts, featureCache: false });
      assert.deepStrictEqual(
        first.timings.featureCache,
        { dir, hits: 0, misses: 8 },
        "2 support + 6 test images computed",
      );
      assert.deepStrictEqual(second.timings.featureCache, { dir, hits: 8, misses: 0 });
      assert.strictEqual(uncached.timings.featureCache, null);
      assert.deepStrictEqual(second.scores, first.scores);
      assert.deepStrictEqual(uncached.scores, first.scores);
      const otherSize = await medad.fewshotInProcess({ ...opts, imageSize: 48 });
      assert.deepStrictEqual(
        otherSize.timings.featureCache,
        { dir, hits: 0, misses: 8 },
        "another image size is another recipe",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
