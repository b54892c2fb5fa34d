/**
 * Zero-shot CLIP baseline (training-free; methods.md §7): frozen trunk, patch tokens of the chosen blocks (default:
 * the last) through ln_post and the visual projection into CLIP's joint space, cosine with MVFA's prompt-ensemble
 * text matrix ×100, softmax → anomaly map (MVFA's text branch: bilinear align_corners=True upsampling of the logits,
 * channel 1, summed over levels). Image score: mean of p₁ over patches summed over levels (MVFA's convention,
 * default) or the max of the map. WinCLIP's multi-scale windows are not included. No support image is used for
 * scoring; the support/validation images only calibrate the honest normalisation.
 */
import { textLevel, textLevelMap } from "./branches";
import { createFeatureExtractor } from "./features";
import { featureCacheOf, relPath, type MethodContext, type MethodOutput } from "./method";
import { pluginBranches } from "./plugins/apply";
import type { ScoredSet } from "./result";
import { branchWithRule, ImageRule, scoreSamples } from "./scoredImages";
import { cachedEnsemble } from "./text/ensembleCache";
import { objectWordFor } from "./text/promptEnsemble";

export async function runZeroShot(ctx: MethodContext): Promise<MethodOutput> {
  const layers = ctx.model.config.vision!.numLayers;
  const taps = ctx.taps ?? [layers];
  const rule = (ctx.options.imageScore as ImageRule | undefined) ?? "mean";
  const objectWord = (ctx.options.objectWord as string | undefined) ?? objectWordFor(ctx.category);

  const { T, cached } = await cachedEnsemble(ctx, objectWord);

  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: ctx.imageSize,
    taps,
    space: "projected",
    activation: ctx.activation,
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  try {
    const size = ctx.imageSize;
    const score = async (samples: typeof ctx.test, phase: "test" | "calibration"): Promise<ScoredSet> => {
      const images = await scoreSamples(ctx, fx, samples, phase, size, (tokens, s) =>
        pluginBranches(ctx.plugins, tokens, { dim: fx.dim, grid: fx.grid, size }, relPath(ctx.dataset, s), (feats) => {
          const levels = feats.map((t) => textLevel({ data: t, dim: fx.dim, grid: fx.grid }, T.data));
          return [branchWithRule("text", levels, textLevelMap, size, rule)];
        }),
      );
      return { mapSize: size, taps, images };
    };
    const support = ctx.support ? [...ctx.support.normal, ...ctx.support.abnormal] : [];
    const calibration = support.length ? await ctx.time("calibration", () => score(support, "calibration")) : undefined;
    const test = await ctx.time("test", () => score(ctx.test, "test"));
    return {
      label: "zero-shot CLIP (MVFA prompt ensemble, projected patch tokens)",
      taps,
      grid: fx.grid,
      features: "projected (ln_post + visual projection)",
      device: fx.device,
      test,
      calibration,
      imageScore: "branches",
      settings: {
        objectWord,
        prompts: T.prompts,
        textMatrix: cached ? "cached (same model hash, activation, word)" : "computed",
        imageScore: rule,
        temperature: 100,
      },
    };
  } finally {
    await fx.release();
  }
}
