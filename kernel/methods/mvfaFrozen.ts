/**
 * MVFA's few-shot test() on frozen features ("mvfa-frozen"): both of MVFA's branches on the same tokens — the text
 * branch and the memory branch — with MVFA's fusion (each branch min–max normalised, 0.5/0.5) and image rule (max of
 * the fused map where the test set has masks, else the fused branch image scores: Σ levels of mean p₁ and the mean
 * of the memory map). MVFA's adapters map the 1024-d residual stream into the 768-d joint space; without adapters
 * the frozen stand-in is ln_post + the visual projection (the zero-shot baseline's features), so both branches read
 * projected tokens of the quarter-point taps. Not MVFA itself (no adapters, no training): a training-free ablation
 * that shows what MVFA's scoring and fusion give before training — and where honest vs reference normalisation
 * actually changes AUROC (two branches are summed).
 */
import { buildMemoryBank, MemoryBank } from "./branches";
import { createFeatureExtractor, sampleLoader } from "./features";
import { createMemoryScorer, MemoryScorer } from "./memoryScorer";
import { MethodContext, MethodOutput, quarterTaps, featureCacheOf, relPath } from "./method";
import { pluginBranches, pluginTokens } from "./plugins/apply";
import type { ScoredImage } from "./result";
import { mvfaBranches, scoredImage, scoreSamples } from "./scoredImages";
import { cachedEnsemble } from "./text/ensembleCache";
import { objectWordFor } from "./text/promptEnsemble";

export async function runMvfaFrozen(ctx: MethodContext): Promise<MethodOutput> {
  if (!ctx.support || ctx.support.normal.length === 0)
    throw new Error("mvfa-frozen needs normal support images: set shots ≥ 1");
  const taps = ctx.taps ?? quarterTaps(ctx.model.config.vision!.numLayers);
  const objectWord = (ctx.options.objectWord as string | undefined) ?? objectWordFor(ctx.category);
  const includeCls = (ctx.options.memoryIncludesCls as boolean | undefined) ?? true;
  const size = ctx.imageSize;
  const normals = ctx.support.normal;
  const seg = ctx.test.some((s) => s.label === "abnormal" && s.maskPath);

  const { T, cached } = await cachedEnsemble(ctx, objectWord);
  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps,
    space: "projected",
    activation: ctx.activation,
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  let scorers: MemoryScorer[] = [];
  try {
    const originals: Float32Array[][] = new Array(normals.length);
    await ctx.time("support", () =>
      fx.run(
        normals.map((s) => sampleLoader(s, ctx)),
        {
          batch: ctx.batch,
          phase: "support",
          onProgress: ctx.onProgress,
          signal: ctx.signal,
          each: (i, t) => void (originals[i] = t),
        },
      ),
    );
    // CCB (when on) enhances the bank images too, so support and test patches live in the same feature space.
    const geo = { dim: fx.dim, grid: fx.grid, size };
    const keys = normals.map((s) => relPath(ctx.dataset, s));
    const bankImages = originals.map((o, n) => pluginTokens(ctx.plugins, o, geo, keys[n]));
    const banks: MemoryBank[] = taps.map((_, ti) =>
      buildMemoryBank(
        bankImages.map((o) => o[ti]),
        fx.dim,
        includeCls,
      ),
    );
    scorers = await Promise.all(banks.map((b) => createMemoryScorer(b, ctx.device)));

    const branches = (tokens: Float32Array[], key: string, exclude?: number) =>
      pluginBranches(ctx.plugins, tokens, geo, key, (feats) =>
        mvfaBranches(feats, { dim: fx.dim, grid: fx.grid, T: T.data, banks, scorers, size, exclude }),
      );
    const score = (samples: typeof ctx.test, phase: "test" | "calibration") =>
      scoreSamples(ctx, fx, samples, phase, size, (tokens, s) => branches(tokens, relPath(ctx.dataset, s)));
    const calibration = await ctx.time("calibration", async () => {
      const images: ScoredImage[] = [];
      if (normals.length >= 2)
        for (let n = 0; n < normals.length; n++)
          images.push(scoredImage(ctx.dataset, normals[n], size, (await branches(originals[n], keys[n], n)).branches));
      images.push(...(await score(ctx.support!.abnormal, "calibration")));
      return images.length ? { mapSize: size, taps, images } : undefined;
    });
    const test = { mapSize: size, taps, images: await ctx.time("test", () => score(ctx.test, "test")) };
    return {
      label: "MVFA scoring on frozen features (no adapters; projected tokens; text + memory, 0.5/0.5)",
      taps,
      grid: fx.grid,
      features: "projected (ln_post + visual projection) — frozen stand-in for MVFA's adapters",
      device: fx.device,
      test,
      calibration,
      imageScore: seg ? "map-max" : "branches",
      weights: { text: 0.5, memory: 0.5 },
      settings: {
        objectWord,
        prompts: T.prompts,
        textMatrix: cached ? "cached (same model hash, activation, word)" : "computed",
        memoryIncludesCls: includeCls,
        augment: "none",
        memoryTokensPerTap: banks[0].count,
        imageRule: seg ? "max of the fused map (MVFA seg datasets)" : "fused branch scores (MVFA det datasets)",
        calibration:
          normals.length >= 2
            ? "support normals leave-one-image-out + support abnormals"
            : "support abnormals only (k = 1)",
      },
    };
  } finally {
    await Promise.all(scorers.map((s) => s.release()));
    await fx.release();
  }
}
