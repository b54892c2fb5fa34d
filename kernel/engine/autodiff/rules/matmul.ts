// MatMul backward, Y = A·B with numpy-style batch broadcasting: dA = dY·Bᵀ, dB = Aᵀ·dY (transposes of the last two
// axes), summed over batch axes the operand was broadcast along. A weight [K, N] applied to activations [..., M, K]
// gets its gradient as ONE GEMM over all rows: reshape(A, [-1, K])ᵀ · reshape(dY, [-1, N]) (engine.md §4.2).
import type { Value } from "../../ir/builder";
import type { GradContext, Rule } from "../context";

function swapLast(ctx: GradContext, v: Value, rank: number): Value {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return ctx.b.transpose(v, perm);
}

export const matmulRules: Record<string, Rule> = {
  MatMul: (ctx, n, [dy], need) => {
    if (!dy) return [null, null];
    const b = ctx.b;
    const a = { name: n.inputs[0] };
    const w = { name: n.inputs[1] };
    const as = ctx.meta(a).shape;
    const ws = ctx.meta(w).shape;
    const ys = ctx.meta(n.outputs[0]).shape;
    if (as.length < 2 || ws.length < 2)
      throw new Error(`autodiff: MatMul ${n.name} has a rank-1 operand; reshape it to a matrix`);
    const batchShape = (last2: typeof ys) => [...ys.slice(0, -2), ...last2];
    let da: Value | null = null;
    let dw: Value | null = null;
    if (need[0]) {
      const g = b.matmul(dy, swapLast(ctx, w, ws.length));
      ctx.note(g, ctx.meta(a).dtype, batchShape([as[as.length - 2], as[as.length - 1]]));
      da = ctx.reduceTo(g, ctx.meta(g).shape, a);
    }
    if (need[1]) {
      const k = as[as.length - 1];
      const cols = ws[ws.length - 1];
      if (ws.length === 2 && as.length > 2 && typeof k === "number" && typeof cols === "number") {
        const a2 = b.reshape(a, [-1, k]);
        const dy2 = b.reshape(dy, [-1, cols]);
        dw = b.matmul(b.transpose(a2, [1, 0]), dy2);
      } else {
        const g = b.matmul(swapLast(ctx, a, as.length), dy);
        ctx.note(g, ctx.meta(w).dtype, batchShape([ws[ws.length - 2], ws[ws.length - 1]]));
        dw = ctx.reduceTo(g, ctx.meta(g).shape, w);
      }
    }
    return [da, dw];
  },
};
