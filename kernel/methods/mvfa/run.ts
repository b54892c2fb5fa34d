/**
 * MVFA few-shot (methods.md §2): train the residual dual adapters on the augmented support set, then score with the
 * adapted trunk — the text branch (100·L2norm(med)·T with the prompt ensemble T) and the memory branch (bank = the
 * adapted `med` tokens of the augmented support normals, CLS included), fused 0.5/0.5; image score = max of the
 * fused map on segmentation datasets, the fused branch scores on det-only ones.
 *
 * Nothing before the first tapped block is trainable, so the frozen residual stream after that block is computed
 * once per image (training images in memory, test images through the on-disk feature cache) and both the training
 * steps and the scoring run only the blocks after it ("firstTap" graphs).
 *
 * Honest protocol: a fixed number of epochs (no model selection on the test split); normalisation statistics from
 * the support images (normals leave-one-image-out in the memory branch) — which are also the training images, so
 * their text-branch scores are optimistic; the result says so.
 */
import { encodeModel } from "../../engine/onnx/writer";
import { createSession, EngineSession } from "../../engine/runtime/session";
import { buildMemoryBank, MemoryBank } from "../branches";
import { createFeatureExtractor, ImageLoader } from "../features";
import { createMemoryScorer, MemoryScorer } from "../memoryScorer";
import { featureCacheOf, MethodContext, MethodOutput, quarterTaps, relPath } from "../method";
import { pluginBranches, pluginTokens } from "../plugins/apply";
import type { ScoredImage } from "../result";
import { mvfaBranches, scoredImage, scoreSamples } from "../scoredImages";
import { cachedEnsemble } from "../text/ensembleCache";
import { objectWordFor } from "../text/promptEnsemble";
import { trainedPhrase } from "../checkpointIdentity";
import { initParams, trainSettings, trainWithGradients } from "../training";
import { optionDefault } from "../fewshotOptions";
import { buildTrainingSet, supportHasMasks, TrainingImage } from "../trainingSet";
import { buildMvfaScoreGraph } from "./scoreGraph";
import { buildMvfaTrainGraph } from "./trainGraph";
import { EpochSelector } from "../selection/epochSelector";
import { chosenPhrase, selectionLabel } from "../selection/record";
import { mvfaAdapterTraining } from "./trainedAdapters";
import { ccbTscPrompts } from "../text/ccbTscPrompts";

export async function runMvfa(ctx: MethodContext): Promise<MethodOutput> {
  const vcfg = ctx.model.config.vision!;
  const vw = ctx.model.visionWeights();
  const taps = [...(ctx.taps ?? quarterTaps(vcfg.numLayers))].sort((a, b) => a - b);
  const objectWord = (ctx.options.objectWord as string | undefined) ?? objectWordFor(ctx.category);
  const settings = trainSettings(ctx, { epochs: optionDefault<number>("epochs", "mvfa")!, batch: 1 });
  // MVFA's CLASS_INDEX: segmentation datasets train and score the seg head, det-only datasets the det head.
  const head = (ctx.options.head as "seg" | "det" | undefined) ?? (supportHasMasks(ctx) ? "seg" : "det");
  if (head !== "seg" && head !== "det") throw new Error(`mvfa: head must be "seg" or "det", not '${String(head)}'`);
  if (head === "seg" && !supportHasMasks(ctx))
    throw new Error("mvfa: the seg head needs a mask for every abnormal support image");
  const size = ctx.imageSize;
  const first = taps[0];

  const set = buildTrainingSet(ctx, "mvfa", settings.augment, settings.seed);
  const train: TrainingImage[] = [...set.abnormal, ...set.normal];
  const { T, cached } = await cachedEnsemble(ctx, objectWord);
  // options.prompts: "fixed" (MVFA's ensemble, default) or "ccb-tsc" (learnable + manual, text/ccbTscPrompts.ts).
  const promptMode = ctx.options.prompts ?? "fixed";
  if (promptMode !== "fixed" && promptMode !== "ccb-tsc")
    throw new Error(
      `mvfa: option prompts must be "fixed" (MVFA's ensemble) or "ccb-tsc", not ${JSON.stringify(promptMode)}`,
    );
  const learnable = promptMode === "ccb-tsc" ? ccbTscPrompts(ctx, objectWord, T.data, settings.seed) : undefined;
  let textT = T.data;

  // Frozen residual after the first tapped block: the training (and scoring) graphs start there.
  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps: [first],
    space: "raw",
    activation: "gelu",
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  const residuals: Float32Array[] = new Array(train.length);
  let scoreSession: EngineSession | undefined;
  let scorers: MemoryScorer[] = [];
  try {
    await ctx.time("support", () =>
      fx.run(
        train.map(
          (t): ImageLoader =>
            () =>
              t.pixels,
        ),
        {
          batch: ctx.batch,
          phase: "support",
          onProgress: ctx.onProgress,
          signal: ctx.signal,
          each: (i, [r]) => void (residuals[i] = r),
        },
      ),
    );
    const { tokens, dim: width } = fx;

    const g = buildMvfaTrainGraph(vw, vcfg, {
      taps,
      textT: learnable ? learnable.emit : T.data,
      imageSize: size,
      seg: head === "seg",
      input: "firstTap",
    });
    const params = { ...initParams(g.params, settings.seed), ...(learnable?.init ?? {}) };
    const adapterTraining = mvfaAdapterTraining(g.params, head, ctx.options.trainAdapters);
    const trainable = [...adapterTraining.trained, ...g.textParams];

    // Scoring with the adapted trunk; prepareScoring() (re)builds the banks from the current adapters.
    const sg = buildMvfaScoreGraph(vw, vcfg, { taps, grid: fx.grid, head });
    const weightFeeds = Object.fromEntries(
      sg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
    );
    const adapted = async (residual: Float32Array): Promise<Float32Array[]> => {
      const out = await scoreSession!.run(
        { ...weightFeeds, residual: { data: residual, dims: [1, tokens, width] } },
        sg.outputs,
      );
      return sg.outputs.map((n) => out[n].data as Float32Array);
    };
    // CCB (when on) enhances the bank images too; each augmented version is its own image (key path#version).
    const geo = { dim: sg.proj, grid: fx.grid, size };
    const normalKey = (source: number) => relPath(ctx.dataset, ctx.support!.normal[source]);
    let banks: MemoryBank[] = [];
    const prepareScoring = async () => {
      if (learnable) textT = await learnable.textMatrix(params);
      scoreSession ??= await createSession(encodeModel(sg.graph), { device: ctx.device });
      const normalTokens: Float32Array[][] = [];
      const normalOwners: number[] = [];
      for (const [i, t] of train.entries()) {
        if (t.label !== 0) continue;
        const key = t.version === "original" ? normalKey(t.source) : `${normalKey(t.source)}#${t.version}`;
        normalTokens.push(pluginTokens(ctx.plugins, await adapted(residuals[i]), geo, key));
        normalOwners.push(t.source);
      }
      banks = taps.map((_, l) =>
        buildMemoryBank(
          normalTokens.map((n) => n[l]),
          sg.proj,
          true,
          normalOwners,
        ),
      );
      await Promise.all(scorers.map((sc) => sc.release()));
      scorers = await Promise.all(banks.map((bk) => createMemoryScorer(bk, ctx.device)));
    };

    const branches = (levels: Float32Array[], key: string, exclude?: number) =>
      pluginBranches(ctx.plugins, levels, geo, key, (feats) =>
        mvfaBranches(feats, { dim: sg.proj, grid: fx.grid, T: textT, banks, scorers, size, exclude }),
      );
    const score = (samples: typeof ctx.test, phase: "test" | "calibration") =>
      scoreSamples(ctx, fx, samples, phase, size, async ([r], s) =>
        branches(await adapted(r), relPath(ctx.dataset, s)),
      );
    const seg = head === "seg" && ctx.test.some((s) => s.label === "abnormal" && s.maskPath);
    // Epoch selection (selection/): scores held-out or test images after each epoch with a freshly built bank.
    const selector = new EpochSelector(ctx, params, {
      score: async (samples) => (
        await prepareScoring(),
        { mapSize: size, taps, images: await score(samples, "calibration") }
      ),
      imageScore: seg ? "map-max" : "branches",
      weights: { text: 0.5, memory: 0.5 },
    });
    const frozenFeeds = Object.fromEntries(
      adapterTraining.frozen.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
    );
    const { run, selection } = await trainWithGradients(ctx, {
      method: "mvfa",
      settings,
      graph: g.graph,
      loss: g.loss,
      trainable,
      params,
      examples: train.length,
      meta: {
        seed: settings.seed,
        shots: ctx.support!.normal.length,
        taps,
        head,
        trainAdapters: adapterTraining.mode,
        prompts: promptMode,
        lr: settings.lr,
        batch: settings.batch,
        augment: settings.augment,
      },
      selector,
      feeds(idx) {
        const res = new Float32Array(idx.length * tokens * width);
        const mask = new Float32Array(idx.length * size * size);
        idx.forEach((k, j) => {
          res.set(residuals[k], j * tokens * width);
          mask.set(train[k].mask, j * size * size);
        });
        return {
          ...frozenFeeds,
          residual: { data: res, dims: [idx.length, tokens, width] },
          mask: { data: mask, dims: [idx.length, 1, size, size] },
          label: { data: Float32Array.from(idx, (k) => train[k].label), dims: [idx.length] },
        };
      },
    });
    await prepareScoring();

    const normals = ctx.support!.normal;
    const calibration = await ctx.time("calibration", async () => {
      const images: ScoredImage[] = [];
      // Originals of the support normals, each against the bank without any of its own augmented versions.
      if (normals.length >= 2) {
        for (const [i, t] of train.entries()) {
          if (t.label === 0 && t.version === "original")
            images.push(
              scoredImage(
                ctx.dataset,
                normals[t.source],
                size,
                (await branches(await adapted(residuals[i]), normalKey(t.source), t.source)).branches,
              ),
            );
        }
      }
      images.push(...(await score(ctx.support!.abnormal, "calibration")));
      return { mapSize: size, taps, images };
    });
    const test = { mapSize: size, taps, images: await ctx.time("test", () => score(ctx.test, "test")) };
    return {
      label: `MVFA (adapters ${trainedPhrase(run, settings.epochs)}${chosenPhrase(selection)}; text + memory, 0.5/0.5)`,
      taps,
      grid: fx.grid,
      features: `MVFA adapters' ${head} med tokens (residual dual adapters, 0.8/0.1/0.1 mix)`,
      device: fx.device,
      test,
      calibration,
      selection,
      imageScore: seg ? "map-max" : "branches",
      weights: { text: 0.5, memory: 0.5 },
      settings: {
        objectWord,
        prompts: learnable ? learnable.label : T.prompts,
        textMatrix: cached ? "cached (same model hash, activation, word)" : "computed",
        head,
        trainAdapters: adapterTraining.mode,
        trainedAdapters: adapterTraining.label,
        loss: head === "seg" ? "Σ levels BCE (det head) + focal + dice (seg head)" : "Σ levels BCE (det head)",
        epochs: settings.epochs,
        selection: selectionLabel(selection),
        optimizer: { kind: "adam", lr: settings.lr, betas: settings.betas, weightDecay: 0 },
        trainBatch: settings.batch,
        trainSeed: settings.seed,
        init: "torch nn.Linear default U(±1/√fan_in), seeded",
        residualMix: [0.8, 0.1, 0.1],
        augment: settings.augment ? `mvfa (${set.versions} versions per support image)` : "none (originals only)",
        trainImages: { normal: set.normal.length, abnormal: set.abnormal.length },
        stepsRun: run.steps,
        resumedFromEpoch: run.resumedFromEpoch,
        epochLosses: run.epochLosses,
        trainMs: run.ms,
        checkpoint: settings.checkpoint ?? null,
        precision: "float32 (the reference trains under fp16 autocast)",
        memoryIncludesCls: true,
        memoryTokensPerTap: banks[0].count,
        imageRule: seg ? "max of the fused map (MVFA seg datasets)" : "fused branch scores (MVFA det datasets)",
        calibration: `${normals.length >= 2 ? "support normals leave-one-image-out + " : ""}support abnormals — the training images, so their text scores are optimistic`,
      },
    };
  } finally {
    await scoreSession?.release();
    await Promise.all(scorers.map((s) => s.release()));
    await fx.release();
  }
}
