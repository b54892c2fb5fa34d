// Backward rules of the data-movement ops: each moves the gradient back to where the value came from.
// Reshape/Squeeze/Unsqueeze → reshape to the input's shape; Transpose → inverse permutation; Concat → Slice per input;
// Slice → Pad with zeros; Split → Concat (zeros for outputs without gradient); Expand → sum over expanded axes;
// Gather → one-hot MatMul (scatter-add without ScatterND's duplicate-index caveats); GatherND (EOT pooling, batch_dims 1)
// → one-hot mask.
import type { Value } from "../../ir/builder";
import type { Dim } from "../../ir/types";
import type { GradContext, Rule } from "../context";
import { sliceBounds } from "../shapes";

const staticDim = (d: Dim, what: string): number => {
  if (typeof d !== "number") throw new Error(`autodiff: ${what} needs a static size, got "${d}"`);
  return d;
};

const reshapeBack: Rule = (ctx, n, [dy], need) => {
  const out: (Value | null)[] = n.inputs.map(() => null);
  if (dy && need[0]) out[0] = ctx.b.op("Reshape", [dy, ctx.b.shape({ name: n.inputs[0] })]);
  return out;
};

const transpose: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null];
  const rank = ctx.meta(n.inputs[0]).shape.length;
  const p = n.attributes.perm;
  const perm = p && p.kind === "ints" ? p.value : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inv = new Array<number>(rank);
  perm.forEach((src, dst) => (inv[src] = dst));
  return [ctx.b.transpose(dy, inv)];
};

const concat: Rule = (ctx, n, [dy], need) => {
  if (!dy) return n.inputs.map(() => null);
  const rank = ctx.meta(n.inputs[0]).shape.length;
  const a = n.attributes.axis;
  const axis = ((a && a.kind === "int" ? a.value : 0) + rank) % rank;
  let at = 0;
  return n.inputs.map((name, i) => {
    const size = staticDim(ctx.meta(name).shape[axis], `Concat ${n.name} input ${i} along axis ${axis}`);
    const start = at;
    at += size;
    return need[i] ? ctx.b.op("Slice", [dy, ctx.ints([start]), ctx.ints([start + size]), ctx.ints([axis])]) : null;
  });
};

const slice: Rule = (ctx, n, [dy], need) => {
  const out: (Value | null)[] = n.inputs.map(() => null);
  if (!dy || !need[0]) return out;
  const xs = ctx.meta(n.inputs[0]).shape;
  const rank = xs.length;
  const get = (i: number) => (n.inputs[i] ? (ctx.constInts(n.inputs[i]) as number[] | undefined) : undefined);
  const starts = get(1);
  const ends = get(2);
  if (!starts || !ends) throw new Error(`autodiff: Slice ${n.name} needs constant starts/ends`);
  const axes = get(3) ?? starts.map((_, i) => i);
  const steps = get(4) ?? starts.map(() => 1);
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((ax0, k) => {
    if (steps[k] !== 1) throw new Error(`autodiff: Slice ${n.name} has step ${steps[k]}; only step 1 is supported`);
    const ax = (ax0 + rank) % rank;
    const dim = staticDim(xs[ax], `Slice ${n.name} axis ${ax}`);
    const [s, e] = sliceBounds(starts[k], ends[k], 1, dim);
    pads[ax] = s;
    pads[ax + rank] = dim - Math.max(s, e);
  });
  out[0] = ctx.b.op("Pad", [dy, ctx.ints(pads)]);
  return out;
};

const split: Rule = (ctx, n, dOut, need) => {
  const out: (Value | null)[] = n.inputs.map(() => null);
  if (!need[0] || dOut.every((d) => !d)) return out;
  const a = n.attributes.axis;
  const axis = a && a.kind === "int" ? a.value : 0;
  const parts = dOut.map((d, k) => d ?? ctx.zerosLike({ name: n.outputs[k] }));
  out[0] = ctx.b.concat(parts, axis);
  return out;
};

const expand: Rule = (ctx, n, [dy], need) => [
  dy && need[0] ? ctx.reduceTo(dy, ctx.meta(n.outputs[0]).shape, { name: n.inputs[0] }) : null,
  null,
];

/** [K, n] one-hot rows of int64 indices (negative indices count from the end). */
function oneHot(ctx: GradContext, idx: Value, k: number, n: number, dtype: "float32" | "float64"): Value {
  const b = ctx.b;
  const flat = b.reshape(idx, [k, 1]);
  const wrapped = b.op("Where", [b.op("Less", [flat, ctx.ints([0])]), b.add(flat, ctx.ints([n])), flat]);
  const range = b.constI64(
    "range",
    Array.from({ length: n }, (_, i) => i),
    [1, n],
  );
  return b.cast(b.op("Equal", [wrapped, range]), dtype);
}

const gather: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null, null];
  const b = ctx.b;
  const data = ctx.meta(n.inputs[0]);
  const idxShape = ctx.meta(n.inputs[1]).shape;
  const a = n.attributes.axis;
  const axis = ((a && a.kind === "int" ? a.value : 0) + data.shape.length) % data.shape.length;
  const what = `Gather ${n.name}`;
  const size = staticDim(data.shape[axis], what);
  const k = idxShape.reduce<number>((p, d) => p * staticDim(d, what), 1);
  const q = data.shape.slice(axis + 1).reduce<number>((p, d) => p * staticDim(d, what), 1);
  const dtype = data.dtype === "float64" ? "float64" : "float32";
  const hot = b.transpose(oneHot(ctx, { name: n.inputs[1] }, k, size, dtype), [1, 0]); // [n, K]
  const g = b.matmul(hot, b.reshape(dy, [-1, k, q])); // [P, n, Q]
  return [b.op("Reshape", [g, b.shape({ name: n.inputs[0] })]), null];
};

/** GatherND with batch_dims = 1 and indices [B, 1] on data [B, T, W] (the text tower's EOT pooling). */
const gatherND: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null, null];
  const b = ctx.b;
  const bd = n.attributes.batch_dims;
  const data = ctx.meta(n.inputs[0]);
  const idx = ctx.meta(n.inputs[1]).shape;
  if (!bd || bd.kind !== "int" || bd.value !== 1 || data.shape.length !== 3 || idx.length !== 2 || idx[1] !== 1) {
    throw new Error(
      `autodiff: GatherND ${n.name}: only batch_dims = 1 with indices [B, 1] on [B, T, W] data is supported`,
    );
  }
  const t = staticDim(data.shape[1], `GatherND ${n.name}`);
  const range = b.constI64(
    "range",
    Array.from({ length: t }, (_, i) => i),
    [1, t],
  );
  const mask = b.cast(b.op("Equal", [{ name: n.inputs[1] }, range]), data.dtype); // [B, T]
  return [b.mul(b.unsqueeze(mask, [2]), b.unsqueeze(dy, [1])), null];
};

export const shapeRules: Record<string, Rule> = {
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Flatten: reshapeBack,
  Transpose: transpose,
  Concat: concat,
  Slice: slice,
  Split: split,
  Expand: expand,
  Gather: gather,
  GatherND: gatherND,
};
