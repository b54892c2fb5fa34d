/**
 * Frozen CLIP features for the training-free methods: one vision session per run that returns, per tapped block,
 * either the raw residual stream (`tap{n}`, [B, tokens, width], what MVFA's adapters and the memory branch read) or
 * the same tokens through ln_post and the visual projection (`proj{n}`, [B, tokens, proj], CLIP's joint space, where
 * text embeddings live — what a zero-shot text branch needs without adapters). The projection is emitted inside the
 * graph (afterBlock hook) so it runs at ONNX Runtime speed and the block output itself is left unchanged.
 */
import type { DicomWindow } from "../imaging/dicom";
import { ClipModel, ClipVisionEncoder } from "../engine/clip/model";
import { layerNorm } from "../engine/clip/block";
import type { Activation } from "../engine/weights/clipConfig";
import type { Device } from "../engine/runtime/device";
import { sampleImageTensor } from "../data/sampleTensors";
import type { Sample } from "../data/types";
import type { FeatureCache, FeatureKey } from "./featureCache";
import { checkAbort } from "../util/cancellation";
import { Phase, Progress } from "./progress";

export type FeatureSpace = "raw" | "projected";

export interface FeatureOptions {
  imageSize: number;
  /** 1-indexed blocks. */
  taps: number[];
  space: FeatureSpace;
  activation?: Activation;
  /** MVFA/MadCLIP: bicubic, no mean/std; MediCLIP: bilinear + CLIP mean/std. */
  preprocess: { filter: "bicubic" | "bilinear"; normalize: boolean };
  device?: Device;
  intraOpThreads?: number;
  /** On-disk cache of per-image features (keyed by model hash + image bytes + this recipe); reruns skip the encoder. */
  cache?: { store: FeatureCache; modelHash: string };
}

/** Per image: one [tokens, dim] matrix per tap (in `taps` order). */
export type ImageTokens = Float32Array[];

/** Returns one preprocessed [3, S, S] image; `source` (the file) makes its features cacheable. */
export type ImageLoader = (() => Float32Array) & { source?: string };

/** Loader of a dataset sample through the extractor's preprocessing. */
export function sampleLoader(
  sample: Sample,
  o: Pick<FeatureOptions, "imageSize" | "preprocess"> & { window?: DicomWindow },
): ImageLoader {
  return Object.assign(() => sampleImageTensor(sample, { size: o.imageSize, ...o.preprocess, window: o.window }).data, {
    source: sample.path,
  });
}

export interface FeatureExtractor {
  readonly grid: number;
  readonly tokens: number;
  readonly dim: number;
  readonly device: "cpu" | "cuda";
  /** Encodes images in batches (each loader returns one preprocessed [3, S, S] image), calling `each` with every
   * image's tokens as soon as its batch is done — callers keep what they need, so the test set is never held. */
  run(
    images: readonly ImageLoader[],
    opts: {
      batch: number;
      phase: Phase;
      onProgress?: Progress;
      signal?: AbortSignal;
      each: (index: number, tokens: ImageTokens) => void | Promise<void>;
    },
  ): Promise<void>;
  release(): Promise<void>;
}

export async function createFeatureExtractor(model: ClipModel, o: FeatureOptions): Promise<FeatureExtractor> {
  const vcfg = model.config.vision;
  if (!vcfg) throw new Error(`${model.files.config}: this checkpoint has no vision tower`);
  const vw = model.visionWeights();
  if (o.taps.length === 0) throw new Error("at least one tap is needed");
  for (const t of o.taps)
    if (!Number.isInteger(t) || t < 1 || t > vcfg.numLayers)
      throw new RangeError(`tap ${t} is outside blocks 1..${vcfg.numLayers} of this model`);
  const wanted = new Set(o.taps);
  const names = o.taps.map((t) => (o.space === "raw" ? `tap${t}` : `proj${t}`));
  const encoder = await ClipVisionEncoder.create(
    model,
    {
      imageSize: o.imageSize,
      taps: o.space === "raw" ? o.taps : [],
      // Blocks after the deepest tap are never needed.
      blocks: Math.max(...o.taps),
      activation: o.activation,
      pooled: false,
      afterBlock:
        o.space === "projected"
          ? (i, x, b, info) => {
              if (wanted.has(i + 1)) {
                const y = b.scope(`proj${i + 1}`, () =>
                  b.matmul(
                    layerNorm(b, x, vw.lnPost, vcfg.layerNormEps, "ln_post"),
                    b.initializer("proj", "float32", vw.projection.shape, vw.projection.data),
                  ),
                );
                b.output(y, `proj${i + 1}`, "float32", ["batch", info.tokens, vw.projection.shape[1]]);
              }
              return x;
            }
          : undefined,
    },
    { device: o.device ?? "cpu", intraOpThreads: o.intraOpThreads },
  );
  const grid = encoder.graph.grid;
  const tokens = encoder.graph.tokens;
  const dim = o.space === "raw" ? encoder.graph.width : vw.projection.shape[1];
  const per = 3 * o.imageSize * o.imageSize;
  return {
    grid,
    tokens,
    dim,
    device: encoder.session.device,
    async run(images, r) {
      const size = tokens * dim;
      const recipe = {
        imageSize: o.imageSize,
        outputs: names,
        activation: o.activation ?? "config",
        preprocess: o.preprocess,
      };
      const keyOf = (i: number): FeatureKey | undefined =>
        o.cache && images[i].source
          ? { modelHash: o.cache.modelHash, imagePath: images[i].source!, recipe }
          : undefined;
      // Cached images are handed over first; only the rest go through the encoder, in batches.
      const todo: number[] = [];
      for (let i = 0; i < images.length; i++) {
        const key = keyOf(i);
        const hit = key && o.cache!.store.lookup(key);
        if (hit && names.every((n) => hit[n]?.data.length === size))
          await r.each(
            i,
            names.map((n) => hit[n].data),
          );
        else todo.push(i);
      }
      const total = Math.ceil(todo.length / r.batch);
      for (let start = 0, done = 0; start < todo.length; start += r.batch) {
        checkAbort(r.signal);
        const chunk = todo.slice(start, start + r.batch);
        const pixels = new Float32Array(chunk.length * per);
        chunk.forEach((index, i) => {
          const px = images[index]();
          if (px.length !== per)
            throw new RangeError(`image ${index}: expected 3×${o.imageSize}×${o.imageSize} pixels, got ${px.length}`);
          pixels.set(px, i * per);
        });
        // Fetch only the wanted outputs (the graph also has a "last" output when no tap is declared).
        const out = await encoder.session.run(
          { pixels: { data: pixels, dims: [chunk.length, 3, o.imageSize, o.imageSize] } },
          names,
        );
        for (const [i, index] of chunk.entries()) {
          const perTap = names.map((n) => (out[n].data as Float32Array).slice(i * size, (i + 1) * size));
          const key = keyOf(index);
          if (key)
            o.cache!.store.store(
              key,
              Object.fromEntries(names.map((n, t) => [n, { shape: [tokens, dim], data: perTap[t] }])),
            );
          await r.each(index, perTap);
        }
        r.onProgress?.(++done, total, r.phase);
      }
    },
    release: () => encoder.release(),
  };
}
