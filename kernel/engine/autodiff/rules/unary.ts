// Backward rules of elementwise unary ops. Where the derivative is a function of the output (Sigmoid, Exp, Sqrt,
// Tanh) the rule reads the forward output instead of recomputing it.
import type { Value } from "../../ir/builder";
import type { GradContext, Rule } from "../context";

type Local = (ctx: GradContext, x: Value, y: Value, dy: Value, alpha: number) => Value;

function unary(local: Local): Rule {
  return (ctx, n, [dy], need) => {
    if (!dy || !need[0]) return [null];
    const a = n.attributes.alpha;
    const alpha = a && a.kind === "float" ? a.value : 0.01;
    return [local(ctx, { name: n.inputs[0] }, { name: n.outputs[0] }, dy, alpha)];
  };
}

const dt = (ctx: GradContext, v: Value) => ctx.meta(v).dtype;

export const unaryRules: Record<string, Rule> = {
  Identity: unary((_c, _x, _y, dy) => dy),
  Neg: unary((ctx, _x, _y, dy) => ctx.b.op("Neg", [dy])),
  // y = σ(x): dy·y·(1 − y)
  Sigmoid: unary((ctx, _x, y, dy) => ctx.b.mul(dy, ctx.b.mul(y, ctx.b.sub(ctx.scalar(1, dt(ctx, y)), y)))),
  // erf'(x) = 2/√π · exp(−x²)
  Erf: unary((ctx, x, _y, dy) => {
    const b = ctx.b;
    const e = b.op("Exp", [b.op("Neg", [b.mul(x, x)])]);
    return b.mul(dy, b.mul(e, ctx.scalar(2 / Math.sqrt(Math.PI), dt(ctx, x))));
  }),
  Exp: unary((ctx, _x, y, dy) => ctx.b.mul(dy, y)),
  Log: unary((ctx, x, _y, dy) => ctx.b.div(dy, x)),
  // √x' = 1/(2√x) = 0.5/y
  Sqrt: unary((ctx, _x, y, dy) => ctx.b.div(ctx.b.mul(dy, ctx.scalar(0.5, dt(ctx, y))), y)),
  Tanh: unary((ctx, _x, y, dy) => ctx.b.mul(dy, ctx.b.sub(ctx.scalar(1, dt(ctx, y)), ctx.b.mul(y, y)))),
  // softplus'(x) = σ(x); exact everywhere (log-sigmoid losses are written as −softplus(−z)).
  Softplus: unary((ctx, x, _y, dy) => ctx.b.mul(dy, ctx.b.sigmoid(x))),
  Reciprocal: unary((ctx, _x, y, dy) => ctx.b.op("Neg", [ctx.b.mul(dy, ctx.b.mul(y, y))])),
  // Subgradient 0 at x = 0, as torch.
  Relu: unary((ctx, x, _y, dy) =>
    ctx.b.op("Where", [ctx.b.op("Greater", [x, ctx.scalar(0, dt(ctx, x))]), dy, ctx.scalar(0, dt(ctx, x))]),
  ),
  // slope `alpha` for x ≤ 0 (torch uses the negative slope at exactly 0 too).
  LeakyRelu: unary((ctx, x, _y, dy, alpha) => {
    const b = ctx.b;
    return b.op("Where", [
      b.op("Greater", [x, ctx.scalar(0, dt(ctx, x))]),
      dy,
      b.mul(dy, ctx.scalar(alpha, dt(ctx, x))),
    ]);
  }),
  Abs: unary((ctx, x, _y, dy) => ctx.b.mul(dy, ctx.b.op("Sign", [x]))),
  // clamp: gradient passes where min ≤ x ≤ max (inclusive, as torch.clamp); bounds are constants.
  Clip: (ctx, n, [dy], need) => {
    const out: (Value | null)[] = n.inputs.map(() => null);
    if (need[1] || need[2])
      throw new Error(`autodiff: Clip ${n.name} has differentiable bounds; only constant bounds are supported`);
    if (!dy || !need[0]) return out;
    const b = ctx.b;
    const x = { name: n.inputs[0] };
    let inside: Value | null = null;
    const and = (c: Value) => (inside = inside ? b.op("And", [inside, c]) : c);
    if (n.inputs[1]) and(b.op("Not", [b.op("Less", [x, { name: n.inputs[1] }])]));
    if (n.inputs[2]) and(b.op("Not", [b.op("Greater", [x, { name: n.inputs[2] }])]));
    out[0] = inside ? b.op("Where", [inside, dy, ctx.scalar(0, dt(ctx, x))]) : dy;
    return out;
  },
  // A float→float cast (float32 ↔ float64): cast the gradient back.
  Cast: (ctx, n, [dy], need) => {
    if (!dy || !need[0]) return [null];
    const from = ctx.meta(n.inputs[0]).dtype;
    return [ctx.b.cast(dy, from)];
  },
};
