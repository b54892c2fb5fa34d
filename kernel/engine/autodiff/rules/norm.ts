// LayerNormalization and Softmax backward (engine.md §4.1 rules 3 and 4).
// LayerNorm: with x̂ = (x − μ)·rstd and ĝ = dy ⊙ γ, dx = rstd ⊙ (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)), dγ = Σ dy ⊙ x̂,
// dβ = Σ dy. μ and rstd come from the node's optional Mean/InvStdDev outputs (float32 graphs; autodiff switches them
// on), or are recomputed in the graph's own precision (ORT's LayerNorm has no double-precision stash).
import { attr, Value } from "../../ir/builder";
import type { GradContext, Rule } from "../context";

function normAxes(rank: number, axis: number): number[] {
  const a = axis < 0 ? axis + rank : axis;
  return Array.from({ length: rank - a }, (_, i) => a + i);
}

function meanOver(ctx: GradContext, v: Value, axes: number[]): Value {
  return ctx.b.op("ReduceMean", [v], { axes: attr.is(axes), keepdims: attr.i(1) });
}

function stats(
  ctx: GradContext,
  n: { inputs: string[]; outputs: string[]; attributes: Record<string, unknown> },
  axes: number[],
  eps: number,
) {
  const x = { name: n.inputs[0] };
  const dtype = ctx.meta(x).dtype;
  const m = n.outputs[1];
  const r = n.outputs[2];
  if (m && r && ctx.meta(m).dtype === dtype) return { mean: { name: m }, rstd: { name: r } };
  const b = ctx.b;
  const mean = meanOver(ctx, x, axes);
  const d = b.sub(x, mean);
  const variance = meanOver(ctx, b.mul(d, d), axes);
  // ORT adds the float32 value of epsilon (ONNX attributes are float32); do the same in float64.
  const rstd = b.op("Reciprocal", [b.op("Sqrt", [b.add(variance, ctx.scalar(Math.fround(eps), dtype))])]);
  return { mean, rstd };
}

const layerNorm: Rule = (ctx, n, dOut, need) => {
  const dy = dOut[0];
  if (!dy) return n.inputs.map(() => null);
  if (dOut[1] || dOut[2])
    throw new Error(
      `autodiff: LayerNormalization ${n.name}: gradients through its Mean/InvStdDev outputs are not supported`,
    );
  const b = ctx.b;
  const x = { name: n.inputs[0] };
  const xs = ctx.meta(x).shape;
  const axisAttr = n.attributes.axis;
  const epsAttr = n.attributes.epsilon;
  const axes = normAxes(xs.length, axisAttr && axisAttr.kind === "int" ? axisAttr.value : -1);
  const eps = epsAttr && epsAttr.kind === "float" ? epsAttr.value : 1e-5;
  const { mean, rstd } = stats(ctx, n, axes, eps);
  const xhat = b.mul(b.sub(x, mean), rstd);
  const scale = { name: n.inputs[1] };
  const out: (Value | null)[] = [null, null, null].slice(0, n.inputs.length);
  if (need[0]) {
    const g = b.mul(dy, scale);
    const inner = b.sub(b.sub(g, meanOver(ctx, g, axes)), b.mul(xhat, meanOver(ctx, b.mul(g, xhat), axes)));
    out[0] = b.mul(rstd, inner);
  }
  if (need[1]) out[1] = ctx.reduceTo(b.mul(dy, xhat), xs, scale);
  if (need[2] && n.inputs[2]) out[2] = ctx.reduceTo(dy, xs, { name: n.inputs[2] });
  return out;
};

const softmax: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null];
  const b = ctx.b;
  const p = { name: n.outputs[0] };
  const a = n.attributes.axis;
  const axis = a && a.kind === "int" ? a.value : -1;
  const s = ctx.reduceSum(b.mul(dy, p), [axis], true);
  return [b.mul(p, b.sub(dy, s))];
};

export const normRules: Record<string, Rule> = { LayerNormalization: layerNorm, Softmax: softmax };
