// The medad/demo-clip architecture and training recipe (issue 17). Sized for what ONE CPU core trains in about 45
// minutes and what CI can afford at inference: vision ViT with 8-px patches trained at 112 px (14×14 grid) and shipped
// at 160 px (20×20 grid, position table resized with the engine's antialiased bicubic): a patch is 12 px of a 240-px
// demo image, so its masses (radius 6–30 px) cover several patches and its small lesions (radius 2–5 px) about one.
// 224 px (28×28) was measured too slow for the tutorials in CI (PatchCore 4-shot alone took 132 s on the shared
// 2-core machine). Text width 128 keeps the 49 408-row token table at 12.6 MB in fp16.
import type { ClipArch } from "../../engine/train/clipParams";
import type { ContrastiveOptions } from "../../engine/train/contrastive";

export const DEMO_CLIP_ID = "medad/demo-clip";
export const DEMO_CLIP_NOTE =
  "medad/demo-clip: a small demo CLIP pretrained by MedAD Lab on a few thousand images (not a substitute for CLIP ViT-L/14)";
export const TRAIN_IMAGE_SIZE = 112;
export const SHIPPED_IMAGE_SIZE = 160;
/** Side at which corpus images are kept in memory (random crops of it are resized to TRAIN_IMAGE_SIZE). */
export const STORE_SIZE = 144;

const tower = { layerNormEps: 1e-5, activation: "gelu" as const };

export const DEMO_CLIP_ARCH: ClipArch = {
  vision: {
    ...tower,
    hiddenSize: 128,
    intermediateSize: 512,
    numLayers: 4,
    numHeads: 4,
    imageSize: TRAIN_IMAGE_SIZE,
    patchSize: 8,
    numChannels: 3,
  },
  text: {
    ...tower,
    hiddenSize: 128,
    intermediateSize: 512,
    numLayers: 4,
    numHeads: 4,
    vocabSize: 49408,
    contextLength: 77,
    eosTokenId: 49407,
    bosTokenId: 49406,
    padTokenId: 0,
  },
  projectionDim: 128,
};

export type DemoRecipe = Pick<
  ContrastiveOptions,
  "batch" | "steps" | "lr" | "warmup" | "weightDecay" | "seed" | "betas"
>;

export const DEMO_CLIP_RECIPE: DemoRecipe = {
  batch: 32,
  steps: 1800,
  lr: 5e-4,
  warmup: 100,
  weightDecay: 0.1,
  seed: 17,
  betas: [0.9, 0.98],
};
/** Seed of the corpus build the shipped weights were trained on. */
export const DEMO_CORPUS_SEED = 17;
export const DEMO_CORPUS_SIZE = 4000;
