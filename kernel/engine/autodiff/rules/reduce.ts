// Reductions: the gradient is broadcast back over the reduced axes (÷ count for the mean). ReduceMax/Min route it to
// the extreme elements, split evenly among ties (torch's amax/amin convention).
import { attr, Value } from "../../ir/builder";
import type { NodeDef } from "../../ir/types";
import type { GradContext, Rule } from "../context";

function reducedAxes(ctx: GradContext, n: NodeDef): { axes: number[]; keep: boolean } {
  const rank = ctx.meta(n.inputs[0]).shape.length;
  let axes: number[] | undefined;
  if (n.opType === "ReduceSum") {
    if (n.inputs[1]) {
      axes = ctx.constInts(n.inputs[1]) as number[] | undefined;
      if (!axes) throw new Error(`autodiff: ReduceSum ${n.name} needs constant axes`);
    }
  } else {
    const a = n.attributes.axes;
    axes = a && a.kind === "ints" ? a.value : undefined;
  }
  const k = n.attributes.keepdims;
  const all = Array.from({ length: rank }, (_, i) => i);
  return {
    axes: (axes ?? all).map((x) => (x + rank) % rank).sort((p, q) => p - q),
    keep: !k || k.kind !== "int" || k.value === 1,
  };
}

/** dy (reduced shape) → broadcast to the input's shape. */
function broadcastBack(ctx: GradContext, n: NodeDef, v: Value, axes: number[], keep: boolean): Value {
  const b = ctx.b;
  const kept = keep || axes.length === 0 ? v : b.unsqueeze(v, axes);
  return b.expand(kept, b.shape({ name: n.inputs[0] }));
}

const reduceSum: Rule = (ctx, n, [dy], need) => {
  const out: (Value | null)[] = n.inputs.map(() => null);
  if (!dy || !need[0]) return out;
  const { axes, keep } = reducedAxes(ctx, n);
  out[0] = broadcastBack(ctx, n, dy, axes, keep);
  return out;
};

const reduceMean: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null];
  const b = ctx.b;
  const { axes, keep } = reducedAxes(ctx, n);
  const xs = ctx.meta(n.inputs[0]);
  const dims = axes.map((a) => xs.shape[a]);
  let scale: Value;
  if (dims.every((d) => typeof d === "number")) {
    scale = ctx.scalar(1 / (dims as number[]).reduce((p, q) => p * q, 1), xs.dtype);
  } else {
    // Symbolic reduced dims (e.g. a dynamic batch): count = Size(x) / Size(y), computed at run time.
    const size = (name: string) => b.cast(b.op("Size", [{ name }]), xs.dtype);
    scale = b.div(size(n.outputs[0]), size(n.inputs[0]));
  }
  return [broadcastBack(ctx, n, b.mul(dy, scale), axes, keep)];
};

const reduceExtreme: Rule = (ctx, n, [dy], need) => {
  if (!dy || !need[0]) return [null];
  const b = ctx.b;
  const { axes, keep } = reducedAxes(ctx, n);
  const dtype = ctx.meta(n.inputs[0]).dtype;
  const x = { name: n.inputs[0] };
  const y = broadcastBack(ctx, n, { name: n.outputs[0] }, axes, keep);
  const hit = b.cast(b.op("Equal", [x, y]), dtype);
  const count = b.op("ReduceSum", [hit, ctx.ints(axes)], { keepdims: attr.i(1) });
  const share = b.div(hit, count);
  return [b.mul(broadcastBack(ctx, n, dy, axes, keep), share)];
};

export const reduceRules: Record<string, Rule> = {
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceMax: reduceExtreme,
  ReduceMin: reduceExtreme,
};
