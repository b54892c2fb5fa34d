/**
 * MediCLIP few-shot (methods.md §4): normal-only. The k support normals are turned into synthetic anomalies every
 * epoch (CutPaste, GaussIntensityChange, Source deformation, Identity; data/synth/), the frozen trunk (QuickGELU,
 * CLIP mean/std, bilinear resize) is tapped at the half / three-quarter / last blocks (12/18/24 on ViT-L), 1×1 conv
 * adapters + L2-norm map each tap to the joint space, the logits against the learned CoOp text matrix are averaged
 * over levels, upsampled (align_corners=True) and soft-maxed; focal + dice on the synthetic label map. Adam lr 1e-3
 * (betas 0.5/0.999), batch 8, 200 epochs by default, fixed epoch count (the reference keeps the best epoch on the test
 * set; we do not look at it). Image score = max of the anomaly map; no real abnormal image is used.
 */
import type { GrayImage } from "../../data/synth/grayImage";
import { readGraySample } from "../../data/synth/sampleImage";
import { isSynthTask, SYNTH_TASKS, SynthTaskName } from "../../data/synth/tasks";
import { Rng } from "../../util/random/rng";
import { encodeModel } from "../../engine/onnx/writer";
import type { Feed } from "../../engine/runtime/session";
import { createSession, EngineSession } from "../../engine/runtime/session";
import { ClipTokenizer } from "../../tokenizer";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { LevelScores, textLevelMap } from "../branches";
import { createFeatureExtractor, ImageLoader } from "../features";
import { COOP_CONTEXT, coopTextMatrix, emitCoopText, initCoopContexts } from "../madclip/coop";
import { featureCacheOf, MethodContext, MethodOutput, quarterTaps } from "../method";
import type { BranchScores } from "../result";
import { branchWithRule, scoreSamples } from "../scoredImages";
import { trainedPhrase } from "../checkpointIdentity";
import { initLinear, trainSettings, trainWithGradients } from "../training";
import { optionDefault } from "../fewshotOptions";
import { buildMediclipScoreGraph, buildMediclipTrainGraph } from "./graphs";
import { mediclipPromptLayouts, MEDICLIP_ABNORMAL_STATES, MEDICLIP_NORMAL_STATES } from "./prompts";
import { synthesisRng, SynthesisSettings, syntheticSample } from "./trainingBatch";
import { EpochSelector } from "../selection/epochSelector";
import { chosenPhrase, selectionLabel } from "../selection/record";

/** MediCLIP's taps: blocks 12, 18, 24 of 24 (the last three quarter points). */
export function mediclipTaps(layers: number): number[] {
  const q = quarterTaps(layers);
  return q.length > 3 ? q.slice(-3) : q;
}

/** Conv2d's default init (kaiming_uniform a = √5): weight and bias U(±1/√fan_in), one fork per tensor, seeded. */
export function initMediclipAdapters(
  params: readonly { name: string; shape: number[] }[],
  seed: number,
): Record<string, NamedTensor> {
  const root = new Rng(seed);
  const out: Record<string, NamedTensor> = {};
  params.forEach((p, i) => {
    const rng = root.fork(i);
    if (p.shape.length === 2) out[p.name] = { shape: [...p.shape], data: initLinear([p.shape[0], p.shape[1]], rng) };
    else {
      const fanIn = params[i - 1].shape[1]; // the bias follows its weight
      const bound = 1 / Math.sqrt(fanIn);
      out[p.name] = {
        shape: [...p.shape],
        data: Float32Array.from({ length: p.shape[0] }, () => rng.uniform(-bound, bound)),
      };
    }
  });
  return out;
}

function synthesisSettings(o: Record<string, unknown>): SynthesisSettings {
  const tasks = (o.tasks ?? [...SYNTH_TASKS]) as unknown;
  if (!Array.isArray(tasks) || tasks.length === 0 || !tasks.every(isSynthTask))
    throw new Error(`mediclip: option tasks must be a non-empty list from ${SYNTH_TASKS.join(", ")}`);
  const blend = o.cutPasteBlend ?? "replace";
  if (blend !== "replace" && blend !== "poisson")
    throw new Error(
      `mediclip: option cutPasteBlend must be "replace" (the code) or "poisson" (the paper), not '${String(blend)}'`,
    );
  return { tasks: [...new Set(tasks as SynthTaskName[])], cutPasteBlend: blend };
}

/** The single fused level: mean logits → l₁ − l₀ grid; image score = max of the rendered map. */
function fusedLevel(logits: Float32Array, g: number): LevelScores {
  const grid = new Float64Array(g * g);
  for (let p = 0; p < grid.length; p++) grid[p] = logits[2 * p + 1] - logits[2 * p];
  return { grid, g, image: 0 };
}

export async function runMediclip(ctx: MethodContext): Promise<MethodOutput> {
  const normals = ctx.support?.normal ?? [];
  if (normals.length === 0)
    throw new Error("mediclip trains on k normal support images and synthetic anomalies: set shots ≥ 1");
  const vcfg = ctx.model.config.vision!;
  const tcfg = ctx.model.config.text;
  if (!tcfg) throw new Error(`${ctx.model.files.config}: MediCLIP's learnable prompts need the text tower`);
  const proj = ctx.model.visionWeights().projection.shape[1];
  const taps = [...(ctx.taps ?? mediclipTaps(vcfg.numLayers))].sort((a, b) => a - b);
  const levels = taps.length;
  const settings = trainSettings(ctx, { epochs: optionDefault<number>("epochs", "mediclip")!, batch: 8 });
  const synth = synthesisSettings(ctx.options);
  const tau = ctx.options.tau as number | undefined;
  if (tau !== undefined && !(typeof tau === "number" && tau > 0))
    throw new Error(`mediclip: option tau must be a positive number (the paper's 0.07), got ${String(tau)}`);
  const activation = ctx.activation ?? "quick_gelu";
  const size = ctx.imageSize;

  const textWeights = ctx.model.textWeights();
  const layouts = mediclipPromptLayouts(ClipTokenizer.fromDirectory(ctx.modelDir), textWeights, tcfg);
  const gray: GrayImage[] = normals.map((s) => readGraySample(s, size));

  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps,
    space: "raw",
    activation,
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  let scoreSession: EngineSession | undefined;
  const taskCounts: Record<string, number> = {};
  try {
    const { tokens, dim: width, grid: g } = fx;
    const emitText = (b: Parameters<typeof emitCoopText>[0]) => emitCoopText(b, textWeights, tcfg, layouts, activation);
    const tg = buildMediclipTrainGraph({ levels, width, proj, grid: g, imageSize: size, textT: emitText, tau });
    const params = {
      ...initMediclipAdapters(tg.params, settings.seed),
      ...initCoopContexts(
        { normal: layouts.normal.prompts, abnormal: layouts.abnormal.prompts },
        tcfg.hiddenSize,
        settings.seed,
      ),
    };
    const trainable = [...tg.params, ...tg.textParams];
    // Scoring with the current adapters and prompts (T rebuilt from the contexts); one session at a time.
    const prepareScoring = async () => {
      await scoreSession?.release();
      scoreSession = undefined;
      const T = await coopTextMatrix(textWeights, tcfg, layouts, params, { device: ctx.device, activation });
      const sg = buildMediclipScoreGraph({ levels, width, proj, grid: g, textT: T, tau });
      const session = (scoreSession = await createSession(encodeModel(sg.graph), { device: ctx.device }));
      const weightFeeds = Object.fromEntries(
        sg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
      );
      const branches = async (tapTokens: Float32Array[]): Promise<BranchScores[]> => {
        const feeds: Record<string, Feed> = { ...weightFeeds };
        tapTokens.forEach((t, l) => (feeds[`tap${l}`] = { data: t, dims: [1, tokens, width] }));
        const out = await session.run(feeds, [sg.logits]);
        return [
          branchWithRule("text", [fusedLevel(out[sg.logits].data as Float32Array, g)], textLevelMap, size, "max"),
        ];
      };
      return { branches };
    };
    // Epoch selection (selection/); the scored sets carry one level, reported under the deepest tap.
    const selector = new EpochSelector(ctx, params, {
      score: async (samples) => {
        const { branches } = await prepareScoring();
        const images = await scoreSamples(ctx, fx, samples, "calibration", size, branches);
        return { mapSize: size, taps: [taps[taps.length - 1]], images };
      },
      imageScore: "map-max",
    });
    const { run, selection } = await trainWithGradients(ctx, {
      method: "mediclip",
      settings,
      graph: tg.graph,
      loss: tg.loss,
      trainable,
      params,
      examples: gray.length,
      meta: {
        seed: settings.seed,
        shots: gray.length,
        taps,
        lr: settings.lr,
        batch: settings.batch,
        tasks: synth.tasks,
        cutPasteBlend: synth.cutPasteBlend,
        tau: tau ?? null,
      },
      selector,
      // Synthesis depends only on (seed, epoch, image): a resumed run sees the same batches.
      async feeds(idx, epoch) {
        const samples = idx.map((k) =>
          syntheticSample(gray, k, synthesisRng(settings.seed, epoch, k), synth, ctx.preprocess.normalize),
        );
        for (const s of samples) taskCounts[s.task] = (taskCounts[s.task] ?? 0) + 1;
        const tapped: Float32Array[][] = new Array(samples.length);
        await fx.run(
          samples.map(
            (s): ImageLoader =>
              () =>
                s.pixels,
          ),
          { batch: settings.batch, phase: "train", signal: ctx.signal, each: (i, t) => void (tapped[i] = t) },
        );
        const feeds: Record<string, Feed> = {};
        for (let l = 0; l < levels; l++) {
          const x = new Float32Array(samples.length * tokens * width);
          tapped.forEach((t, j) => x.set(t[l], j * tokens * width));
          feeds[`tap${l}`] = { data: x, dims: [samples.length, tokens, width] };
        }
        const label = new Float32Array(samples.length * size * size);
        samples.forEach((s, j) => label.set(s.label, j * size * size));
        feeds.label = { data: label, dims: [samples.length, 1, size, size] };
        return feeds;
      },
    });

    const { branches } = await prepareScoring();
    // One level in the scored sets: MediCLIP averages the taps' logits before the softmax, so its map is not a sum
    // of per-tap maps. It is reported under the deepest tap.
    const scoredTaps = [taps[taps.length - 1]];
    const calibration = {
      mapSize: size,
      taps: scoredTaps,
      images: await ctx.time("calibration", () => scoreSamples(ctx, fx, normals, "calibration", size, branches)),
    };
    const test = {
      mapSize: size,
      taps: scoredTaps,
      images: await ctx.time("test", () => scoreSamples(ctx, fx, ctx.test, "test", size, branches)),
    };
    const ignored = ctx.support?.abnormal.length ?? 0;
    return {
      label: `MediCLIP (adapters + CoOp prompts ${trainedPhrase(run, settings.epochs)}${chosenPhrase(selection)} on synthetic anomalies)`,
      taps,
      grid: g,
      features: "MediCLIP 1×1 adapters on the frozen residual stream (QuickGELU by default)",
      device: fx.device,
      test,
      calibration,
      selection,
      imageScore: "map-max",
      weights: { text: 1 },
      settings: {
        supervision: `normal-only: ${normals.length} support normals + synthetic anomalies${ignored ? `; ${ignored} abnormal support images were ignored` : ""}`,
        prompts: `learnable CoOp (${COOP_CONTEXT} context vectors per prompt, class-specific, "end" position; ${MEDICLIP_NORMAL_STATES.length} normal / ${MEDICLIP_ABNORMAL_STATES.length} abnormal generic states, no object word; no causal mask; pad id 0; mean of un-normalised embeddings) — not parity-tested against the reference (no fixture)`,
        scores: `per tap cos(adapter(x), T)${tau ? ` / τ = ${tau}` : " (no temperature, as the code)"}, mean over taps, bilinear align_corners=True, softmax; image score = max of the map`,
        levels:
          "one fused level: the taps' logits are averaged before the softmax; per-layer metrics show it under the deepest tap",
        synthesis: {
          tasks: synth.tasks,
          probability: `1/${synth.tasks.length} each`,
          cutPasteBlend: synth.cutPasteBlend,
          drawn: taskCounts,
        },
        loss: "focal (label cast to integer) + dice (float label) on the 2-channel map",
        epochs: settings.epochs,
        selection: selectionLabel(selection),
        optimizer: { kind: "adam", lr: settings.lr, betas: settings.betas, weightDecay: 0 },
        trainBatch: settings.batch,
        trainSeed: settings.seed,
        init: "Conv2d default U(±1/√fan_in) for weights and biases; contexts N(0, 0.02); seeded",
        activation,
        trainImages: { normal: normals.length, syntheticPerEpoch: normals.length },
        stepsRun: run.steps,
        resumedFromEpoch: run.resumedFromEpoch,
        epochLosses: run.epochLosses,
        trainMs: run.ms,
        checkpoint: settings.checkpoint ?? null,
        precision: "float32 (as the reference)",
        calibration: "support normals (the training images before synthesis), so their scores are optimistic",
      },
    };
  } finally {
    await scoreSession?.release();
    await fx.release();
  }
}
