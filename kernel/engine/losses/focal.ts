// Focal loss as the reference implementations compute it (the widely copied Hsuxu FocalLoss used by MVFA, MadCLIP
// and MediCLIP, alpha None, gamma 2, smooth 1e-5): inputs are already softmax probabilities p [B, C, H, W]; the
// target map [B, 1, H, W] (channel axis required: it broadcasts against the class ids) is cast to an integer class (anything below 1 counts as 0); the one-hot
// target is clamped to [smooth/(C − 1), 1 − smooth]; p_t = Σ_c onehot_c · p_c + smooth;
// loss = mean over all pixels of −(1 − p_t)^γ · log p_t.
import { attr, GraphBuilder, Value } from "../ir/builder";

export interface FocalOptions {
  gamma?: number;
  smooth?: number;
}

export function focalLoss(
  b: GraphBuilder,
  probs: Value,
  target: Value,
  classes: number,
  opts: FocalOptions = {},
): Value {
  const gamma = opts.gamma ?? 2;
  const smooth = opts.smooth ?? 1e-5;
  return b.scope("focal", () => {
    // Class index per pixel, broadcast against channel ids [1, C, 1, 1]. Cast float→int64 truncates like torch .long().
    const cls = b.cast(target, "int64");
    const ids = b.constI64(
      "class_ids",
      Array.from({ length: classes }, (_, i) => i),
      [1, classes, 1, 1],
    );
    const oneHot = b.cast(b.op("Equal", [cls, ids]), "float32"); // [B, C, H, W]
    const clamped = b.op("Clip", [
      oneHot,
      b.scalar(smooth / (classes - 1), "smooth_lo"),
      b.scalar(1 - smooth, "smooth_hi"),
    ]);
    const pt = b.add(
      b.op("ReduceSum", [b.mul(clamped, probs), b.constI64("channel", [1])], { keepdims: attr.i(0) }),
      b.scalar(smooth, "smooth"),
    );
    const weight = b.op("Pow", [b.sub(b.scalar(1, "one"), pt), b.scalar(gamma, "gamma")]);
    const perPixel = b.op("Neg", [b.mul(weight, b.op("Log", [pt]))]);
    return b.op("ReduceMean", [perPixel], { keepdims: attr.i(0) });
  });
}
