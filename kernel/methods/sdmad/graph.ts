/**
 * SD-MAD-inspired graphs (methods.md §6.2) on one cached frozen tap [B, tokens, width]:
 *   shift adapter  a = LeakyReLU(W₂·LeakyReLU(W₁x))  (width → width/4 → width, no biases), x' = λx + (1 − λ)a, λ = 0.8
 *   CLIP head      f = L2norm(ln_post(x')·proj)  (frozen; token 0 = global feature g, the rest = patches p_i)
 *   sign cosines   cos[b, i, s] = f_i · t_s  (t_s: unit text embedding of sign s, a constant matrix [proj, S])
 *   sign score     u_s = ½·cos(g, t_s) + ½·mean of the top-k cos(p_i, t_s), k = ⌈1 % of the patches⌉
 *   logits         z = u·Aᵀ/τ, A [K, S] averages each category's signs and subtracts the mean of the normal signs
 *   loss           BCE(σ(z), y) + λ_d · Σ_b w_b Σ_{c∈y_b, c'∉y_b} max(0, m − (z_c − z_c')·τ)
 * with w_b = 1/(abnormal images in the batch) for abnormal images (fed as `margin_weight`, 0 for normals).
 * The top-k mean is k rounds of ReduceMax, each masking the maxima it found (exact for distinct values; equal values
 * are masked together, which only matters for exact ties).
 * Trainable inputs `shift.fc1.weight` [width/4, width] and `shift.fc2.weight` [width, width/4] (torch layout).
 */
import { attr, GraphBuilder, Value } from "../../engine/ir/builder";
import type { Dim, Graph } from "../../engine/ir/types";
import { bceWithLogits } from "../../engine/losses";
import { l2Normalize } from "../../engine/ops/normalize";
import { layerNorm } from "../../engine/clip/block";
import { leakyRelu, linearNoBias } from "../mvfa/adapters";
import { MARGIN, MARGIN_WEIGHT, SHIFT_KEEP, TEMPERATURE, topCount } from "./design";
import { categoryWeights } from "./scores";

export const SHIFT_FC1 = "shift.fc1.weight";
export const SHIFT_FC2 = "shift.fc2.weight";

/** The frozen CLIP head after the last block. */
export interface ClipHead {
  lnPost: { weight: { data: Float32Array }; bias: { data: Float32Array } };
  projection: { shape: readonly number[]; data: Float32Array };
  eps: number;
}

export interface SdmadGraphOptions {
  width: number;
  grid: number;
  head: ClipHead;
  /** Unit sign embeddings [proj, S], row-major. */
  signText: Float32Array;
  signs: number;
  batch?: Dim;
}

export function shiftParams(width: number): { name: string; shape: [number, number] }[] {
  const hidden = Math.max(1, Math.round(width / 4));
  return [
    { name: SHIFT_FC1, shape: [hidden, width] },
    { name: SHIFT_FC2, shape: [width, hidden] },
  ];
}

/** tap → cos [B, tokens, S]; declares the adapter weights as inputs. */
function emitSignCos(b: GraphBuilder, o: SdmadGraphOptions, tap: Value): Value {
  const [p1, p2] = shiftParams(o.width);
  const w1 = b.input(p1.name, "float32", p1.shape);
  const w2 = b.input(p2.name, "float32", p2.shape);
  return b.scope("sdmad", () => {
    const a = leakyRelu(b, linearNoBias(b, leakyRelu(b, linearNoBias(b, tap, w1)), w2));
    const shifted = b.add(b.mul(tap, b.scalar(SHIFT_KEEP, "keep")), b.mul(a, b.scalar(1 - SHIFT_KEEP, "mix")));
    const proj = b.matmul(
      layerNorm(b, shifted, o.head.lnPost, o.head.eps, "ln_post"),
      b.initializer("proj", "float32", [...o.head.projection.shape], o.head.projection.data),
    );
    const text = b.constF32("sign_text", o.signText, [o.head.projection.shape[1], o.signs]);
    return b.matmul(l2Normalize(b, proj), text);
  });
}

/** cos [B, tokens, S] → u [B, S]. */
export function emitSignScores(b: GraphBuilder, cos: Value, tokens: number): Value {
  return b.scope("sign_scores", () => {
    const global = b.op("Squeeze", [b.slice(cos, [0], [1], [1]), b.constI64("axis1", [1])]);
    let rest = b.slice(cos, [1], [tokens], [1]);
    const k = topCount(tokens - 1);
    let sum: Value | undefined;
    for (let j = 0; j < k; j++) {
      const m = b.op("ReduceMax", [rest], { axes: attr.is([1]), keepdims: attr.i(1) });
      sum = sum ? b.add(sum, m) : m;
      if (j < k - 1) rest = b.op("Where", [b.op("GreaterOrEqual", [rest, m]), b.scalar(-1e4, "masked"), rest]);
    }
    const local = b.op("Squeeze", [b.mul(sum!, b.scalar(1 / k, "inv_k")), b.constI64("axis1b", [1])]);
    return b.mul(b.add(global, local), b.scalar(0.5, "half"));
  });
}

/** A [K, S] row-major (see scores.ts categoryWeights). */
export function logitMatrix(group: readonly number[], categories: number, selected?: readonly boolean[]): Float32Array {
  const rows = categoryWeights(group, categories, selected);
  const A = new Float32Array(categories * group.length);
  rows.forEach((r, c) => A.set(r, c * group.length));
  return A;
}

export interface SdmadTrainGraph {
  graph: Graph;
  params: { name: string; shape: [number, number] }[];
  loss: string;
  lossParts: string[];
}

/** Training graph: inputs `tap`, `labels` [B, K], `margin_weight` [B] and the two shift weights; output `loss`. */
export function buildSdmadTrainGraph(
  o: SdmadGraphOptions & { group: readonly number[]; categories: number; debugOutputs?: boolean },
): SdmadTrainGraph {
  const b = new GraphBuilder("sdmad_train");
  const batch: Dim = o.batch ?? "batch";
  const tokens = o.grid * o.grid + 1;
  const K = o.categories;
  const tap = b.input("tap", "float32", [batch, tokens, o.width]);
  const y = b.input("labels", "float32", [batch, K]);
  const w = b.input("margin_weight", "float32", [batch]);
  const cos = emitSignCos(b, o, tap);
  const u = emitSignScores(b, cos, tokens);
  const At = b.transpose(b.constF32("logit_matrix", logitMatrix(o.group, K), [K, o.signs]), [1, 0]);
  const d = b.matmul(u, At); // [B, K] = z·τ, cosine units
  const z = b.mul(d, b.scalar(1 / TEMPERATURE, "inv_tau"));
  const bce = bceWithLogits(b, z, y);
  const margin = b.scope("margin", () => {
    const diff = b.sub(b.unsqueeze(d, [2]), b.unsqueeze(d, [1])); // [B, K, K]: d_c − d_c'
    const pairs = b.mul(b.unsqueeze(y, [2]), b.unsqueeze(b.sub(b.scalar(1, "one"), y), [1])); // y_c·(1 − y_c')
    const hinge = b.op("Relu", [b.sub(b.scalar(MARGIN, "m"), diff)]);
    const perImage = b.op("ReduceSum", [b.mul(pairs, hinge), b.constI64("axes12", [1, 2])], { keepdims: attr.i(0) }); // [B]
    return b.op("ReduceSum", [b.mul(perImage, w), b.constI64("axes0", [0])], { keepdims: attr.i(0) });
  });
  const total = b.add(bce, b.mul(margin, b.scalar(MARGIN_WEIGHT, "lambda_d")));
  b.output(total, "loss", "float32", []);
  b.output(bce, "loss.bce", "float32", []);
  b.output(margin, "loss.margin", "float32", []);
  if (o.debugOutputs) {
    b.output(u, "sign_scores", "float32", [batch, o.signs]);
    b.output(z, "logits", "float32", [batch, K]);
    b.output(cos, "cos", "float32", [batch, tokens, o.signs]);
  }
  return { graph: b.build(), params: shiftParams(o.width), loss: "loss", lossParts: ["loss.bce", "loss.margin"] };
}

/** Scoring graph: `tap` + shift weights → `cos` [B, tokens, S] (sign scores and maps are computed from it in TS). */
export function buildSdmadScoreGraph(o: SdmadGraphOptions): {
  graph: Graph;
  params: { name: string; shape: [number, number] }[];
} {
  const b = new GraphBuilder("sdmad_score");
  const tokens = o.grid * o.grid + 1;
  const tap = b.input("tap", "float32", [o.batch ?? "batch", tokens, o.width]);
  b.output(emitSignCos(b, o, tap), "cos", "float32", [o.batch ?? "batch", tokens, o.signs]);
  return { graph: b.build(), params: shiftParams(o.width) };
}
