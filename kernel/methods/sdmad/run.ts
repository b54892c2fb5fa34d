/**
 * `sd-mad`: our SD-MAD-inspired few-shot multi-anomaly detection (methods.md §6.2; docs/sd-mad.md). Not the
 * authors' method (no public code): results are "SD-MAD-inspired".
 *
 * 1. Categories = the anomaly categories of the support set (k normal + k per category, "per-category" protocol);
 *    signs = a shipped list (signs/*.json) or options.signs, encoded once with the frozen text tower.
 * 2. The frozen trunk's last tap is cached per support image (augmented versions); a shift adapter before ln_post/proj
 *    is trained with BCE on the category logits + the inter-category margin (graph.ts). W₂ starts at zero, so the
 *    untrained model (epochs 0) is frozen CLIP matching signs.
 * 3. Sign selection on the support originals (selection.ts); uncertain test images (decision entropy above the
 *    support's 90th percentile) fall back to all signs.
 * 4. Image score max_c σ(z_c) and map σ(upsampled per-patch max_c logit) go through the shared evaluation (so
 *    metrics.image is protocol 1); the three protocols are in result.multiAnomaly.
 */
import { anomalyCategories } from "../../data/anomalyCategories";
import type { Sample } from "../../data/types";
import { ClipTextEncoder } from "../../engine/clip/model";
import { encodeModel } from "../../engine/onnx/writer";
import { createSession, EngineSession } from "../../engine/runtime/session";
import { ClipTokenizer, toInt64 } from "../../tokenizer";
import { textLevelMap } from "../branches";
import { createFeatureExtractor } from "../features";
import { featureCacheOf, MethodContext, MethodOutput, relPath } from "../method";
import type { BranchScores, ScoredImage } from "../result";
import { scoredImage, scoreSamples } from "../scoredImages";
import { trainedPhrase } from "../checkpointIdentity";
import { initParams, trainSettings, trainWithGradients } from "../training";
import { optionDefault } from "../fewshotOptions";
import { buildTrainingSet, TrainingImage } from "../trainingSet";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { MARGIN, MARGIN_WEIGHT, SHIFT_KEEP, TEMPERATURE, UNCERTAIN_PERCENTILE, topCount } from "./design";
import { buildSdmadScoreGraph, buildSdmadTrainGraph, ClipHead, SHIFT_FC2 } from "./graph";
import { multiAnomalyProtocols } from "./protocols";
import {
  anomalyScore,
  categoryLogits,
  categoryWeights,
  decisionEntropy,
  patchLogitGrid,
  predictedClass,
  signScores,
} from "./scores";
import { selectSigns, uncertaintyThreshold } from "./selection";
import { resolveSigns, signLayout, SignLayout, SignsOption } from "./signs";
import type { MultiAnomalyPrediction, MultiAnomalyResult } from "./types";

/** Unit text embeddings of the sign prompts as [proj, S] row-major. */
async function signTextMatrix(ctx: MethodContext, layout: SignLayout): Promise<Float32Array> {
  return ctx.time("text", async () => {
    const enc = await ClipTextEncoder.create(
      ctx.model,
      { input: "ids", activation: ctx.activation },
      { device: ctx.device },
    );
    try {
      const tok = ClipTokenizer.fromDirectory(ctx.modelDir);
      const out = await enc.encodeIds(toInt64(tok.tokenize(layout.prompts)));
      const S = layout.prompts.length;
      const proj = out.dims[1];
      const e = out.data as Float32Array;
      const T = new Float32Array(proj * S);
      for (let s = 0; s < S; s++) {
        let n = 0;
        for (let d = 0; d < proj; d++) n += e[s * proj + d] ** 2;
        const inv = 1 / Math.sqrt(n);
        for (let d = 0; d < proj; d++) T[d * S + s] = e[s * proj + d] * inv;
      }
      ctx.onProgress?.(1, 1, "text");
      return T;
    } finally {
      await enc.release();
    }
  });
}

/** min / mean / max cosine between distinct sign embeddings (columns of T [proj, S]). */
function pairwiseCos(T: Float32Array, S: number): { min: number; mean: number; max: number } {
  const proj = T.length / S;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let a = 0; a < S; a++) {
    for (let b = a + 1; b < S; b++) {
      let c = 0;
      for (let d = 0; d < proj; d++) c += T[d * S + a] * T[d * S + b];
      min = Math.min(min, c);
      max = Math.max(max, c);
      sum += c;
      n++;
    }
  }
  return n ? { min, mean: sum / n, max } : { min: NaN, mean: NaN, max: NaN };
}

function boolOption(ctx: MethodContext, name: string, fallback: boolean): boolean {
  const v = ctx.options[name];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new Error(`sd-mad: option ${name} must be true or false, got ${String(v)}`);
  return v;
}

/** 1-based category ids of a sample; a test abnormal image needs categories the support set has. */
function categoryIds(s: Sample, categories: readonly string[], where: string): number[] {
  const names = anomalyCategories(s);
  if (s.label === "abnormal" && names.length === 0) {
    throw new Error(
      `sd-mad: ${s.path} (${where}) is abnormal but has no anomaly category; add an anomaly_type column to the dataset's manifest.csv (docs/sd-mad.md)`,
    );
  }
  const unknown = names.filter((c) => !categories.includes(c));
  if (unknown.length)
    throw new Error(
      `sd-mad: ${s.path} (${where}) has anomaly category '${unknown[0]}', which the support set lacks (support categories: ${categories.join(", ")})`,
    );
  return s.label === "abnormal" ? names.map((c) => categories.indexOf(c) + 1).sort((a, b) => a - b) : [];
}

interface Decision {
  z: number[];
  uncertain: boolean;
}

export async function runSdmad(ctx: MethodContext): Promise<MethodOutput> {
  const support = ctx.support;
  if (!support || support.normal.length === 0 || support.abnormal.length === 0) {
    throw new Error(
      'sd-mad trains on k normal + k abnormal images per anomaly category: set shots ≥ 1 (support protocol "per-category")',
    );
  }
  const vcfg = ctx.model.config.vision!;
  const vw = ctx.model.visionWeights();
  const tap = ctx.taps?.length ? Math.max(...ctx.taps) : vcfg.numLayers;
  const categories = [...new Set(support.abnormal.flatMap(anomalyCategories))].sort();
  const supportIds = support.abnormal.map((s) => categoryIds(s, categories, "support"));
  const testIds = ctx.test.map((s) => categoryIds(s, categories, "test"));
  const K = categories.length;
  const resolved = resolveSigns(ctx.options.signs as SignsOption | undefined, ctx.category, categories);
  const layout = signLayout(resolved.signs, categories);
  const S = layout.texts.length;
  const doSelect = boolOption(ctx, "selectSigns", true);
  const fallback = boolOption(ctx, "uncertainFallback", true);
  const settings = trainSettings(ctx, { epochs: optionDefault<number>("epochs", "sd-mad")!, batch: 8 });
  const size = ctx.imageSize;

  const signText = await signTextMatrix(ctx, layout);
  const set = buildTrainingSet(ctx, "mvfa", settings.augment, settings.seed);
  const train: TrainingImage[] = [...set.abnormal, ...set.normal];
  const labelsOf = (t: TrainingImage) => {
    const y = new Float32Array(K);
    if (t.label === 1) for (const c of supportIds[t.source]) y[c - 1] = 1;
    return y;
  };

  const fx = await createFeatureExtractor(ctx.model, {
    imageSize: size,
    taps: [tap],
    space: "raw",
    activation: "gelu",
    preprocess: ctx.preprocess,
    device: ctx.device,
    cache: featureCacheOf(ctx),
  });
  const taped: Float32Array[] = new Array(train.length);
  let scoreSession: EngineSession | undefined;
  try {
    await ctx.time("support", () =>
      fx.run(
        train.map((t) => () => t.pixels),
        {
          batch: ctx.batch,
          phase: "support",
          onProgress: ctx.onProgress,
          signal: ctx.signal,
          each: (i, t) => void (taped[i] = t[0]),
        },
      ),
    );
    const { tokens, dim: width, grid: g } = fx;
    const head: ClipHead = { lnPost: vw.lnPost, projection: vw.projection, eps: vcfg.layerNormEps };
    const graphOptions = { width, grid: g, head, signText, signs: S };
    const tg = buildSdmadTrainGraph({ ...graphOptions, group: layout.group, categories: K });
    // W₂ = 0: the adapter starts as the identity up to scale (ln_post removes it), i.e. frozen CLIP matching signs.
    const params: Record<string, NamedTensor> = initParams(tg.params, settings.seed);
    params[SHIFT_FC2].data.fill(0);
    const { run } = await trainWithGradients(ctx, {
      method: "sd-mad",
      settings,
      graph: tg.graph,
      loss: tg.loss,
      trainable: tg.params,
      params,
      examples: train.length,
      meta: {
        seed: settings.seed,
        shots: support.normal.length,
        tap,
        categories,
        signs: layout.prompts,
        lr: settings.lr,
        batch: settings.batch,
        augment: settings.augment,
      },
      feeds(idx) {
        const x = new Float32Array(idx.length * tokens * width);
        const y = new Float32Array(idx.length * K);
        idx.forEach((k, j) => (x.set(taped[k], j * tokens * width), y.set(labelsOf(train[k]), j * K)));
        const abnormal = idx.filter((k) => train[k].label === 1).length;
        return {
          tap: { data: x, dims: [idx.length, tokens, width] },
          labels: { data: y, dims: [idx.length, K] },
          margin_weight: {
            data: Float32Array.from(idx, (k) => (train[k].label === 1 ? 1 / abnormal : 0)),
            dims: [idx.length],
          },
        };
      },
    });

    const sg = buildSdmadScoreGraph(graphOptions);
    scoreSession = await createSession(encodeModel(sg.graph), { device: ctx.device });
    const weightFeeds = Object.fromEntries(
      sg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
    );
    const cosOf = async (t: Float32Array) =>
      (await scoreSession!.run({ ...weightFeeds, tap: { data: t, dims: [1, tokens, width] } }, ["cos"])).cos
        .data as Float32Array;

    // Sign selection and the uncertainty threshold from the support originals (their taps are cached above).
    const originals = train.flatMap((t, i) => (t.version === "original" ? [i] : []));
    const supportCos = await Promise.all(originals.map((i) => cosOf(taped[i])));
    const supportU = supportCos.map((c) => signScores(c, tokens, S));
    const supportLabels = originals.map((i) => (train[i].label === 1 ? supportIds[train[i].source] : []));
    const selection = selectSigns(supportU, supportLabels, layout.group, K);
    const selected = doSelect ? selection.selected : layout.group.map(() => true);
    const wSel = categoryWeights(layout.group, K, selected);
    const wAll = categoryWeights(layout.group, K);
    const threshold = fallback
      ? uncertaintyThreshold(supportU.map((u) => decisionEntropy(categoryLogits(u, wSel))))
      : null;

    const decisions = new WeakMap<BranchScores, Decision>();
    const branchesOf = (cos: Float32Array): BranchScores[] => {
      const u = signScores(cos, tokens, S);
      let z = categoryLogits(u, wSel);
      let w = wSel;
      const uncertain = threshold !== null && decisionEntropy(z) > threshold;
      if (uncertain) {
        z = categoryLogits(u, wAll);
        w = wAll;
      }
      const image = anomalyScore(z);
      const branch: BranchScores = {
        name: "signs",
        image,
        levels: [{ grid: patchLogitGrid(cos, tokens, w), g, image }],
        render: textLevelMap,
      };
      decisions.set(branch, { z, uncertain });
      return [branch];
    };

    const calibration = {
      mapSize: size,
      taps: [tap],
      images: originals.map((i, j): ScoredImage => {
        const t = train[i];
        return scoredImage(
          ctx.dataset,
          (t.label === 0 ? support.normal : support.abnormal)[t.source],
          size,
          branchesOf(supportCos[j]),
        );
      }),
    };
    const testImages = await ctx.time("test", () =>
      scoreSamples(ctx, fx, ctx.test, "test", size, async (tokensOf) => branchesOf(await cosOf(tokensOf[0]))),
    );
    const testDecisions = testImages.map((im) => decisions.get(im.branches[0])!);
    const protocols = multiAnomalyProtocols(
      testDecisions.map((d, i) => ({ categories: testIds[i], z: d.z })),
      categories,
    );
    // The same protocols on the support originals: how well training fits its own images (optimistic by design).
    const supportFit = multiAnomalyProtocols(
      calibration.images.map((im, j) => ({ categories: supportLabels[j], z: decisions.get(im.branches[0])!.z })),
      categories,
    );
    const classNames = ["normal", ...categories];
    const predictions: MultiAnomalyPrediction[] = testDecisions.map((d, i) => ({
      file: relPath(ctx.dataset, ctx.test[i]),
      truth: testIds[i].length ? testIds[i].map((c) => categories[c - 1]).join("+") : "normal",
      predicted: classNames[predictedClass(d.z)],
      logits: d.z,
      uncertain: d.uncertain,
    }));
    const multiAnomaly: MultiAnomalyResult = {
      categories,
      signSource: resolved.source,
      modality: resolved.signs.modality,
      signs: layout.texts.map((sign, s) => ({
        group: layout.group[s] === 0 ? "normal" : categories[layout.group[s] - 1],
        sign,
        prompt: layout.prompts[s],
        supportAuroc: layout.group[s] === 0 || Number.isNaN(selection.auroc[s]) ? null : selection.auroc[s],
        selected: selected[s],
      })),
      selectedSigns: Object.fromEntries(
        categories.map((c, i) => [c, layout.texts.filter((_, s) => layout.group[s] === i + 1 && selected[s])]),
      ),
      selection: doSelect ? "support AUROC ≥ max(0.5, median), at least 2 per category" : "off (all signs)",
      uncertain: {
        fallback,
        percentile: UNCERTAIN_PERCENTILE,
        threshold,
        testImages: testDecisions.filter((d) => d.uncertain).length,
      },
      ...protocols,
      supportFit: { p1: supportFit.p1, p2: supportFit.p2, p3: supportFit.p3 },
      predictions,
    };
    return {
      label: `SD-MAD-inspired (shift adapter ${trainedPhrase(run, settings.epochs)}; ${K} categories, ${S} signs)`,
      taps: [tap],
      grid: g,
      features: `shift adapter on the frozen residual stream after block ${tap}, then ln_post + proj (CLIP joint space)`,
      device: fx.device,
      test: { mapSize: size, taps: [tap], images: testImages },
      calibration,
      imageScore: "branches",
      weights: { signs: 1 },
      multiAnomaly,
      settings: {
        design: "SD-MAD-inspired (methods.md §6.2): our design, not the authors' (no public code)",
        categories,
        signSource: resolved.source,
        modality: resolved.signs.modality,
        prompt: "a {modality} image showing {sign}.",
        shiftAdapter: {
          keep: SHIFT_KEEP,
          hidden: tg.params[0].shape[0],
          init: "W₁ torch default U(±1/√fan_in) seeded; W₂ = 0 (starts as frozen CLIP)",
        },
        // Near-parallel sign embeddings (e.g. a random text tower) leave the logits little room: (u_c − u_0)/τ is tiny.
        signTextCos: pairwiseCos(signText, S),
        signScore: `½·cos(global, t) + ½·mean of the top ${topCount(tokens - 1)} patch cosines`,
        temperature: TEMPERATURE,
        loss: `BCE(σ(z), y) + ${MARGIN_WEIGHT}·margin (m = ${MARGIN}, cosine units, mean over abnormal images)`,
        imageScore: "max_c σ(z_c) (protocol 1)",
        map: "σ(upsampled per-patch max_c logit)",
        epochs: settings.epochs,
        selection:
          "none: fixed epoch count (no model selection on the test split); signs selected on the support set only",
        optimizer: { kind: "adam", lr: settings.lr, betas: settings.betas, weightDecay: 0 },
        trainBatch: settings.batch,
        trainSeed: settings.seed,
        augment: settings.augment ? `mvfa (${set.versions} versions per support image)` : "none (originals only)",
        trainImages: { normal: set.normal.length, abnormal: set.abnormal.length },
        stepsRun: run.steps,
        resumedFromEpoch: run.resumedFromEpoch,
        epochLosses: run.epochLosses,
        trainMs: run.ms,
        checkpoint: settings.checkpoint ?? null,
        calibration: "support originals — the training images, so their scores are optimistic",
      },
    };
  } finally {
    await scoreSession?.release();
    await fx.release();
  }
}
