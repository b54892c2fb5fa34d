/**
 * MadCLIP few-shot (methods.md §3): the MFCFC dual adapters (normal + abnormal branch per level, both applied to
 * every image) trained on the augmented support set with SigLIP-style det loss (+ focal + dice on segmentation
 * datasets), then scored with the dual-contrast scores: per level, image score = mean over patches of
 * softmax([S_n, S_ab])₁ of the det outputs, map = softmax of the upsampled seg scores, channel 1; Σ levels. One
 * branch, no memory bank, no fusion; image score = max of the map on segmentation datasets, Σ levels of the det
 * score on det-only ones.
 *
 * The adapters are side branches of the frozen trunk, so every tap is extracted once per image and training runs
 * on the cached taps. Text: by default the learnable CoOp prompts (coop.ts), trained jointly with the adapters in one
 * gradient graph (the text tower runs every step, as in the reference); `prompts: "fixed"` uses MadCLIP's fixed prompt
 * ensemble instead. The result's settings say which.
 */
import { encodeModel } from "../../engine/onnx/writer";
import type { Feed } from "../../engine/runtime/session";
import { createSession, EngineSession } from "../../engine/runtime/session";
import { LevelScores, textLevelMap } from "../branches";
import { createFeatureExtractor, ImageLoader } from "../features";
import { featureCacheOf, MethodContext, MethodOutput, quarterTaps } from "../method";
import type { BranchScores, ScoredImage } from "../result";
import { branchWithRule, scoredImage, scoreSamples } from "../scoredImages";
import { cachedEnsemble } from "../text/ensembleCache";
import { objectWordFor } from "../text/promptEnsemble";
import { trainedPhrase } from "../checkpointIdentity";
import { initParams, trainSettings, trainWithGradients } from "../training";
import { optionDefault } from "../fewshotOptions";
import { buildTrainingSet, supportHasMasks, TrainingImage } from "../trainingSet";
import { buildMadclipScoreGraph } from "./scoreGraph";
import {
  COOP_ABNORMAL,
  COOP_CONTEXT,
  COOP_NORMAL,
  coopLayout,
  CoopLayout,
  coopTextMatrix,
  emitCoopText,
  initCoopContexts,
} from "./coop";
import type { TextConfig } from "../../engine/weights/clipConfig";
import type { TextWeights } from "../../engine/weights/clipWeights";
import { ClipTokenizer } from "../../tokenizer";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { buildMadclipTrainGraph } from "./trainGraph";
import { MADCLIP_FIXED_STATES } from "./fixedPrompts";
import { EpochSelector } from "../selection/epochSelector";
import { chosenPhrase, selectionLabel } from "../selection/record";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** cos(t_n, t_ab) of T [proj, 2] row-major. */
function columnsCos(T: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < T.length / 2; d++) {
    ab += T[2 * d] * T[2 * d + 1];
    aa += T[2 * d] ** 2;
    bb += T[2 * d + 1] ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** One level from [P, 2] = [S_n, S_ab] scores: softmax over the pair = σ(S_ab − S_n). */
export function madclipLevel(det: Float32Array, seg: Float32Array, g: number): LevelScores {
  const n = g * g;
  const grid = new Float64Array(n);
  let mean = 0;
  for (let p = 0; p < n; p++) {
    grid[p] = seg[2 * p + 1] - seg[2 * p];
    mean += sigmoid(det[2 * p + 1] - det[2 * p]);
  }
  return { grid, g, image: mean / n };
}

interface CoopSetup {
  weights: TextWeights;
  config: TextConfig;
  layouts: { normal: CoopLayout; abnormal: CoopLayout };
}

function coopSetup(ctx: MethodContext, objectWord: string): CoopSetup {
  const config = ctx.model.config.text;
  if (!config) throw new Error(`${ctx.model.files.config}: learnable prompts need the text tower`);
  const weights = ctx.model.textWeights();
  const tok = ClipTokenizer.fromDirectory(ctx.modelDir);
  const layout = (s: readonly string[]) => coopLayout(tok, weights, config.contextLength, s, objectWord);
  return { weights, config, layouts: { normal: layout(COOP_NORMAL), abnormal: layout(COOP_ABNORMAL) } };
}

/** T [proj, 2] from the trained contexts (one forward of the prompt graph). */
function learnedText(ctx: MethodContext, coop: CoopSetup, params: Record<string, NamedTensor>): Promise<Float32Array> {
  return coopTextMatrix(coop.weights, coop.config, coop.layouts, params, { device: ctx.device });
}

export async function runMadclip(ctx: MethodContext): Promise<MethodOutput> {
  const vcfg = ctx.model.config.vision!;
  const proj = ctx.model.visionWeights().projection.shape[1];
  const taps = [...(ctx.taps ?? quarterTaps(vcfg.numLayers))].sort((a, b) => a - b);
  const levels = taps.length;
  const objectWord = (ctx.options.objectWord as string | undefined) ?? objectWordFor(ctx.category);
  const settings = trainSettings(ctx, { epochs: optionDefault<number>("epochs", "madclip")!, batch: 16 });
  const seg = (ctx.options.seg as boolean | undefined) ?? supportHasMasks(ctx);
  if (seg && !supportHasMasks(ctx))
    throw new Error("madclip: the seg loss needs a mask for every abnormal support image");
  const size = ctx.imageSize;

  const set = buildTrainingSet(ctx, "madclip", settings.augment, settings.seed);
  const train: TrainingImage[] = [...set.abnormal, ...set.normal];
  // The reference's default (--text_mood learnable_all); "fixed" = its `fix` mode (7 + 7 states × 35 templates),
  // cheaper (no text tower per step).
  const promptMode = (ctx.options.prompts as "fixed" | "learnable" | undefined) ?? "learnable";
  if (promptMode !== "fixed" && promptMode !== "learnable")
    throw new Error(`madclip: prompts must be "fixed" or "learnable", not '${String(promptMode)}'`);
  const coop = promptMode === "learnable" ? coopSetup(ctx, objectWord) : undefined;
  // The fixed ensemble is the text matrix of "fixed" mode (learnable mode computes its T from the trained contexts).
  const fixed = coop ? undefined : await cachedEnsemble(ctx, objectWord, MADCLIP_FIXED_STATES);

  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps,
    space: "raw",
    activation: "gelu",
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  const taped: Float32Array[][] = new Array(train.length);
  let scoreSession: EngineSession | undefined;
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
          each: (i, t) => void (taped[i] = t),
        },
      ),
    );
    const { tokens, dim: width, grid: g } = fx;

    const tg = buildMadclipTrainGraph({
      levels,
      width,
      proj,
      grid: g,
      imageSize: size,
      textT: coop ? (b) => emitCoopText(b, coop.weights, coop.config, coop.layouts) : fixed!.T.data,
      seg,
    });
    const params = {
      ...initParams(tg.params, settings.seed),
      ...(coop ? initCoopContexts(coop.layouts.normal.prompts, coop.config.hiddenSize, settings.seed) : {}),
    };
    const trainable = [...tg.params, ...tg.textParams];
    const mapRule = seg && ctx.test.some((s) => s.label === "abnormal" && s.maskPath);
    // Scoring with the current adapters (and prompts: T is rebuilt from the contexts); one session at a time.
    const prepareScoring = async () => {
      await scoreSession?.release();
      scoreSession = undefined;
      const T = coop ? await learnedText(ctx, coop, params) : fixed!.T.data;
      const sg = buildMadclipScoreGraph({ levels, width, proj, grid: g, textT: T });
      const session = (scoreSession = await createSession(encodeModel(sg.graph), { device: ctx.device }));
      const weightFeeds = Object.fromEntries(
        sg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
      );
      const branches = async (tapTokens: Float32Array[]): Promise<BranchScores[]> => {
        const feeds: Record<string, Feed> = { ...weightFeeds };
        tapTokens.forEach((t, l) => (feeds[`tap${l}`] = { data: t, dims: [1, tokens, width] }));
        const out = await session.run(feeds, [...sg.det, ...sg.seg]);
        const lv = sg.det.map((d, l) =>
          madclipLevel(out[d].data as Float32Array, out[sg.seg[l]].data as Float32Array, g),
        );
        return [branchWithRule("text", lv, textLevelMap, size, "mean")];
      };
      return { T, branches };
    };
    // Epoch selection (selection/): the reference's min–max has eps 1e-4.
    const selector = new EpochSelector(ctx, params, {
      score: async (samples) => {
        const { branches } = await prepareScoring();
        return { mapSize: size, taps, images: await scoreSamples(ctx, fx, samples, "calibration", size, branches) };
      },
      imageScore: mapRule ? "map-max" : "branches",
      eps: 1e-4,
    });
    const { run, selection } = await trainWithGradients(ctx, {
      method: "madclip",
      settings,
      graph: tg.graph,
      loss: tg.loss,
      trainable,
      params,
      examples: train.length,
      meta: {
        seed: settings.seed,
        shots: ctx.support!.normal.length,
        taps,
        seg,
        lr: settings.lr,
        batch: settings.batch,
        augment: settings.augment,
      },
      selector,
      feeds(idx) {
        const feeds: Record<string, Feed> = {};
        for (let l = 0; l < levels; l++) {
          const x = new Float32Array(idx.length * tokens * width);
          idx.forEach((k, j) => x.set(taped[k][l], j * tokens * width));
          feeds[`tap${l}`] = { data: x, dims: [idx.length, tokens, width] };
        }
        const mask = new Float32Array(idx.length * size * size);
        idx.forEach((k, j) => mask.set(train[k].mask, j * size * size));
        feeds.mask = { data: mask, dims: [idx.length, 1, size, size] };
        feeds.label = { data: Float32Array.from(idx, (k) => train[k].label), dims: [idx.length] };
        return feeds;
      },
    });

    const { T, branches } = await prepareScoring();
    const score = (samples: typeof ctx.test, phase: "test" | "calibration") =>
      scoreSamples(ctx, fx, samples, phase, size, branches);

    const calibration = await ctx.time("calibration", async () => {
      // The originals of every support image (their taps are already here); no memory bank, so no leave-one-out.
      const images: ScoredImage[] = [];
      for (const [i, t] of train.entries()) {
        if (t.version !== "original") continue;
        const sample = (t.label === 0 ? ctx.support!.normal : ctx.support!.abnormal)[t.source];
        images.push(scoredImage(ctx.dataset, sample, size, await branches(taped[i])));
      }
      return { mapSize: size, taps, images };
    });
    const test = { mapSize: size, taps, images: await ctx.time("test", () => score(ctx.test, "test")) };
    return {
      label: `MadCLIP (dual adapters${coop ? " + CoOp prompts" : ""} ${trainedPhrase(run, settings.epochs)}${chosenPhrase(selection)}${coop ? "" : "; fixed prompt ensemble, no CoOp"})`,
      taps,
      grid: g,
      features: "MadCLIP MFCFC normal/abnormal adapters on the frozen residual stream",
      device: fx.device,
      test,
      calibration,
      selection,
      imageScore: mapRule ? "map-max" : "branches",
      weights: { text: 1 },
      settings: {
        objectWord,
        prompts: coop
          ? `learnable CoOp (${COOP_CONTEXT} context vectors per prompt, class-specific; ${coop.layouts.normal.prompts} prompts per class = 7 sentences × end/front/middle; no causal mask; pad id 0; mean of un-normalised embeddings) — our implementation, not parity-tested against the reference`
          : `fixed ensemble (MadCLIP's fix mode: ${fixed!.T.prompts.normal} normal / ${fixed!.T.prompts.abnormal} abnormal prompts = 7 + 7 states × 35 templates, per-prompt normalised mean); MadCLIP's learnable CoOp prompts (the default) were switched off with options.prompts = "fixed"`,
        textMatrix: coop
          ? "from the trained contexts"
          : fixed!.cached
            ? "cached (same model hash, activation, word)"
            : "computed",
        scores: "dual contrast S_n = O_n·(t_n − t_ab), S_ab = O_ab·(t_ab − t_n), no temperature",
        // |S_ab − S_n| ≤ 2·|t_n − t_ab|: nearly parallel columns leave the scores (and the loss) little room.
        textColumnsCos: columnsCos(T),
        loss: seg ? "Σ levels SigLIP (det) + focal + dice (seg)" : "Σ levels SigLIP (det)",
        epochs: settings.epochs,
        selection: selectionLabel(selection),
        optimizer: { kind: "adam", lr: settings.lr, betas: settings.betas, weightDecay: 0 },
        trainBatch: settings.batch,
        trainSeed: settings.seed,
        init: "torch nn.Linear default U(±1/√fan_in), seeded",
        augment: settings.augment
          ? `madclip (${set.versions} versions per support image; colour jitter ${set.jitter})`
          : "none (originals only)",
        jitter: set.jitter,
        trainImages: { normal: set.normal.length, abnormal: set.abnormal.length },
        stepsRun: run.steps,
        resumedFromEpoch: run.resumedFromEpoch,
        epochLosses: run.epochLosses,
        trainMs: run.ms,
        checkpoint: settings.checkpoint ?? null,
        precision: "float32 (the reference trains under fp16 autocast)",
        imageRule: mapRule
          ? "max of the map (MadCLIP seg datasets)"
          : "Σ levels of the det score (MadCLIP det datasets)",
        calibration: "support images (normals + abnormals) — the training images, so their scores are optimistic",
      },
    };
  } finally {
    await scoreSession?.release();
    await fx.release();
  }
}
