// Backward rules of the broadcasting binary ops: the elementwise derivative, then a sum over the axes the operand
// was broadcast along (ctx.reduceTo), so a bias [D] added to [B, N, D] gets Σ over B and N.
import type { Value } from "../../ir/builder";
import type { GradContext, Rule } from "../context";

function outShape(ctx: GradContext, out: string) {
  return ctx.meta(out).shape;
}

const add: Rule = (ctx, n, [dy], need) => {
  const s = outShape(ctx, n.outputs[0]);
  return n.inputs.map((x, i) => (need[i] && dy ? ctx.reduceTo(dy, s, { name: x }) : null));
};

const sub: Rule = (ctx, n, [dy], need) => {
  const s = outShape(ctx, n.outputs[0]);
  const b = ctx.b;
  return [
    need[0] && dy ? ctx.reduceTo(dy, s, { name: n.inputs[0] }) : null,
    need[1] && dy ? ctx.reduceTo(b.op("Neg", [dy]), s, { name: n.inputs[1] }) : null,
  ];
};

const mul: Rule = (ctx, n, [dy], need) => {
  if (!dy) return [null, null];
  const s = outShape(ctx, n.outputs[0]);
  const [a, c] = n.inputs.map((name) => ({ name }));
  return [need[0] ? ctx.reduceTo(ctx.b.mul(dy, c), s, a) : null, need[1] ? ctx.reduceTo(ctx.b.mul(dy, a), s, c) : null];
};

const div: Rule = (ctx, n, [dy], need) => {
  if (!dy) return [null, null];
  const b = ctx.b;
  const s = outShape(ctx, n.outputs[0]);
  const [a, c] = n.inputs.map((name) => ({ name }));
  const y = { name: n.outputs[0] };
  return [
    need[0] ? ctx.reduceTo(b.div(dy, c), s, a) : null,
    // d(a/c)/dc = −a/c² = −y/c
    need[1] ? ctx.reduceTo(b.op("Neg", [b.div(b.mul(dy, y), c)]), s, c) : null,
  ];
};

/** Pow with a constant exponent p: d/dx xᵖ = p·xᵖ⁻¹. A trainable exponent is not supported (never needed). */
const pow: Rule = (ctx, n, [dy], need) => {
  if (need[1])
    throw new Error(`autodiff: Pow ${n.name} has a differentiable exponent; only constant exponents are supported`);
  if (!dy || !need[0]) return [null, null];
  const b = ctx.b;
  const x = { name: n.inputs[0] };
  const p = { name: n.inputs[1] };
  const dtype = ctx.meta(x).dtype;
  const pm1 = b.sub(p, ctx.scalar(1, dtype));
  const local = b.mul(p, b.op("Pow", [x, pm1]));
  return [ctx.reduceTo(b.mul(dy, local), outShape(ctx, n.outputs[0]), x), null];
};

const sum: Rule = (ctx, n, [dy], need) => add(ctx, n, [dy], need);

/** Where(cond, a, b): the gradient goes to the branch that was selected. */
const where: Rule = (ctx, n, [dy], need) => {
  if (!dy) return [null, null, null];
  const b = ctx.b;
  const s = outShape(ctx, n.outputs[0]);
  const cond = { name: n.inputs[0] };
  const zero = ctx.scalar(0, ctx.meta(n.outputs[0]).dtype);
  const pick = (x: Value, y: Value) => b.op("Where", [cond, x, y]);
  return [
    null,
    need[1] ? ctx.reduceTo(pick(dy, zero), s, { name: n.inputs[1] }) : null,
    need[2] ? ctx.reduceTo(pick(zero, dy), s, { name: n.inputs[2] }) : null,
  ];
};

export const elementwiseRules: Record<string, Rule> = {
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Sum: sum,
  Where: where,
};
