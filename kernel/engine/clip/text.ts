// CLIP text encoder as a graph: token embeddings (looked up from ids, or given as input so prompt vectors can be
// learned) + position embedding → blocks (with or without the causal mask) → EOT pooling → ln_final → projection.
// EOT pooling takes, per prompt, the token at argmax(id) (EOT 49407 is the largest id); in embedding mode the EOT
// index is an input. ln_final is per token, so pooling before it gives the same numbers for less work.
import { attr, GraphBuilder, Value } from "../ir/builder";
import type { Dim, Graph } from "../ir/types";
import type { Activation, TextConfig } from "../weights/clipConfig";
import type { TextWeights } from "../weights/clipWeights";
import { layerNorm, transformerBlock } from "./block";
import type { AfterBlockHook } from "./vision";

export interface TextGraphOptions {
  /** "ids": input `input_ids` int64 [B, ctx]; "embeddings": inputs `input_embeds` float32 [B, ctx, W] and `eot_index` int64 [B]. */
  input?: "ids" | "embeddings";
  /** Causal mask as in CLIP.encode_text (default true); false = CoOp's text encoder (padding tokens are attended). */
  causalMask?: boolean;
  activation?: Activation;
  batch?: number | string;
  afterBlock?: AfterBlockHook;
  name?: string;
}

export interface TextGraph {
  graph: Graph;
  inputs: string[];
  /** "text_embeds" [B, projectionDim], not normalised. */
  output: string;
  contextLength: number;
}

/** [ctx, ctx] additive mask: −inf strictly above the diagonal (torch: fill(-inf).triu_(1)). */
export function causalMask(n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = -Infinity;
  return m;
}

/** Token embeddings for ids ([B·ctx] flattened) in TS — the starting point for learnable-prompt inputs. */
export function tokenEmbeddings(w: TextWeights, ids: ArrayLike<number | bigint>): Float32Array {
  const [vocab, width] = w.tokenEmbedding.shape;
  const out = new Float32Array(ids.length * width);
  for (let t = 0; t < ids.length; t++) {
    const id = Number(ids[t]);
    if (!Number.isInteger(id) || id < 0 || id >= vocab)
      throw new RangeError(`token id ${id} at position ${t} is outside the vocabulary (0..${vocab - 1})`);
    out.set(w.tokenEmbedding.data.subarray(id * width, (id + 1) * width), t * width);
  }
  return out;
}

/** EOT positions = argmax of each row of ids [B, ctx] (first maximum, as torch.argmax). */
export function eotIndices(ids: ArrayLike<number | bigint>, contextLength: number): BigInt64Array {
  const rows = ids.length / contextLength;
  const out = new BigInt64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < contextLength; j++)
      if (Number(ids[r * contextLength + j]) > Number(ids[r * contextLength + best])) best = j;
    out[r] = BigInt(best);
  }
  return out;
}

export function buildTextGraph(w: TextWeights, config: TextConfig, opts: TextGraphOptions = {}): TextGraph {
  const b = new GraphBuilder(opts.name ?? "clip_text");
  const ctx = config.contextLength;
  const width = config.hiddenSize;
  const batch: Dim = opts.batch ?? "batch";
  const mode = opts.input ?? "ids";
  let x: Value;
  let eot: Value;
  if (mode === "ids") {
    const ids = b.input("input_ids", "int64", [batch, ctx]);
    x = b.gather(b.initializer("token_embedding", "float32", w.tokenEmbedding.shape, w.tokenEmbedding.data), ids, 0);
    eot = b.op("ArgMax", [ids], { axis: attr.i(1), keepdims: attr.i(1) }); // [B, 1]
  } else {
    x = b.input("input_embeds", "float32", [batch, ctx, width]);
    eot = b.unsqueeze(b.input("eot_index", "int64", [batch]), [1]);
  }
  x = b.add(x, b.initializer("position_embedding", "float32", [ctx, width], w.positionEmbedding.data));
  const mask =
    (opts.causalMask ?? true) ? b.initializer("causal_mask", "float32", [ctx, ctx], causalMask(ctx)) : undefined;
  const act = opts.activation ?? config.activation;
  for (let i = 0; i < config.numLayers; i++) {
    x = b.scope(`block${i + 1}`, () =>
      transformerBlock(b, x, w.blocks[i], {
        numHeads: config.numHeads,
        layerNormEps: config.layerNormEps,
        activation: act,
        mask,
      }),
    );
    if (opts.afterBlock) x = opts.afterBlock(i, x, b, { tokens: ctx, width });
  }
  const pooled = b.op("GatherND", [x, eot], { batch_dims: attr.i(1) }); // [B, W]
  const normed = layerNorm(b, pooled, w.lnFinal, config.layerNormEps, "ln_final");
  const proj = b.matmul(normed, b.initializer("text_projection", "float32", w.projection.shape, w.projection.data));
  b.output(proj, "text_embeds", "float32", [batch, w.projection.shape[1]]);
  return {
    graph: b.build(),
    inputs: mode === "ids" ? ["input_ids"] : ["input_embeds", "eot_index"],
    output: "text_embeds",
    contextLength: ctx,
  };
}
