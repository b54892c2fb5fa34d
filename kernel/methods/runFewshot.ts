/**
 * `medad.fewshot(...)`: one call runs a method on a dataset and returns a FewshotResult — support selection (seeded
 * or from a list file, recorded), optional stratified subsampling of the test split (recorded), the method, and the
 * shared evaluation with the honest protocol by default.
 */
import { loadDataset } from "../data/loadDataset";
import { pickCategory, selectFewShot, FewShotProtocol, FewShotSet } from "../data/supportSet";
import { Rng } from "../util/random/rng";
import type { Dataset, Sample } from "../data/types";
import { ClipModel } from "../engine/clip/model";
import type { Activation } from "../engine/weights/clipConfig";
import type { Device } from "../engine/runtime/device";
import { resolveModelDir } from "../models/resolveModelDir";
import { packageVersion } from "../util/packageRoot";
import { codeVersion } from "../util/codeVersion";
import { demoModelNote } from "../models/demoModel";
import { evaluate } from "./evaluate";
import type { MethodContext, MethodOutput } from "./method";
import { hashModel } from "./modelHash";
import { runPatchcore } from "./patchcore";
import type { Progress } from "./progress";
import type { EvalProtocol, FewshotResult } from "./result";
import { runZeroShot } from "./zeroShot";
import { runMvfaFrozen } from "./mvfaFrozen";
import { runMvfa } from "./mvfa/run";
import { runMadclip } from "./madclip/run";
import { runSdmad } from "./sdmad/run";
import { runMediclip } from "./mediclip/run";
import { FeatureCache } from "./featureCache";
import { checkApplied, checkSupported, resolvePlugins, type PluginOptions } from "./plugins/apply";
import { mergePlugins, parseMethodName } from "./plugins/methodName";
import { pluginsRecord } from "./plugins/record";
import { resolveSupportList } from "./supportList";
import { AVAILABLE_METHODS, type FewshotMethod } from "./methodNames";
import { checkFewshotOptions, imageSizeFor, optionDefault } from "./fewshotOptions";
import { checkValidation, heldOutValidation, type SelectionPolicy } from "./selection/policy";

export { AVAILABLE_METHODS, type FewshotMethod } from "./methodNames";

export interface FewshotOptions {
  /** Dataset folder or an already loaded Dataset. */
  dataset: string | Dataset;
  method: FewshotMethod | (string & {});
  /** k: normal (+ abnormal, MVFA protocol) support images from `valid`. Default 4 (MadCLIP 16); zero-shot accepts
   * 0. Every option's type, default and doc: fewshotOptions.ts (checked by checkFewshotOptions). */
  shots?: number;
  /** Seed of the support draw and of the test subsample (default 0). */
  seed?: number;
  /** Checkpoint folder or a pulled Hub id. */
  model: string;
  device?: Device;
  /** Input side (default for 336-px, patch-14 checkpoints: 240 as MVFA runs them, 224 for MediCLIP as its
   * reference does; other checkpoints: their own size). */
  imageSize?: number;
  /** 1-indexed blocks (default: zero-shot the last block; patchcore and mvfa-frozen the quarter points, 6/12/18/24 on ViT-L). */
  taps?: number[];
  /** MLP activation (default "gelu", exact, as MVFA/MadCLIP run OpenAI weights). */
  activation?: Activation;
  /** Default "mvfa": bicubic resize, no mean/std; "mediclip": bilinear + CLIP mean/std. */
  preprocess?: "mvfa" | "mediclip";
  /** "honest" (default): normalisation from the support set; "reference": global min–max over the test set. */
  protocol?: EvalProtocol;
  category?: string;
  /** Support list file, or "auto" to use the dataset's fewshot_seed list for this class and k (older key; `list`
   * is preferred). */
  listFile?: string;
  /** Support images: "auto" (default: the method's own reference list for this class and k when the dataset ships
   * one — MVFA `<k>-shot.txt`, MadCLIP `my<k>-shot.txt` — else a seeded draw), "none" (seeded draw) or a list file
   * path. The result's `support.list` records what was asked and what was used. */
  list?: "auto" | "none" | (string & {});
  /** Which k-shot protocol picks the support set (default "mvfa": k normal + k abnormal from valid; "mediclip":
   * k normal only, e.g. for datasets without labelled abnormal validation images; "per-category", sd-mad's
   * default: k normal + k per anomaly category). */
  supportProtocol?: FewShotProtocol;
  /** Which epoch a trained method (mvfa, madclip, mediclip) reports: "last" (default), "validation" (best epoch on
   * valid-split images outside the support set) or "test-best" (the references' best epoch on the test set;
   * transductive, marked so in the result). selection/policy.ts. */
  selection?: SelectionPolicy;
  /** Evaluate a stratified, seeded subsample of at most this many test images (recorded in the result). */
  maxTestImages?: number;
  /** Per-level pixel metrics (default true; one more streaming accumulator per level and branch). */
  perLayerPixel?: boolean;
  /** Images per vision-encoder call (default 8). */
  batch?: number;
  /** Method options: zero-shot {objectWord, imageScore: "mean"|"max"}; patchcore {imageScore, features: "raw"|"projected",
   * memoryIncludesCls, augment, memoryBackend: "onnx"|"js"}; mvfa-frozen {objectWord, memoryIncludesCls}; mvfa and madclip
   * {epochs (50 / 60), lr (1e-3), trainBatch (1 / 16), trainSeed, augment (true), checkpoint (file; resumed if present),
   * objectWord; mvfa head: "seg"|"det", trainAdapters: "reference" (default: det adapters only on image-level data, as
   * train_few.py) | "all", prompts: "fixed" (default) | "ccb-tsc" (paper's manual + learnable abnormal, learnable
   * normal; docs/ccb-tsc.md); madclip seg: boolean, prompts: "learnable" (default, CoOp) | "fixed" (its 7 + 7-state
   * fix mode), jitter: "reference" (default, one draw per class batch) | "per-image"};
   * sd-mad {signs: shipped list name | {modality?, normal?, categories?}, selectSigns, uncertainFallback, epochs (20),
   * lr, trainBatch (8), trainSeed, augment, checkpoint} — docs/sd-mad.md;
   * mediclip {epochs (200), lr, trainBatch (8), trainSeed, checkpoint, tasks (synthesis tasks, default all four),
   * cutPasteBlend: "replace" (code) | "poisson" (paper), tau (logit temperature; default none, as the code)}. */
  options?: Record<string, unknown>;
  /** CCB/TSC-inspired plug-ins (docs/ccb-tsc.md): { ccb?: true | {clusters, iterations, temperature, beta, global},
   * tsc?: true | {mode: "samples"|"patches", k, alpha, iterations, tolerance, node, topFraction} }. Also switched on by
   * the method name: "ccb-tsc" (options.base, default mvfa, with both) or "<method>+ccb", "<method>+tsc". */
  plugins?: PluginOptions;
  /** Quantiles of the normal calibration scores that set the decision thresholds (docs/detect.md; default
   * image 0.95, pixel 0.99). */
  quantiles?: { image?: number; pixel?: number };
  /** Per-image feature cache: true (default, ~/.cache/medad/features or $MEDAD_FEATURE_CACHE), false, or a folder. */
  featureCache?: boolean | string;
  onProgress?: Progress;
  signal?: AbortSignal;
}

// ccb-tsc has no runner of its own: fewshot() runs its base method with both plug-ins (plugins/methodName.ts).
const RUNNERS: Record<Exclude<FewshotMethod, "ccb-tsc">, (ctx: MethodContext) => Promise<MethodOutput>> = {
  "zero-shot": runZeroShot,
  patchcore: runPatchcore,
  "mvfa-frozen": runMvfaFrozen,
  mvfa: runMvfa,
  madclip: runMadclip,
  "sd-mad": runSdmad,
  mediclip: runMediclip,
};

/** Methods whose epochs can be selected (their run.ts drives selection/epochSelector.ts). */
const SELECTABLE = new Set(["mvfa", "madclip", "mediclip"]);

/** The runner of a base method name (no plug-in suffixes); throws listing the methods. */
export function runnerFor(method: string) {
  if ((AVAILABLE_METHODS as readonly string[]).includes(method)) return RUNNERS[method as keyof typeof RUNNERS];
  throw new Error(`unknown method '${method}'; available: ${AVAILABLE_METHODS.join(", ")}`);
}

function testSamples(ds: Dataset, category: string): Sample[] {
  return ds.samples
    .filter((s) => s.category === category && s.split === "test" && s.label !== "unknown")
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Keeps the normal/abnormal proportions (rounded, at least one of each class present) in a seeded draw. */
function subsample(all: Sample[], max: number, seed: number): Sample[] {
  if (all.length <= max) return all;
  const normal = all.filter((s) => s.label === "normal");
  const abnormal = all.filter((s) => s.label === "abnormal");
  let nA = Math.round((max * abnormal.length) / all.length);
  nA = Math.min(abnormal.length, Math.max(abnormal.length ? 1 : 0, Math.min(nA, max - (normal.length ? 1 : 0))));
  const rng = new Rng(seed).fork(1);
  const picked = new Set([...rng.sample(normal, max - nA), ...rng.sample(abnormal, nA)]);
  return all.filter((s) => picked.has(s));
}

/** The dataset's issues that concern this class's images, as the run's warnings (`medad data info` lists all). */
function datasetWarnings(ds: Dataset, category: string): string[] {
  // Issues list files as "path" or "path (detail)"; skip only those whose files all belong to other classes.
  const owner = new Map<string, string>();
  for (const s of ds.samples) for (const f of [s.path, s.maskPath]) if (f) owner.set(f, s.category);
  const concerns = (f: string) => (owner.get(f.replace(/ \(.*$/, "")) ?? category) === category;
  return ds.issues
    .filter((i) => i.files.length === 0 || i.files.some(concerns))
    .map((i) =>
      i.code === "mask-size-mismatch"
        ? `${ds.root}: ${i.message} (this run resized each mask to its score map; re-export them to be exact)`
        : `${ds.root}: ${i.message}`,
    );
}

/** Image AUROC ranks abnormal against normal test images: refuse before training when one kind is missing. */
function checkBothLabels(ds: Dataset, category: string, test: Sample[]): void {
  const abnormal = test.filter((s) => s.label === "abnormal").length;
  const normal = test.length - abnormal;
  if (abnormal > 0 && normal > 0) return;
  const missing = abnormal === 0 ? "abnormal" : "normal";
  throw new Error(
    `${ds.root}: the test split of class '${category}' has ${normal} normal and ${abnormal} abnormal images; every ` +
      `method's metrics (AUROC ranks abnormal against normal images) need both. Add ${missing} test images to that ` +
      `split${missing === "abnormal" ? " (with masks for pixel metrics)" : ""} — 'medad data info ${ds.root}' lists each split.`,
  );
}

/** A pixel-level set where some abnormal test images lost their mask (missing or unreadable file): evaluate()
 * then drops pixel metrics for the whole run, which must be said, with the images to fix. */
function droppedPixelMetrics(ds: Dataset, test: Sample[]): string | undefined {
  const abnormal = test.filter((s) => s.label === "abnormal");
  const without = abnormal.filter((s) => !s.maskPath);
  if (without.length === 0 || without.length === abnormal.length) return undefined;
  const names = without.slice(0, 3).map((s) => s.path);
  return (
    `${ds.root}: pixel metrics were not computed because ${without.length} of ${abnormal.length} abnormal test ` +
    `images have no usable mask (${names.join(", ")}${without.length > 3 ? ", …" : ""}); pixel AUROC over a ` +
    `subset would be biased. Add or repair those masks ('medad data info ${ds.root}' lists them) to get pixel metrics.`
  );
}

function noteOf(modelDir: string): { note?: string } {
  const note = demoModelNote(modelDir);
  return note ? { note } : {};
}

export async function fewshot(o: FewshotOptions): Promise<FewshotResult> {
  const parsed = parseMethodName(o.method, o.options?.base);
  if (parsed.base === "ccb-tsc")
    throw new Error(`method '${o.method}': ccb-tsc already has both plug-ins; use "ccb-tsc" or "<method>+ccb+tsc"`);
  const run = runnerFor(parsed.base);
  checkFewshotOptions(o);
  // Defaults are the option table's (fewshotOptions.ts), per base method (MadCLIP 16 shots, MediCLIP 224 px, …).
  const byDefault = <T extends string | number | boolean>(key: string, given: T | undefined): T =>
    given ?? optionDefault<T>(key, parsed.base)!;
  const seed = byDefault("seed", o.seed);
  const plugins = resolvePlugins(mergePlugins(parsed.plugins, o.plugins), seed);
  checkSupported(parsed.base, plugins);
  const started = Date.now();
  const phases: Record<string, number> = {};
  const time = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await f();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + (Date.now() - t0);
    }
  };
  const protocol = byDefault<EvalProtocol>("protocol", o.protocol);
  const shots = byDefault("shots", o.shots);

  const ds =
    typeof o.dataset === "string" ? await time("load", async () => loadDataset(o.dataset as string)) : o.dataset;
  const category = pickCategory(ds, o.category);
  const supportProtocol = byDefault<FewShotProtocol>("support_protocol", o.supportProtocol);
  if (o.list !== undefined && o.listFile !== undefined) throw new Error("give list or listFile, not both");
  const listChoice = resolveSupportList(ds, category, shots, parsed.base, o.list, o.listFile);
  const support: FewShotSet | null =
    shots > 0
      ? selectFewShot(ds, {
          k: shots,
          protocol: supportProtocol,
          seed,
          category,
          listFile: listChoice.file,
          method: parsed.base,
        })
      : null;
  if (support) support.record.list = listChoice.record;
  const allTest = testSamples(ds, category);
  if (allTest.length === 0) throw new Error(`${ds.root}: class '${category}' has no labelled test images`);
  checkBothLabels(ds, category, allTest);
  const maxTest = o.maxTestImages;
  const test = maxTest !== undefined ? subsample(allTest, maxTest, seed) : allTest;

  const selection = byDefault<SelectionPolicy>("selection", o.selection);
  if (selection !== "last" && !SELECTABLE.has(parsed.base))
    throw new Error(
      `selection: ${selection} applies to trained methods (${[...SELECTABLE].join(", ")}); '${parsed.base}' has no epochs to choose — use selection: last`,
    );
  const validation = selection === "validation" ? heldOutValidation(ds, category, support) : [];
  if (selection === "validation") checkValidation(ds, category, validation);

  const modelDir = resolveModelDir(o.model);
  const model = ClipModel.load(modelDir);
  try {
    const vcfg = model.config.vision;
    if (!vcfg) throw new Error(`${model.files.config}: this checkpoint has no vision tower`);
    const imageSize = imageSizeFor(parsed.base, vcfg, o.imageSize);
    const activation = byDefault<Activation>("activation", o.activation);
    const preprocess =
      byDefault("preprocess", o.preprocess) === "mediclip"
        ? { filter: "bilinear" as const, normalize: true }
        : { filter: "bicubic" as const, normalize: false };
    const hash = hashModel(model.files.weights, model.config);
    const featureCache =
      o.featureCache === false
        ? undefined
        : new FeatureCache(typeof o.featureCache === "string" ? o.featureCache : undefined);
    const warnings = datasetWarnings(ds, category);
    const out = await run({
      model,
      modelDir,
      modelHash: hash.value,
      dataset: ds,
      category,
      support,
      test,
      imageSize,
      taps: o.taps,
      activation,
      preprocess,
      device: byDefault<Device>("device", o.device),
      batch: byDefault("batch", o.batch),
      options: o.options ?? {},
      onProgress: o.onProgress,
      signal: o.signal,
      time,
      featureCache,
      plugins,
      warn: (m) => warnings.push(m),
      selection: { policy: selection, validation },
    });
    if (featureCache?.writeFailure) warnings.push(featureCache.writeFailure);
    checkApplied(parsed.base, plugins);
    const ev = await time("evaluate", async () =>
      evaluate(out.test, {
        protocol,
        calibration: out.calibration,
        weights: out.weights,
        imageScore: out.imageScore,
        perLayerPixel: o.perLayerPixel,
        tsc: plugins?.tsc,
        quantiles: o.quantiles,
        onProgress: o.onProgress,
        signal: o.signal,
      }),
    );
    const dropped = droppedPixelMetrics(ds, test);
    if (dropped) warnings.push(dropped);
    const record = plugins ? pluginsRecord(plugins, ev.tsc, parsed.base) : undefined;
    return {
      schema: "medad.fewshot-result/1",
      method: o.method,
      label: record ? `${out.label} + ${record.label}` : out.label,
      createdAt: new Date().toISOString(),
      medadVersion: packageVersion(),
      codeVersion: codeVersion(),
      dataset: { root: ds.root, name: ds.name, layout: ds.layout, category },
      model: {
        dir: modelDir,
        hash,
        imageSize,
        grid: out.grid,
        taps: out.taps,
        activation,
        features: out.features,
        preprocess,
        device: out.device,
        ...noteOf(modelDir),
      },
      seed,
      shots,
      support: support?.record ?? null,
      protocol,
      normalisation: ev.normalisation,
      fusion: ev.fusion,
      settings: out.settings,
      test: {
        total: allTest.length,
        evaluated: test.length,
        normal: test.filter((s) => s.label === "normal").length,
        abnormal: test.filter((s) => s.label === "abnormal").length,
        subsample: test.length < allTest.length ? { seed, max: maxTest! } : null,
      },
      metrics: ev.metrics,
      scores: ev.scores,
      timings: {
        totalMs: Date.now() - started,
        phases,
        featureCache: featureCache
          ? { dir: featureCache.dir, hits: featureCache.hits, misses: featureCache.misses }
          : null,
      },
      ...(out.multiAnomaly ? { multiAnomaly: out.multiAnomaly } : {}),
      ...(out.selection ? { selection: out.selection } : {}),
      transductive:
        ev.normalisation.transductive || (record?.transductive ?? false) || (out.selection?.transductive ?? false),
      ...(record ? { plugins: record } : {}),
      warnings,
      thresholds: ev.thresholds,
      request: {
        dataset: ds.root,
        method: o.method,
        model: modelDir,
        shots,
        seed,
        imageSize,
        ...(o.taps ? { taps: o.taps } : {}),
        activation,
        preprocess: preprocess.normalize ? "mediclip" : "mvfa",
        protocol,
        category,
        ...(listChoice.file ? { listFile: listChoice.file } : {}),
        ...(o.supportProtocol ? { supportProtocol: o.supportProtocol } : {}),
        batch: byDefault("batch", o.batch),
        options: o.options ?? {},
        ...(o.plugins ? { plugins: o.plugins } : {}),
      },
    };
  } finally {
    model.close();
  }
}
