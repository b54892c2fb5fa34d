// CLIP parameters in one canonical layout, loaded from either naming scheme:
//  - "hf": Hugging Face CLIPModel names (vision_model.encoder.layers.N.self_attn.q_proj.weight, ...);
//  - "open_clip": OpenAI/OpenCLIP names (visual.transformer.resblocks.N.attn.in_proj_weight with fused Q/K/V, ...).
// Canonical layout: Linear weights [out, in] (torch convention), projections [in, out] (ready for x @ P).
// Every tensor is shape-checked against the config, so a wrong config or checkpoint fails here, naming the tensor.
import type { ClipConfig, TextConfig, TowerConfig, VisionConfig } from "./clipConfig";
import { WeightsError } from "./errors";
import type { FloatTensor, SafetensorsFile } from "./safetensors";

export type Tensor = FloatTensor;

export interface LayerNormWeights {
  weight: Tensor;
  bias: Tensor;
}
export interface LinearWeights {
  weight: Tensor;
  bias: Tensor;
}

export interface BlockWeights {
  ln1: LayerNormWeights;
  q: LinearWeights;
  k: LinearWeights;
  v: LinearWeights;
  out: LinearWeights;
  ln2: LayerNormWeights;
  fc1: LinearWeights;
  fc2: LinearWeights;
}

export interface VisionWeights {
  /** [D, C, P, P] (conv, no bias). */
  patchEmbedding: Tensor;
  classEmbedding: Tensor;
  /** [G² + 1, D], row 0 = CLS. */
  positionEmbedding: Tensor;
  lnPre: LayerNormWeights;
  blocks: BlockWeights[];
  lnPost: LayerNormWeights;
  /** [D, projectionDim]. */
  projection: Tensor;
}

export interface TextWeights {
  /** [vocab, W]. */
  tokenEmbedding: Tensor;
  /** [context, W]. */
  positionEmbedding: Tensor;
  blocks: BlockWeights[];
  lnFinal: LayerNormWeights;
  /** [W, projectionDim]. */
  projection: Tensor;
}

export type NamingScheme = "hf" | "open_clip";

export function detectScheme(st: SafetensorsFile): NamingScheme {
  const names = st.names();
  if (names.some((n) => n.startsWith("vision_model.") || n.startsWith("text_model."))) return "hf";
  if (
    names.some(
      (n) => n.startsWith("visual.") || n.startsWith("transformer.resblocks.") || n === "token_embedding.weight",
    )
  )
    return "open_clip";
  throw new WeightsError(
    st.path,
    undefined,
    "neither Hugging Face CLIP names (vision_model.*, text_model.*) nor OpenCLIP names (visual.*, transformer.*) found",
  );
}

export function transpose2d(t: Tensor): Tensor {
  const [r, c] = t.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j];
  return { data: out, shape: [c, r] };
}

function rows(t: Tensor, from: number, to: number): Tensor {
  const cols = t.shape.length > 1 ? t.shape[1] : 1;
  const shape = t.shape.length > 1 ? [to - from, cols] : [to - from];
  return { data: t.data.slice(from * cols, to * cols), shape };
}

class Reader {
  constructor(readonly st: SafetensorsFile) {}
  /** A weight tensor, refused when any value is NaN or ±Inf: such a model scores NaN everywhere downstream. */
  f(name: string, shape: number[]): Tensor {
    const t = this.st.readFloat32(name, shape);
    let bad = 0;
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) bad++;
    if (bad > 0)
      throw new WeightsError(
        this.st.path,
        name,
        `${bad} of ${t.data.length} values are NaN or infinite; the file is corrupt or was saved from a diverged ` +
          "training. Download it again (medad models pull <org/name> --force) or export the model again.",
      );
    return t;
  }
  ln(prefix: string, d: number): LayerNormWeights {
    return { weight: this.f(`${prefix}.weight`, [d]), bias: this.f(`${prefix}.bias`, [d]) };
  }
  linear(prefix: string, out: number, inp: number): LinearWeights {
    return { weight: this.f(`${prefix}.weight`, [out, inp]), bias: this.f(`${prefix}.bias`, [out]) };
  }
}

function checkHeads(file: string, tower: string, c: TowerConfig): void {
  if (c.hiddenSize % c.numHeads !== 0) {
    throw new WeightsError(
      file,
      `${tower} config`,
      `hidden size ${c.hiddenSize} is not divisible by ${c.numHeads} heads`,
    );
  }
}

function hfBlock(r: Reader, prefix: string, c: TowerConfig): BlockWeights {
  const d = c.hiddenSize;
  const m = c.intermediateSize;
  return {
    ln1: r.ln(`${prefix}.layer_norm1`, d),
    q: r.linear(`${prefix}.self_attn.q_proj`, d, d),
    k: r.linear(`${prefix}.self_attn.k_proj`, d, d),
    v: r.linear(`${prefix}.self_attn.v_proj`, d, d),
    out: r.linear(`${prefix}.self_attn.out_proj`, d, d),
    ln2: r.ln(`${prefix}.layer_norm2`, d),
    fc1: r.linear(`${prefix}.mlp.fc1`, m, d),
    fc2: r.linear(`${prefix}.mlp.fc2`, d, m),
  };
}

function openClipBlock(r: Reader, prefix: string, c: TowerConfig): BlockWeights {
  const d = c.hiddenSize;
  const m = c.intermediateSize;
  // Fused in-projection: rows [0, D) = Q, [D, 2D) = K, [2D, 3D) = V (torch.nn.MultiheadAttention).
  const w = r.f(`${prefix}.attn.in_proj_weight`, [3 * d, d]);
  const b = r.f(`${prefix}.attn.in_proj_bias`, [3 * d]);
  const part = (k: number): LinearWeights => ({
    weight: rows(w, k * d, (k + 1) * d),
    bias: rows(b, k * d, (k + 1) * d),
  });
  return {
    ln1: r.ln(`${prefix}.ln_1`, d),
    q: part(0),
    k: part(1),
    v: part(2),
    out: r.linear(`${prefix}.attn.out_proj`, d, d),
    ln2: r.ln(`${prefix}.ln_2`, d),
    fc1: r.linear(`${prefix}.mlp.c_fc`, m, d),
    fc2: r.linear(`${prefix}.mlp.c_proj`, d, m),
  };
}

/** Rows of the checkpoint's position table for a config: (image/patch)² + 1. */
export function checkpointGrid(c: VisionConfig): number {
  return Math.floor(c.imageSize / c.patchSize);
}

export function loadVisionWeights(
  st: SafetensorsFile,
  config: ClipConfig,
  scheme: NamingScheme = detectScheme(st),
): VisionWeights {
  const c = config.vision;
  if (!c) throw new WeightsError(st.path, "config", `architecture ${config.architecture} has no vision tower`);
  checkHeads(st.path, "vision", c);
  const r = new Reader(st);
  const d = c.hiddenSize;
  const p = c.patchSize;
  const tokens = checkpointGrid(c) ** 2 + 1;
  const blocks: BlockWeights[] = [];
  if (scheme === "hf") {
    for (let i = 0; i < c.numLayers; i++) blocks.push(hfBlock(r, `vision_model.encoder.layers.${i}`, c));
    return {
      patchEmbedding: r.f("vision_model.embeddings.patch_embedding.weight", [d, c.numChannels, p, p]),
      classEmbedding: r.f("vision_model.embeddings.class_embedding", [d]),
      positionEmbedding: r.f("vision_model.embeddings.position_embedding.weight", [tokens, d]),
      lnPre: r.ln("vision_model.pre_layrnorm", d), // sic: HF spells it "layrnorm"
      blocks,
      lnPost: r.ln("vision_model.post_layernorm", d),
      projection: transpose2d(r.f("visual_projection.weight", [config.projectionDim, d])),
    };
  }
  for (let i = 0; i < c.numLayers; i++) blocks.push(openClipBlock(r, `visual.transformer.resblocks.${i}`, c));
  return {
    patchEmbedding: r.f("visual.conv1.weight", [d, c.numChannels, p, p]),
    classEmbedding: r.f("visual.class_embedding", [d]),
    positionEmbedding: r.f("visual.positional_embedding", [tokens, d]),
    lnPre: r.ln("visual.ln_pre", d),
    blocks,
    lnPost: r.ln("visual.ln_post", d),
    projection: r.f("visual.proj", [d, config.projectionDim]),
  };
}

export function loadTextWeights(
  st: SafetensorsFile,
  config: ClipConfig,
  scheme: NamingScheme = detectScheme(st),
): TextWeights {
  const c: TextConfig | undefined = config.text;
  if (!c) throw new WeightsError(st.path, "config", `architecture ${config.architecture} has no text tower`);
  checkHeads(st.path, "text", c);
  const r = new Reader(st);
  const w = c.hiddenSize;
  const blocks: BlockWeights[] = [];
  if (scheme === "hf") {
    for (let i = 0; i < c.numLayers; i++) blocks.push(hfBlock(r, `text_model.encoder.layers.${i}`, c));
    return {
      tokenEmbedding: r.f("text_model.embeddings.token_embedding.weight", [c.vocabSize, w]),
      positionEmbedding: r.f("text_model.embeddings.position_embedding.weight", [c.contextLength, w]),
      blocks,
      lnFinal: r.ln("text_model.final_layer_norm", w),
      projection: transpose2d(r.f("text_projection.weight", [config.projectionDim, w])),
    };
  }
  for (let i = 0; i < c.numLayers; i++) blocks.push(openClipBlock(r, `transformer.resblocks.${i}`, c));
  return {
    tokenEmbedding: r.f("token_embedding.weight", [c.vocabSize, w]),
    positionEmbedding: r.f("positional_embedding", [c.contextLength, w]),
    blocks,
    lnFinal: r.ln("ln_final", w),
    projection: r.f("text_projection", [w, config.projectionDim]),
  };
}
