/**
 * `medad.extractFeatures`: frozen CLIP patch tokens of dataset images, for writing your own method in a cell. It is
 * the extractor the built-in methods use (same preprocessing, same on-disk feature cache keyed by model hash +
 * image bytes + recipe), run in the kernel process: meant for small models and small image sets.
 */
import { ClipModel } from "../engine/clip/model";
import type { Device } from "../engine/runtime/device";
import type { Sample } from "../data/types";
import { createFeatureExtractor, sampleLoader, type FeatureSpace } from "../methods/features";
import { hashModel } from "../methods/modelHash";
import { quarterTaps } from "../methods/method";
import { resolveModelDir } from "../models/resolveModelDir";
import { FeatureCache } from "../methods/featureCache";
import { cellSignal } from "./cellSignal";

export interface ExtractFeaturesOptions {
  /** Checkpoint folder, pulled Hub id, or medad/demo-tiny-clip. */
  model: string;
  samples: readonly Sample[];
  /** 1-indexed blocks (default: the quarter points of the trunk). */
  taps?: number[];
  /** "raw": the residual stream [tokens, width] (what adapters read); "projected": through ln_post + projection. */
  space?: FeatureSpace;
  /** Input side (default: the model's). */
  imageSize?: number;
  /** "mvfa" (default): bicubic, no mean/std; "mediclip": bilinear + CLIP mean/std. */
  preprocess?: "mvfa" | "mediclip";
  device?: Device;
  batch?: number;
  /** Reuse/store features in the on-disk cache (default true). */
  cache?: boolean;
  signal?: AbortSignal;
}

export interface ExtractedFeatures {
  /** Patch grid side (tokens = grid² + 1, token 0 = CLS, then patches row-major). */
  grid: number;
  tokens: number;
  dim: number;
  taps: number[];
  imageSize: number;
  /** Model identity (sha256 over the weights and the parsed config), as results record it. */
  modelHash: string;
  /** perImage[i][t]: [tokens × dim] row-major tokens of samples[i] at taps[t]. */
  perImage: Float32Array[][];
  cache: { hits: number; misses: number } | null;
}

export async function extractFeatures(o: ExtractFeaturesOptions): Promise<ExtractedFeatures> {
  const model = ClipModel.load(resolveModelDir(o.model));
  try {
    const vcfg = model.config.vision;
    if (!vcfg) throw new Error(`${model.files.config}: this checkpoint has no vision tower`);
    const imageSize = o.imageSize ?? vcfg.imageSize;
    const taps = o.taps ?? quarterTaps(vcfg.numLayers);
    const preprocess =
      o.preprocess === "mediclip"
        ? { filter: "bilinear" as const, normalize: true }
        : { filter: "bicubic" as const, normalize: false };
    const modelHash = hashModel(model.files.weights, model.config).value;
    const store = o.cache === false ? undefined : new FeatureCache();
    const extractor = await createFeatureExtractor(model, {
      imageSize,
      taps,
      space: o.space ?? "raw",
      preprocess,
      device: o.device,
      cache: store ? { store, modelHash } : undefined,
    });
    const perImage: Float32Array[][] = new Array(o.samples.length);
    try {
      await extractor.run(
        o.samples.map((s) => sampleLoader(s, { imageSize, preprocess })),
        {
          batch: o.batch ?? 8,
          phase: "support",
          signal: o.signal ?? cellSignal(),
          each: (i, t) => void (perImage[i] = t),
        },
      );
    } finally {
      await extractor.release();
    }
    return {
      grid: extractor.grid,
      tokens: extractor.tokens,
      dim: extractor.dim,
      taps,
      imageSize,
      modelHash,
      perImage,
      cache: store ? { hits: store.hits, misses: store.misses } : null,
    };
  } finally {
    model.close();
  }
}
