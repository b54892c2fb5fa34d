/**
 * The evaluation every method shares. Input: the method's ScoredSet for the test images (and, for the honest
 * protocol, for calibration images from the support/validation set). Steps:
 *  1. normalisation statistics per branch — image scores and maps separately — from the calibration set (honest)
 *     or from the whole test set (reference: MVFA/MadCLIP's global min–max, transductive);
 *  2. fusion: Σ_b w_b·norm_b(·) for image scores and maps; the image score is either the fused branch scores or the
 *     max of the fused map (MVFA's rule for pixel-labelled datasets);
 *  3. image AUROC / AP / F1-max on the fused scores; pixel AUROC / AP / F1-max streamed over every pixel of every
 *     test image (normals included, as the references do) when masks exist; the same per branch and tapped level on
 *     raw scores.
 * Maps are rendered from the stored patch grids one image at a time, so memory does not grow with the test set.
 */
import { aurocExact } from "../metrics/auroc";
import { averagePrecision } from "../metrics/averagePrecision";
import { f1Max } from "../metrics/f1Max";
import { PixelAurocAccumulator } from "../metrics/pixelAurocAccumulator";
import { branchMap, fuseImage, type FusionSpec } from "./fuse";
import { IDENTITY, MinMaxTracker } from "./normalise";
import { checkAbort } from "../util/cancellation";
import { Progress } from "./progress";
import { calibrateSamples, type ResolvedTsc } from "./plugins/tsc";
import {
  checkQuantile,
  colourRange,
  DecisionCounter,
  decisions,
  DEFAULT_IMAGE_QUANTILE,
  DEFAULT_PIXEL_QUANTILE,
  normalThreshold,
} from "./thresholds";
import { encodeMap, poolMap, RESULT_MAP_SIDE } from "./resultMaps";
import type {
  BranchNormalisation,
  EvalProtocol,
  FewshotResult,
  ImageScoreRecord,
  LayerMetrics,
  MinMax,
  NormalisationRecord,
  ScoredImage,
  ScoredSet,
  ThresholdMetrics,
  ThresholdsRecord,
} from "./result";

export interface EvaluateOptions {
  protocol: EvalProtocol;
  /** Support/validation images scored like the test set; required for honest normalisation (else raw scores). */
  calibration?: ScoredSet;
  /** Branch weights (default: equal weights summing to 1). */
  weights?: Record<string, number>;
  imageScore: "branches" | "map-max";
  /** Added to max − min (MVFA 0, MadCLIP 1e-4). */
  eps?: number;
  /** Skip pixel metrics even where masks exist. */
  pixel?: boolean;
  /** Per-level pixel metrics (default true). Each level adds one streaming accumulator (up to ~100–200 MB on a
   * full BrainMRI test set), so large runs may turn them off. */
  perLayerPixel?: boolean;
  /** Quantiles of the normal calibration scores that set the decision thresholds (default 0.95 image, 0.99 pixel). */
  quantiles?: { image?: number; pixel?: number };
  /** TSC plug-in (plugins/tsc.ts): "samples" propagates the fused image scores over the test images' k-NN graph
   * (transductive); "patches" takes the map-max image rule as the mean of the map's top fraction instead. */
  tsc?: ResolvedTsc;
  onProgress?: Progress;
  signal?: AbortSignal;
}

/** What TSC-samples did: graph size, σ, iterations and the last max |Δ|. */
export interface TscRun {
  nodes: number;
  k: number;
  sigma: number;
  iterations: number;
  delta: number;
}

export type Evaluation = Pick<FewshotResult, "normalisation" | "fusion" | "metrics" | "scores"> & {
  thresholds: ThresholdsRecord;
  tsc?: TscRun;
};

type Calibrated = Omit<ThresholdsRecord, "test" | "f1Max">;

/**
 * Image and pixel thresholds from the normal calibration images, fused exactly as test images are. TSC-samples
 * replaces test scores after fusion by a transductive propagation that calibration images do not get, so its
 * image threshold would compare different quantities: it is skipped, saying so.
 */
function calibrateThresholds(
  calibration: ScoredSet | undefined,
  spec: FusionSpec,
  q: EvaluateOptions["quantiles"],
  tscSamples: boolean,
): Calibrated {
  const qi = checkQuantile(q?.image ?? DEFAULT_IMAGE_QUANTILE, "quantiles.image");
  const qp = checkQuantile(q?.pixel ?? DEFAULT_PIXEL_QUANTILE, "quantiles.pixel");
  const rule = `anomalous when score > the normals' ${qi} (image) / ${qp} (pixel) quantile, split-conformal rank`;
  const normals = calibration?.images.filter((im) => im.label === 0) ?? [];
  if (normals.length === 0) {
    const why = "no normal calibration images (a run without support normals, or a single normal shot)";
    return { rule, image: null, imageSkipped: why, pixel: null, pixelSkipped: why, calibrationScores: [] };
  }
  if (calibration!.mapSize !== spec.size)
    throw new Error(`evaluate: calibration maps are ${calibration!.mapSize}² but test maps ${spec.size}²`);
  const source = "support normals (each scored without its own memory entries where the method keeps a bank)";
  const fusedNormals = normals.map((im) => fuseImage(im, spec, true));
  const calibrationScores = fusedNormals.map((f) => f.score);
  const pixels = new Float32Array(normals.length * spec.size * spec.size);
  fusedNormals.forEach((f, i) => pixels.set(f.map32!, i * spec.size * spec.size));
  const pixelT = normalThreshold(pixels, qp, { images: normals.length, perImage: false, source });
  const sortedPx = Float32Array.from(pixels).sort();
  const median = sortedPx[Math.floor((sortedPx.length - 1) / 2)];
  return {
    rule,
    image: tscSamples
      ? null
      : normalThreshold(calibrationScores, qi, { images: normals.length, perImage: true, source }),
    ...(tscSamples
      ? { imageSkipped: "TSC-samples propagates test scores transductively; calibration scores are not" }
      : {}),
    pixel: pixelT,
    calibrationScores,
    colourRange: colourRange(median, pixelT.value),
  };
}

function branchNames(set: ScoredSet): string[] {
  if (set.images.length === 0) throw new Error("evaluate: the scored set has no images");
  return set.images[0].branches.map((b) => b.name);
}

function statsOf(set: ScoredSet, names: string[], withMaps: boolean, eps: number): BranchNormalisation[] {
  return names.map((name, bi) => {
    const img = new MinMaxTracker();
    const map = new MinMaxTracker();
    for (const im of set.images) {
      const b = im.branches[bi];
      if (b.name !== name)
        throw new Error(`evaluate: image ${im.file} has branch '${b.name}' where '${name}' was expected`);
      img.add([b.image]);
      if (withMaps) map.add(branchMap(b, set.mapSize));
    }
    return { branch: name, image: img.result(eps), map: withMaps ? map.result(eps) : undefined };
  });
}

function thresholdMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): ThresholdMetrics {
  return {
    auroc: aurocExact(scores, labels),
    averagePrecision: averagePrecision(scores, labels),
    f1Max: f1Max(scores, labels),
  };
}

/** Whether pixel metrics can be computed: every abnormal test image has a mask (normals count as all-zero). */
function pixelAvailability(set: ScoredSet): string | undefined {
  const abnormal = set.images.filter((i) => i.label === 1);
  const withMask = abnormal.filter((i) => i.mask).length;
  if (withMask === 0) return "the test images have no pixel masks (image-level dataset)";
  if (withMask < abnormal.length) return `only ${withMask} of ${abnormal.length} abnormal test images have masks`;
  return undefined;
}

export function evaluate(test: ScoredSet, o: EvaluateOptions): Evaluation {
  const names = branchNames(test);
  const eps = o.eps ?? 0;
  const weights = o.weights ?? Object.fromEntries(names.map((n) => [n, 1 / names.length]));
  for (const n of names) if (!(n in weights)) throw new Error(`evaluate: no fusion weight for branch '${n}'`);
  const size = test.mapSize;
  const pixelSkipped = o.pixel === false ? "pixel metrics were not requested" : pixelAvailability(test);
  const needMaps = pixelSkipped === undefined || o.imageScore === "map-max";
  const nImages = test.images.length;
  const passes = o.protocol === "reference" && needMaps ? 2 : 1;
  let done = 0;
  const tick = () => {
    checkAbort(o.signal);
    o.onProgress?.(++done, passes * nImages, "evaluate");
  };

  // 1. Normalisation statistics.
  let normalisation: NormalisationRecord;
  if (o.protocol === "reference") {
    const stats = statsOf(test, names, needMaps, eps);
    if (needMaps) {
      done += nImages;
      o.onProgress?.(done, passes * nImages, "evaluate");
    }
    normalisation = {
      protocol: "reference",
      source: "test",
      transductive: true,
      calibrationImages: [],
      branches: stats,
      note: "global min–max over all test images (and all their pixels for maps), as MVFA/MadCLIP's test(): transductive",
    };
  } else if (o.calibration && o.calibration.images.length > 0) {
    if (o.calibration.mapSize !== size)
      throw new Error(`evaluate: calibration maps are ${o.calibration.mapSize}² but test maps ${size}²`);
    normalisation = {
      protocol: "honest",
      source: "calibration",
      transductive: false,
      calibrationImages: o.calibration.images.map((i) => i.file),
      branches: statsOf(o.calibration, names, needMaps, eps),
      note: "min–max from the calibration (support/validation) images only; test scores are not clipped to [0, 1]",
    };
  } else {
    normalisation = {
      protocol: "honest",
      source: "none",
      transductive: false,
      calibrationImages: [],
      branches: names.map((branch) => ({ branch, image: IDENTITY, map: needMaps ? IDENTITY : undefined })),
      note: "no calibration images: raw branch scores are fused unnormalised",
    };
  }
  const imgNorm: MinMax[] = normalisation.branches.map((b) => b.image);
  const mapNorm: MinMax[] = normalisation.branches.map((b) => b.map ?? IDENTITY);

  const spec: FusionSpec = {
    size,
    weights,
    imgNorm,
    mapNorm,
    imageScore: o.imageScore,
    topFraction: o.tsc?.mode === "patches" ? o.tsc.topFraction : undefined,
  };
  const calib = calibrateThresholds(o.calibration, spec, o.quantiles, o.tsc?.mode === "samples");

  // 2–3. One pass over the test images: fused scores, streamed pixel metrics, per-level metrics.
  const pixel = pixelSkipped === undefined ? new PixelAurocAccumulator() : undefined;
  const pixelDecisions = pixel && calib.pixel ? new DecisionCounter(calib.pixel.value) : undefined;
  const layerPixel =
    pixelSkipped === undefined && o.perLayerPixel !== false
      ? names.map(() => test.taps.map(() => new PixelAurocAccumulator()))
      : undefined;
  const labels = new Uint8Array(nImages);
  const fused = new Float64Array(nImages);
  const scores: ImageScoreRecord[] = [];
  test.images.forEach((im: ScoredImage, i) => {
    labels[i] = im.label;
    let mask: Float32Array | undefined;
    if (pixel) {
      mask = im.mask ? im.mask() : new Float32Array(size * size);
      if (mask.length !== size * size)
        throw new Error(`${im.file}: mask has ${mask.length} pixels, maps have ${size}×${size}`);
    }
    const f = fuseImage(
      im,
      spec,
      needMaps,
      layerPixel ? (bi, li, lm) => layerPixel[bi][li].add(Float32Array.from(lm), mask!) : undefined,
    );
    if (f.map32 && pixel) {
      pixel.add(f.map32, mask!);
      if (pixelDecisions) for (let p = 0; p < f.map32.length; p++) pixelDecisions.add(f.map32[p], mask![p]);
    }
    fused[i] = f.score;
    scores.push({
      file: im.file,
      label: im.label,
      score: f.score,
      branches: Object.fromEntries(im.branches.map((b) => [b.name, b.image])),
      layers: Object.fromEntries(im.branches.map((b) => [b.name, b.levels.map((l) => l.image)])),
      ...(f.map ? { map: encodeMap(poolMap(f.map, size, RESULT_MAP_SIDE)) } : {}),
    });
    tick();
  });

  const tsc = o.tsc?.mode === "samples" ? calibrateTestScores(test, fused, scores, o.tsc) : undefined;

  const perLayer: LayerMetrics[] = [];
  names.forEach((name, bi) =>
    test.taps.forEach((tap, li) => {
      const raw = test.images.map((im) => im.branches[bi].levels[li].image);
      const entry: LayerMetrics = { branch: name, tap, image: thresholdMetrics(raw, labels) };
      if (layerPixel) entry.pixel = pixelRecord(layerPixel[bi][li]);
      perLayer.push(entry);
    }),
  );
  const image = thresholdMetrics(fused, labels);
  const pixelMetrics = pixel ? pixelRecord(pixel) : undefined;
  const thresholds: ThresholdsRecord = {
    ...calib,
    test: {
      ...(calib.image ? { image: decisions(fused, labels, calib.image.value) } : {}),
      ...(pixelDecisions ? { pixel: pixelDecisions.result() } : {}),
    },
    f1Max: {
      image: image.f1Max.threshold,
      ...(pixelMetrics ? { pixel: pixelMetrics.f1Max.threshold } : {}),
      note: "found on the test labels (score ≥ t): for evaluation only, never used for decisions",
    },
  };
  return {
    normalisation,
    fusion: { weights, imageScore: o.imageScore },
    metrics: { image, pixel: pixelMetrics, pixelSkipped, perLayer },
    scores,
    thresholds,
    ...(tsc ? { tsc } : {}),
  };
}

/** TSC-samples in place: fused scores → propagated scores; each record keeps the score before TSC. */
function calibrateTestScores(test: ScoredSet, fused: Float64Array, scores: ImageScoreRecord[], o: ResolvedTsc): TscRun {
  const missing = test.images.find((im) => !im.node);
  if (missing)
    throw new Error(
      `tsc: test image ${missing.file} has no node feature — the method does not score through scoreSamples/pluginBranches, so TSC-samples cannot build its graph`,
    );
  const dim = test.images[0].node!.length;
  const nodes = new Float64Array(test.images.length * dim);
  test.images.forEach((im, i) => {
    if (im.node!.length !== dim)
      throw new Error(`tsc: node features of ${test.images[0].file} and ${im.file} differ in width`);
    nodes.set(im.node!, i * dim);
  });
  const r = calibrateSamples(fused, nodes, dim, o);
  scores.forEach((rec, i) => {
    rec.beforeTsc = rec.score;
    rec.score = r.scores[i];
    fused[i] = r.scores[i];
  });
  return { nodes: test.images.length, k: r.k, sigma: r.sigma, iterations: r.iterations, delta: r.delta };
}

function pixelRecord(acc: PixelAurocAccumulator) {
  const r = acc.result();
  return {
    auroc: r.auroc,
    averagePrecision: r.averagePrecision,
    f1Max: r.f1Max,
    positives: r.positives,
    negatives: r.negatives,
  };
}
