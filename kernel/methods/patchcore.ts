/**
 * PatchCore-style few-shot baseline (training-free; methods.md §7): MVFA's memory branch on frozen features. The
 * bank holds the tapped tokens of the k normal support images (raw residual stream by default; CLS included as in
 * MVFA, option), optionally with MVFA's 11 augmented versions of each image. Per test patch and level: min over the
 * bank of (1 − cos); bilinear align_corners=True upsampling; sum over levels. Image score: max of the summed map
 * (PatchCore's rule, default) or its mean (MVFA's det-head rule). No coreset subsampling: few-shot banks are small.
 *
 * Honest calibration: each support normal is scored against the bank without its own tokens (and without its
 * augmented versions) — scoring it against itself would give 0 everywhere — and the support abnormals against the
 * full bank.
 */
import { augmentSupport } from "../data/augment";
import { sampleImageTensor } from "../data/sampleTensors";
import { buildMemoryBank, memoryLevel, memoryLevelFromDistances, memoryLevelMap, MemoryBank } from "./branches";
import { createMemoryScorer, MemoryScorer } from "./memoryScorer";
import { createFeatureExtractor, FeatureSpace, ImageLoader, sampleLoader } from "./features";
import { MethodContext, MethodOutput, quarterTaps, featureCacheOf, relPath } from "./method";
import { pluginBranches, pluginTokens } from "./plugins/apply";
import type { ScoredImage, ScoredSet } from "./result";
import { branchWithRule, ImageRule, scoredImage, scoreSamples } from "./scoredImages";

export async function runPatchcore(ctx: MethodContext): Promise<MethodOutput> {
  if (!ctx.support || ctx.support.normal.length === 0)
    throw new Error("patchcore needs normal support images: set shots ≥ 1");
  const taps = ctx.taps ?? quarterTaps(ctx.model.config.vision!.numLayers);
  const rule = (ctx.options.imageScore as ImageRule | undefined) ?? "max";
  const space = (ctx.options.features as FeatureSpace | undefined) ?? "raw";
  const includeCls = (ctx.options.memoryIncludesCls as boolean | undefined) ?? true;
  const augment = (ctx.options.augment as boolean | undefined) ?? false;
  // "onnx": nearest-neighbour search as an ORT MatMul (fast); "js": branches.ts in float64 (reference arithmetic).
  const backend = (ctx.options.memoryBackend as "onnx" | "js" | undefined) ?? "onnx";
  if (backend !== "onnx" && backend !== "js")
    throw new Error(`patchcore: memoryBackend must be "onnx" or "js", not '${String(backend)}'`);
  const size = ctx.imageSize;
  const normals = ctx.support.normal;

  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps,
    space,
    activation: ctx.activation,
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  let scorers: MemoryScorer[] = [];
  try {
    // Bank: per tap, tokens of every (augmented) support normal, owned by the index of the original image.
    let loaders: ImageLoader[];
    let owners: number[];
    let versions: number[];
    if (augment) {
      const aug = augmentSupport(
        normals.map((s) => sampleImageTensor(s, { size, ...ctx.preprocess })),
        normals.map(() => undefined),
        "mvfa",
        ctx.support.record.seed ?? 0,
      );
      loaders = aug.images.map((t) => () => t.data);
      owners = aug.sources;
      versions = aug.sources.map((_, i) => Math.floor(i / normals.length));
    } else {
      loaders = normals.map((s) => sampleLoader(s, ctx));
      owners = normals.map((_, i) => i);
      versions = owners.map(() => 0);
    }
    // CCB (when on) enhances every bank image too; an augmented version is its own image (key path#version).
    const geo = { dim: fx.dim, grid: fx.grid, size };
    const keys = normals.map((s) => relPath(ctx.dataset, s));
    const keyOf = (i: number) => (versions[i] === 0 ? keys[owners[i]] : `${keys[owners[i]]}#${versions[i]}`);
    const perTap: Float32Array[][] = taps.map(() => new Array<Float32Array>(loaders.length));
    await ctx.time("support", () =>
      fx.run(loaders, {
        batch: ctx.batch,
        phase: "support",
        onProgress: ctx.onProgress,
        signal: ctx.signal,
        each: (i, tokens) => pluginTokens(ctx.plugins, tokens, geo, keyOf(i)).forEach((t, ti) => (perTap[ti][i] = t)),
      }),
    );
    const banks: MemoryBank[] = perTap.map((imgs) => buildMemoryBank(imgs, fx.dim, includeCls, owners));
    // The originals' tokens are kept for leave-one-out calibration (augmentSupport is version-major, so entry n is
    // original n either way); augmented copies live only in the banks.
    const originals = normals.map((_, n) => perTap.map((imgs) => imgs[n]));
    perTap.length = 0;

    if (backend === "onnx") scorers = await Promise.all(banks.map((bank) => createMemoryScorer(bank, ctx.device)));
    // The originals already went through CCB on their way into the bank (scoreTokens sees enhanced tokens there).
    const scoreTokens = (tokens: Float32Array[], exclude?: number) => {
      const levels = tokens.map((t, ti) =>
        memoryLevel({ data: t, dim: fx.dim, grid: fx.grid }, banks[ti], size, exclude),
      );
      return [branchWithRule("memory", levels, memoryLevelMap, size, rule)];
    };
    const scoreTokensFast = async (tokens: Float32Array[]) => {
      if (backend === "js") return scoreTokens(tokens);
      const levels = await Promise.all(
        tokens.map(async (t, ti) =>
          memoryLevelFromDistances(await scorers[ti].distances({ data: t, dim: fx.dim, grid: fx.grid }), fx.grid, size),
        ),
      );
      return [branchWithRule("memory", levels, memoryLevelMap, size, rule)];
    };
    const score = (samples: typeof ctx.test, phase: "test" | "calibration") =>
      scoreSamples(ctx, fx, samples, phase, size, (tokens, s) =>
        pluginBranches(ctx.plugins, tokens, geo, relPath(ctx.dataset, s), scoreTokensFast),
      );

    const calibration: ScoredSet | undefined = await ctx.time("calibration", async () => {
      const images: ScoredImage[] = [];
      if (normals.length >= 2) {
        for (const [n, s] of normals.entries()) {
          const plugged = await pluginBranches(ctx.plugins, originals[n], geo, keys[n], (f) => scoreTokens(f, n), {
            ccbDone: true,
          });
          images.push(scoredImage(ctx.dataset, s, size, plugged.branches));
        }
      }
      images.push(...(await score(ctx.support!.abnormal, "calibration")));
      return images.length ? { mapSize: size, taps, images } : undefined;
    });
    const test: ScoredSet = { mapSize: size, taps, images: await ctx.time("test", () => score(ctx.test, "test")) };
    return {
      label: "PatchCore-style few-shot (MVFA memory branch on frozen features)",
      taps,
      grid: fx.grid,
      features: space === "raw" ? "raw residual stream" : "projected (ln_post + visual projection)",
      device: fx.device,
      test,
      calibration,
      imageScore: "branches",
      settings: {
        imageScore: rule,
        memoryIncludesCls: includeCls,
        memoryBackend: backend,
        augment: augment ? "mvfa (11 versions)" : "none",
        memoryTokensPerTap: banks[0].count,
        coreset: "none",
        calibration:
          normals.length >= 2
            ? "support normals leave-one-image-out + support abnormals"
            : "support abnormals only (k = 1: no leave-one-out possible)",
      },
    };
  } finally {
    await Promise.all(scorers.map((s) => s.release()));
    await fx.release();
  }
}
