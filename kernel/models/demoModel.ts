/**
 * `medad/demo-tiny-clip`: a tiny CLIP with RANDOM weights that ships as code, so the tutorials run on a fresh clone
 * without downloads. Same architecture as the test fixture (HF CLIPConfig; vision 56 px, patch 8, width 64, 8 blocks,
 * 4 heads; text width 16, 4 blocks; projection 32; vocab 49408). The weights come from a seeded generator, so every
 * machine builds the same bytes; the CLIP BPE files are vendored in `data/clip-bpe` (MIT, OpenAI). Numbers from this
 * model show that a pipeline runs end to end — they say nothing about how well a method detects anomalies.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Rng } from "../util/random/rng";
import { encodeSafetensors, type StTensorIn } from "../engine/weights/safetensorsWrite";
import { packageRoot } from "../util/packageRoot";
import { modelDirName, resolveCacheRoot } from "./hubLocation";
import { installLocalModel } from "./installLocal";
import { REQUIRED_FILES } from "./pullModel";

export const DEMO_MODEL_ID = "medad/demo-tiny-clip";
/** Seed of the weights; changing it (or the init below) changes the model hash, so old cached features are not reused. */
export const DEMO_MODEL_SEED = 20261122;
export const DEMO_MODEL_NOTE =
  "random weights (medad/demo-tiny-clip): the numbers demonstrate the pipeline, not the method";

const VISION = { hidden: 64, mlp: 256, layers: 8, heads: 4, image: 56, patch: 8 };
const TEXT = { hidden: 16, mlp: 64, layers: 4, heads: 4, context: 77, vocab: 49408 };
const PROJ = 32;

/** HF CLIPConfig of the demo model (also readable by transformers' CLIPModel). */
export function demoModelConfig(): Record<string, unknown> {
  return {
    architectures: ["CLIPModel"],
    model_type: "clip",
    projection_dim: PROJ,
    logit_scale_init_value: 2.6592,
    torch_dtype: "float32",
    text_config: {
      model_type: "clip_text_model",
      hidden_size: TEXT.hidden,
      intermediate_size: TEXT.mlp,
      num_hidden_layers: TEXT.layers,
      num_attention_heads: TEXT.heads,
      max_position_embeddings: TEXT.context,
      vocab_size: TEXT.vocab,
      hidden_act: "gelu",
      layer_norm_eps: 1e-5,
      projection_dim: PROJ,
      bos_token_id: 49406,
      eos_token_id: 49407,
      pad_token_id: 0,
    },
    vision_config: {
      model_type: "clip_vision_model",
      hidden_size: VISION.hidden,
      intermediate_size: VISION.mlp,
      num_hidden_layers: VISION.layers,
      num_attention_heads: VISION.heads,
      image_size: VISION.image,
      patch_size: VISION.patch,
      num_channels: 3,
      hidden_act: "gelu",
      layer_norm_eps: 1e-5,
      projection_dim: PROJ,
    },
    medad_demo: { seed: DEMO_MODEL_SEED, note: DEMO_MODEL_NOTE },
  };
}

/**
 * The weights, under Hugging Face CLIPModel names. Linear weights ~ N(0, 1/fan_in) so activations keep their scale
 * through 8 random blocks; LayerNorm scales near 1 and small random biases so every parameter is exercised.
 */
export function demoModelTensors(seed = DEMO_MODEL_SEED): Record<string, StTensorIn> {
  const rng = new Rng(seed);
  const out: Record<string, StTensorIn> = {};
  const normal = (name: string, shape: number[], std: number, mean = 0) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
    out[name] = { dtype: "F32", shape, data };
  };
  const linear = (prefix: string, outDim: number, inDim: number, bias = true) => {
    normal(`${prefix}.weight`, [outDim, inDim], 1 / Math.sqrt(inDim));
    if (bias) normal(`${prefix}.bias`, [outDim], 0.02);
  };
  const layerNorm = (prefix: string, d: number) => {
    normal(`${prefix}.weight`, [d], 0.1, 1);
    normal(`${prefix}.bias`, [d], 0.02);
  };
  const block = (prefix: string, d: number, m: number) => {
    layerNorm(`${prefix}.layer_norm1`, d);
    for (const p of ["q_proj", "k_proj", "v_proj", "out_proj"]) linear(`${prefix}.self_attn.${p}`, d, d);
    layerNorm(`${prefix}.layer_norm2`, d);
    linear(`${prefix}.mlp.fc1`, m, d);
    linear(`${prefix}.mlp.fc2`, d, m);
  };
  const grid = VISION.image / VISION.patch;
  normal("vision_model.embeddings.class_embedding", [VISION.hidden], 0.5);
  normal(
    "vision_model.embeddings.patch_embedding.weight",
    [VISION.hidden, 3, VISION.patch, VISION.patch],
    1 / Math.sqrt(3 * VISION.patch * VISION.patch),
  );
  normal("vision_model.embeddings.position_embedding.weight", [grid * grid + 1, VISION.hidden], 0.1);
  layerNorm("vision_model.pre_layrnorm", VISION.hidden);
  for (let l = 0; l < VISION.layers; l++) block(`vision_model.encoder.layers.${l}`, VISION.hidden, VISION.mlp);
  layerNorm("vision_model.post_layernorm", VISION.hidden);
  linear("visual_projection", PROJ, VISION.hidden, false);
  normal("text_model.embeddings.token_embedding.weight", [TEXT.vocab, TEXT.hidden], 0.02);
  normal("text_model.embeddings.position_embedding.weight", [TEXT.context, TEXT.hidden], 0.01);
  for (let l = 0; l < TEXT.layers; l++) block(`text_model.encoder.layers.${l}`, TEXT.hidden, TEXT.mlp);
  layerNorm("text_model.final_layer_norm", TEXT.hidden);
  linear("text_projection", PROJ, TEXT.hidden, false);
  out.logit_scale = { dtype: "F32", shape: [1], data: Float32Array.of(2.6592) };
  return out;
}

/** The safetensors bytes. The header carries a digest of the tensor data, so the default model hash (header + size)
 * changes whenever the weights do and the feature cache never mixes two versions of the demo model. */
export function demoModelSafetensors(seed = DEMO_MODEL_SEED): Buffer {
  const tensors = demoModelTensors(seed);
  const digest = createHash("sha256");
  for (const [name, t] of Object.entries(tensors))
    digest.update(name).update(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return encodeSafetensors(tensors, {
    format: "pt",
    generator: DEMO_MODEL_ID,
    seed: String(seed),
    data_sha256: digest.digest("hex"),
    note: DEMO_MODEL_NOTE,
  });
}

/** The vendored CLIP BPE files (`data/clip-bpe`: vocab.json, merges.txt and their MIT licence). */
export function clipBpeDir(): string {
  return path.join(packageRoot(), "data", "clip-bpe");
}

/** The vendored CLIP BPE files (with their licence) that a model installed without a download carries. */
export function vendoredTokenizerFiles(): Record<string, Buffer> {
  const bpe = clipBpeDir();
  return {
    "vocab.json": fs.readFileSync(path.join(bpe, "vocab.json")),
    "merges.txt": fs.readFileSync(path.join(bpe, "merges.txt")),
    TOKENIZER_LICENSE: fs.readFileSync(path.join(bpe, "LICENSE")),
  };
}

export interface DemoModelHooks {
  /** Called with the filled temporary folder just before it is renamed into place (tests simulate a crash here). */
  beforeInstall?: (tmpDir: string) => void;
}

/** The demo model's cache folder, whether or not it has been generated yet. */
export function demoModelDir(cacheRoot?: string): string {
  return path.join(resolveCacheRoot(cacheRoot), modelDirName(DEMO_MODEL_ID));
}

function isComplete(dir: string): boolean {
  return REQUIRED_FILES.every((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * Returns the demo model's folder in the cache, generating it first when it is missing (or when `force`). The files
 * are written into a temporary folder beside it and renamed into place in one step, so a crash or a second process
 * generating at the same time never leaves a half-written model; the loser of a race keeps the winner's copy (same
 * bytes).
 */
export function ensureDemoModel(opts: { cacheRoot?: string; force?: boolean; hooks?: DemoModelHooks } = {}): string {
  const dir = demoModelDir(opts.cacheRoot);
  if (!opts.force && isComplete(dir)) return dir;
  return installLocalModel({
    dir,
    repo: DEMO_MODEL_ID,
    origin: "generated locally (no download): " + DEMO_MODEL_NOTE,
    files: {
      "config.json": Buffer.from(JSON.stringify(demoModelConfig(), null, 2) + "\n"),
      "model.safetensors": demoModelSafetensors(),
      ...vendoredTokenizerFiles(),
    },
    absent: ["tokenizer_config.json"],
    replace: !!opts.force,
    isComplete,
    beforeInstall: opts.hooks?.beforeInstall,
  });
}

/** The random-weights note when `dir` holds a generated demo model (its config says so), else undefined. */
export function demoModelNote(dir: string): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")) as {
      medad_demo?: { note?: string };
    };
    return config.medad_demo ? (config.medad_demo.note ?? DEMO_MODEL_NOTE) : undefined;
  } catch {
    return undefined;
  }
}
