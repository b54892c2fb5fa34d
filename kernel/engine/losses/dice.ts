// Binary dice loss (MVFA/MadCLIP/MediCLIP `BinaryDiceLoss`, smooth 1): per sample
// d = (2·Σ p·m + 1)/(Σ p + Σ m + 1) over all pixels; loss = 1 − Σ_batch d / N.
import { attr, GraphBuilder, Value } from "../ir/builder";

/** p, mask: [B, ...] with the same shape (p = channel-1 probability map). */
export function diceLoss(b: GraphBuilder, p: Value, mask: Value): Value {
  return b.scope("dice", () => {
    const flat = (v: Value) => b.reshape(v, [0, -1]);
    const pf = flat(p);
    const mf = flat(mask);
    const sum = (v: Value) => b.op("ReduceSum", [v, b.constI64("pixels", [1])], { keepdims: attr.i(0) });
    const one = b.scalar(1, "smooth");
    const num = b.add(b.mul(sum(b.mul(pf, mf)), b.scalar(2, "two")), one);
    const den = b.add(b.add(sum(pf), sum(mf)), one);
    return b.sub(b.scalar(1, "one"), b.op("ReduceMean", [b.div(num, den)], { keepdims: attr.i(0) }));
  });
}
