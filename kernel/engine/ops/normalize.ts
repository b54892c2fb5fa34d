// L2 normalisation as the reference code writes it: x / ‖x‖ over the last axis, no epsilon (torch
// `p / p.norm(dim=-1, keepdim=True)`). Built from primitives, so autodiff differentiates it without a special rule.
import { attr, GraphBuilder, Value } from "../ir/builder";

export function l2Normalize(b: GraphBuilder, x: Value, axis = -1): Value {
  const sq = b.op("ReduceSum", [b.mul(x, x), b.constI64("l2_axes", [axis])], { keepdims: attr.i(1) });
  return b.div(x, b.op("Sqrt", [sq]));
}

/** Per-token normalisation over the last axis without affine (InstanceNorm1d on a [tokens, B, C] tensor = LayerNorm, γ = 1, β = 0). */
export function normalizeNoAffine(b: GraphBuilder, x: Value, width: number, eps = 1e-5): Value {
  const ones = b.constF32("norm_one", new Float32Array(width).fill(1), [width]);
  const zeros = b.constF32("norm_zero", new Float32Array(width), [width]);
  return b.layerNorm(x, ones, zeros, eps);
}
