// CLIP vision encoder as a graph: patch conv → [CLS; patches] + position embedding → ln_pre → blocks → taps and the
// pooled embedding ln_post(CLS) @ proj. Taps are the raw residual stream after the chosen blocks, [image, token, dim]
// with token 0 = CLS and the patches row-major — the layout of the reference implementations.
import { GraphBuilder, Value } from "../ir/builder";
import type { Dim, Graph } from "../ir/types";
import type { Activation, VisionConfig } from "../weights/clipConfig";
import type { VisionWeights } from "../weights/clipWeights";
import { layerNorm, transformerBlock } from "./block";
import { resizePositionEmbedding } from "./posEmbedResize";

/** Called after each block (0-based `index`) with the block output; returns what the next block receives. */
export type AfterBlockHook = (
  index: number,
  x: Value,
  b: GraphBuilder,
  info: { tokens: number; width: number },
) => Value;

export interface VisionGraphOptions {
  /** Input side in pixels (default: the config's). The grid is floor(size / patch) — conv drops leftover pixels. */
  imageSize?: number;
  /** Overrides the config's MLP activation (MVFA/MadCLIP need exact "gelu" with OpenAI weights). */
  activation?: Activation;
  /** 1-indexed block numbers whose output becomes graph output `tap{n}`. */
  taps?: number[];
  /** Number of blocks to run (default: all). Fewer blocks → no pooled output unless all run. */
  blocks?: number;
  /** Emit `pooled` = ln_post(CLS) @ proj (default true when all blocks run). */
  pooled?: boolean;
  /** Emit `embed` (tokens + position embedding, before ln_pre) and/or `ln_pre` (input of block 1). */
  embed?: boolean;
  lnPre?: boolean;
  /** Fixed batch size, or "batch" (default) for a dynamic first dimension. */
  batch?: number | string;
  afterBlock?: AfterBlockHook;
  /** int8 block weights (DynamicQuantizeMatMul); faster, approximate — check accuracy on real weights first. */
  int8?: boolean;
  name?: string;
}

export interface VisionOutputs {
  embed: Value;
  lnPre: Value;
  taps: Map<number, Value>;
  last: Value;
  pooled?: Value;
}

export interface VisionGraph {
  graph: Graph;
  /** Input name ("pixels", [batch, C, S, S] float32). */
  input: string;
  grid: number;
  tokens: number;
  width: number;
  outputs: { name: string; shape: Dim[] }[];
}

export function visionGrid(config: VisionConfig, imageSize = config.imageSize): number {
  return Math.floor(imageSize / config.patchSize);
}

/** Emits the encoder into an existing builder (for graphs that continue after the trunk). */
export function emitVisionEncoder(
  b: GraphBuilder,
  pixels: Value,
  w: VisionWeights,
  config: VisionConfig,
  opts: VisionGraphOptions = {},
): VisionOutputs {
  const d = config.hiddenSize;
  const p = config.patchSize;
  const grid = visionGrid(config, opts.imageSize);
  if (grid < 1) throw new Error(`image size ${opts.imageSize} is smaller than one ${p}-px patch`);
  const nTokens = grid * grid + 1;
  const nBlocks = opts.blocks ?? config.numLayers;
  if (!Number.isInteger(nBlocks) || nBlocks < 0 || nBlocks > config.numLayers)
    throw new RangeError(`blocks must be 0..${config.numLayers}, got ${nBlocks}`);
  const taps = new Set(opts.taps ?? []);
  for (const t of taps)
    if (!Number.isInteger(t) || t < 1 || t > nBlocks) throw new RangeError(`tap ${t} is outside blocks 1..${nBlocks}`);
  const act = opts.activation ?? config.activation;

  const embed = b.scope("embeddings", () => {
    const kernel = b.initializer("patch_embedding", "float32", w.patchEmbedding.shape, w.patchEmbedding.data);
    const conv = b.op("Conv", [pixels, kernel], {
      kernel_shape: { kind: "ints", value: [p, p] },
      strides: { kind: "ints", value: [p, p] },
    }); // [B, D, g, g]
    const patches = b.transpose(b.reshape(conv, [0, d, grid * grid]), [0, 2, 1]); // [B, g², D]
    // CLS for a dynamic batch: Expand [1, 1, D] to [B, 1, D] using the batch dim of the input.
    const batchDim = b.slice(b.shape(pixels), [0], [1], [0]);
    const clsShape = b.concat([batchDim, b.constI64("one_d", [1, d])], 0);
    const cls = b.expand(b.initializer("class_embedding", "float32", [1, 1, d], w.classEmbedding.data), clsShape);
    const pos = resizePositionEmbedding(w.positionEmbedding, grid);
    return b.add(b.concat([cls, patches], 1), b.initializer("position_embedding", "float32", [nTokens, d], pos.data));
  });
  const lnPre = layerNorm(b, embed, w.lnPre, config.layerNormEps, "ln_pre");
  let x = lnPre;
  const tapValues = new Map<number, Value>();
  for (let i = 0; i < nBlocks; i++) {
    x = b.scope(`block${i + 1}`, () =>
      transformerBlock(b, x, w.blocks[i], {
        numHeads: config.numHeads,
        layerNormEps: config.layerNormEps,
        activation: act,
        int8: opts.int8,
      }),
    );
    if (taps.has(i + 1)) tapValues.set(i + 1, x);
    if (opts.afterBlock) x = opts.afterBlock(i, x, b, { tokens: nTokens, width: d });
  }
  let pooled: Value | undefined;
  if (opts.pooled ?? nBlocks === config.numLayers) {
    pooled = b.scope("head", () => {
      const cls = b.gather(x, b.initializer("cls_index", "int64", [], BigInt64Array.of(0n)), 1); // [B, D]
      const n = layerNorm(b, cls, w.lnPost, config.layerNormEps, "ln_post");
      return b.matmul(n, b.initializer("proj", "float32", w.projection.shape, w.projection.data));
    });
  }
  return { embed, lnPre, taps: tapValues, last: x, pooled };
}

export function buildVisionGraph(w: VisionWeights, config: VisionConfig, opts: VisionGraphOptions = {}): VisionGraph {
  const b = new GraphBuilder(opts.name ?? "clip_vision");
  const size = opts.imageSize ?? config.imageSize;
  const batch: Dim = opts.batch ?? "batch";
  const pixels = b.input("pixels", "float32", [batch, config.numChannels, size, size]);
  const out = emitVisionEncoder(b, pixels, w, config, opts);
  const grid = visionGrid(config, size);
  const tokens = grid * grid + 1;
  const d = config.hiddenSize;
  const outputs: { name: string; shape: Dim[] }[] = [];
  const emit = (v: Value, name: string, shape: Dim[]) => {
    b.output(v, name, "float32", shape);
    outputs.push({ name, shape });
  };
  if (opts.embed) emit(out.embed, "embed", [batch, tokens, d]);
  if (opts.lnPre) emit(out.lnPre, "ln_pre", [batch, tokens, d]);
  for (const [n, v] of [...out.taps].sort((a, c) => a[0] - c[0])) emit(v, `tap${n}`, [batch, tokens, d]);
  if (out.pooled) emit(out.pooled, "pooled", [batch, w.projection.shape[1]]);
  if (outputs.length === 0) emit(out.last, "last", [batch, tokens, d]);
  return { graph: b.build(), input: "pixels", grid, tokens, width: d, outputs };
}
