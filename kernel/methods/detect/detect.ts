/**
 * Scores new images with a finished run: the same method, model, support set, adapter and preprocessing, then the
 * run's own normalisation statistics, fusion and calibrated thresholds — so an image that was a test image of the
 * run gets exactly the score it had there. Everything is checked before any image is scored, and every failure
 * names the file at fault and the fix: a result made before results recorded their request, another model than the
 * one hashed in the result, a missing support image, a trained method without its adapter checkpoint.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadDataset } from "../../data/loadDataset";
import type { FewShotSet } from "../../data/supportSet";
import type { Dataset, Sample } from "../../data/types";
import { ClipModel } from "../../engine/clip/model";
import type { Device } from "../../engine/runtime/device";
import type { Activation } from "../../engine/weights/clipConfig";
import { probeImage } from "../../imaging/header";
import { readImageWindowed } from "../../imaging/readImage";
import type { AppliedWindow, Window } from "../../imaging/window";
import { resolveModelDir } from "../../models/resolveModelDir";
import { FeatureCache } from "../featureCache";
import { runnerFor } from "../runFewshot";
import { fuseImage, type FusionSpec } from "../fuse";
import type { MethodContext } from "../method";
import { hashModel } from "../modelHash";
import { IDENTITY } from "../normalise";
import { resolvePlugins, type PluginOptions } from "../plugins/apply";
import { mergePlugins, parseMethodName } from "../plugins/methodName";
import type { Progress } from "../progress";
import type { FewshotResult } from "../result";
import { isAnomalous } from "../thresholds";
import { resolveDetectInputs } from "./inputs";

export interface DetectOptions {
  /** The adapter checkpoint of a trained method (a saved result's copy); default: the run's own checkpoint file. */
  adapter?: string;
  /** The saved result's file, named in errors. */
  resultFile?: string;
  /** Overrides the window of 16-bit inputs: DICOM's tags, NIfTI's cal_min/cal_max or the p0.5–p99.5 fallback. */
  window?: Window;
  /** NIfTI: inclusive axial slice range (default all). */
  sliceRange?: [number, number];
  device?: Device;
  batch?: number;
  /** Per-image feature cache (default true, as fewshot); off whenever `window` is set (the cache key ignores it). */
  featureCache?: boolean | string;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface DetectedImage {
  /** The path as given (folder contents: relative to the working folder inside it, else absolute), or `<volume>#<slice>`. */
  name: string;
  /** The file that was read (for NIfTI slices a temporary PNG, removed when the process exits). */
  path: string;
  score: number;
  /** score > the image threshold; null when the result has no calibrated threshold. */
  anomalous: boolean | null;
  /** Fused anomaly map, mapSize² (the model's input square), in the result's map units. */
  map: Float32Array;
  mapSize: number;
  /** Predicted mask (1 = anomalous pixel, map > the pixel threshold), mapSize²; null without a pixel threshold. */
  mask: Uint8Array | null;
  /** Fraction of the image's pixels in the predicted mask (null without a pixel threshold). */
  maskFraction: number | null;
  /** Size of the image as read (the map covers it after resizing to a square, as the model saw it). */
  width: number;
  height: number;
  /** The window that mapped a greyscale DICOM or a NIfTI slice to 8 bits, with its source; null for PNG/JPEG. */
  window: AppliedWindow | null;
}

export interface DetectResult {
  schema: "medad.detect-result/1";
  method: string;
  label: string;
  model: { dir: string; hash: string; note?: string };
  /** The run whose adapter and calibration were used. */
  source: { file: string | null; createdAt: string; dataset: string; category: string };
  thresholds: { image: number | null; pixel: number | null; rule: string };
  colourRange?: [number, number];
  /** The window given for the run (each image records the one it was read with). */
  window: Window | null;
  images: DetectedImage[];
  timings: { totalMs: number };
}

function where(o: DetectOptions): string {
  return o.resultFile ? o.resultFile : "this result";
}

/** The support set of the run, rebuilt from its record; throws naming the missing image. */
function supportOf(r: FewshotResult, ds: Dataset, o: DetectOptions): FewShotSet | null {
  if (!r.support) return null;
  const byRel = new Map(ds.samples.map((s) => [path.relative(ds.root, s.path).split(path.sep).join("/"), s]));
  const find = (rel: string): Sample => {
    const s = byRel.get(rel);
    if (!s)
      throw new Error(
        `${where(o)}: support image ${path.join(ds.root, rel)} is missing; detect rebuilds the method's reference ` +
          `(memory bank) from the run's support images — restore the dataset at ${ds.root} as it was for the run`,
      );
    return s;
  };
  return { normal: r.support.normal.map(find), abnormal: r.support.abnormal.map(find), record: r.support };
}

function checkpointFor(r: FewshotResult, o: DetectOptions): string | undefined {
  if (typeof r.settings.epochs !== "number") return undefined; // training-free method
  const sel = r.selection;
  if (sel && sel.chosenEpoch !== sel.epochs)
    throw new Error(
      `${where(o)}: the result reports epoch ${sel.chosenEpoch} (selection: ${sel.policy}) but its checkpoint holds the ` +
        `adapter after epoch ${sel.epochs}; for detect, run it again with \`selection: last\` or \`epochs: ${sel.chosenEpoch}\``,
    );
  const file = o.adapter ?? (typeof r.settings.checkpoint === "string" ? r.settings.checkpoint : undefined);
  if (!file || !fs.existsSync(file))
    throw new Error(
      `${where(o)}: ${r.method} is a trained method and ${file ? `its adapter checkpoint ${file} is missing` : "the run kept no adapter checkpoint"}; ` +
        "run it again with `checkpoint: FILE` (options.checkpoint) and save it with %save / medad.saveResult, which keeps a copy of the adapter beside the JSON file",
    );
  return file;
}

export async function detect(
  images: string | readonly string[],
  r: FewshotResult,
  o: DetectOptions = {},
): Promise<DetectResult> {
  const started = Date.now();
  const req = r.request;
  if (!req)
    throw new Error(
      `${where(o)}: this result was made before results recorded how they were made (field "request"); run it again to detect with it`,
    );
  const parsed = parseMethodName(req.method, req.options.base);
  const plugins = resolvePlugins(mergePlugins(parsed.plugins, req.plugins as PluginOptions | undefined), req.seed);
  if (plugins?.tsc?.mode === "samples")
    throw new Error(
      `${where(o)}: TSC-samples scores each test image from the other test images (transductive), so single images cannot be scored with it; use a run without it`,
    );
  const run = runnerFor(parsed.base);
  const modelDir = resolveModelDir(req.model);
  const ds = loadDataset(req.dataset);
  const support = supportOf(r, ds, o);
  const ckpt = checkpointFor(r, o);
  const inputs = resolveDetectInputs(images, { window: o.window, sliceRange: o.sliceRange });
  let tmpCkpt: string | undefined;
  let failed = true;
  const model = ClipModel.load(modelDir);
  try {
    const hash = hashModel(model.files.weights, model.config);
    if (hash.value !== r.model.hash.value)
      throw new Error(
        `${where(o)}: the model at ${modelDir} (sha256 ${hash.value.slice(0, 12)}…) is not the one the result was made with ` +
          `(${r.model.hash.value.slice(0, 12)}…, ${r.model.hash.file}); point detect at that model (pull it again or restore the folder)`,
      );
    // The run resumes from a private copy, so nothing can ever write to the saved adapter.
    if (ckpt) {
      tmpCkpt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "medad-adapter-")), "adapter.safetensors");
      fs.copyFileSync(ckpt, tmpCkpt);
    }
    const phases: Record<string, number> = {};
    // The adapter is resumed, not retrained: its recorded identity includes the commit it was trained at, which a
    // later checkout differs from. Resume is forced and the differences are checked here: anything but the commit
    // means the checkpoint is not this result's adapter.
    const forced: string[] = [];
    const cacheOpt = o.window ? false : (o.featureCache ?? true);
    const featureCache =
      cacheOpt === false ? undefined : new FeatureCache(typeof cacheOpt === "string" ? cacheOpt : undefined);
    const ctx: MethodContext = {
      model,
      modelDir,
      modelHash: hash.value,
      dataset: ds,
      category: req.category,
      support,
      test: inputs.inputs.map((i) => i.sample),
      imageSize: req.imageSize,
      taps: req.taps,
      activation: req.activation as Activation,
      preprocess:
        req.preprocess === "mediclip"
          ? { filter: "bilinear", normalize: true }
          : { filter: "bicubic", normalize: false },
      device: o.device ?? "cpu",
      batch: o.batch ?? req.batch,
      options: tmpCkpt ? { ...req.options, checkpoint: tmpCkpt, resume: "force" } : req.options,
      warn: (m) => {
        if (/resuming despite other settings/.test(m))
          forced.push(
            ...m
              .split("\n")
              .slice(1)
              .map((l) => l.trim()),
          );
      },
      onProgress: o.onProgress,
      signal: o.signal,
      featureCache,
      plugins,
      window: o.window,
      async time(phase, f) {
        const t0 = Date.now();
        try {
          return await f();
        } finally {
          phases[phase] = (phases[phase] ?? 0) + Date.now() - t0;
        }
      },
    };
    const out = await run(ctx);
    const other = forced.filter((l) => l && !l.startsWith("code:"));
    if (other.length)
      throw new Error(
        `${where(o)}: the adapter checkpoint ${ckpt} was trained with other settings than the result records ` +
          `(${other.join("; ")}); it is not this result's adapter — restore the result's own adapter file`,
      );
    if (typeof out.settings.stepsRun === "number" && out.settings.stepsRun > 0)
      throw new Error(
        `${where(o)}: the adapter checkpoint ${ckpt} stops before the run's ${String(r.settings.epochs)} epochs, so it is not the adapter the result was scored with; save the result again from a finished run`,
      );
    const names = r.normalisation.branches.map((b) => b.branch);
    const got = out.test.images[0]?.branches.map((b) => b.name) ?? names;
    if (got.join(",") !== names.join(","))
      throw new Error(
        `${where(o)}: the method now scores branches ${got.join(", ")}, the result has ${names.join(", ")}; run it again`,
      );
    const spec: FusionSpec = {
      size: out.test.mapSize,
      weights: r.fusion.weights,
      imgNorm: r.normalisation.branches.map((b) => b.image),
      mapNorm: r.normalisation.branches.map((b) => b.map ?? IDENTITY),
      imageScore: r.fusion.imageScore,
      topFraction: plugins?.tsc?.mode === "patches" ? plugins.tsc.topFraction : undefined,
    };
    const tImage = r.thresholds?.image?.value ?? null;
    const tPixel = r.thresholds?.pixel?.value ?? null;
    const detected: DetectedImage[] = out.test.images.map((im, i) => {
      const f = fuseImage(im, spec, true);
      const map = f.map32!;
      const mask = tPixel === null ? null : Uint8Array.from(map, (v) => (isAnomalous(v, tPixel) ? 1 : 0));
      const input = inputs.inputs[i];
      return {
        name: input.name,
        path: input.sample.path,
        score: f.score,
        anomalous: tImage === null ? null : isAnomalous(f.score, tImage),
        map,
        mapSize: spec.size,
        mask,
        maskFraction: mask ? mask.reduce((s, v) => s + v, 0) / mask.length : null,
        ...imageSize(input.sample.path),
        window: input.window ?? dicomWindow(input.sample.path, o.window),
      };
    });
    failed = false;
    return {
      schema: "medad.detect-result/1",
      method: r.method,
      label: r.label,
      model: { dir: modelDir, hash: hash.value, ...(r.model.note ? { note: r.model.note } : {}) },
      source: {
        file: o.resultFile ?? null,
        createdAt: r.createdAt,
        dataset: r.dataset.root,
        category: r.dataset.category,
      },
      thresholds: {
        image: tImage,
        pixel: tPixel,
        rule: r.thresholds?.rule ?? "no calibrated thresholds in this result",
      },
      ...(r.thresholds?.colourRange ? { colourRange: r.thresholds.colourRange } : {}),
      window: o.window ?? null,
      images: detected,
      timings: { totalMs: Date.now() - started },
    };
  } finally {
    model.close();
    if (tmpCkpt) fs.rmSync(path.dirname(tmpCkpt), { recursive: true, force: true });
    // NIfTI slices stay readable (overlays, exports) until the process exits.
    if (failed) inputs.dispose();
    else process.once("exit", inputs.dispose);
  }
}

function imageSize(file: string): { width: number; height: number } {
  // The header probe reads no pixels.
  const h = probeImage(file);
  return { width: h.width, height: h.height };
}

/** The window a DICOM file's pixels were read with (decoded again: the fallback needs its pixel values). */
function dicomWindow(file: string, given: Window | undefined): AppliedWindow | null {
  if (probeImage(file).format !== "dicom") return null;
  return readImageWindowed(file, { mode: "gray", window: given }).window;
}
