// Losses on log-sigmoids, written with Softplus (log σ(z) = −softplus(−z)): stable for any logit, and its backward
// rule σ(x) is exact everywhere.
//  - bceWithLogits: torch BCEWithLogitsLoss (mean): y·softplus(−s) + (1 − y)·softplus(s). MVFA applies it to the mean
//    softmax probability (a quirk kept for parity).
//  - sigmoidPairLoss: MadCLIP's SigLIP-style det loss on per-patch scores S [B, P, 2] = [S_n, S_ab] with labels
//    y ∈ {0, 1}: z = 2y − 1, signs [−z, +z]; loss = −mean_batch Σ_channels mean_patches log σ(sign · S).
import { attr, GraphBuilder, Value } from "../ir/builder";

export function softplus(b: GraphBuilder, x: Value): Value {
  return b.op("Softplus", [x]);
}

/** s, y: same shape (any); returns the mean over all elements. */
export function bceWithLogits(b: GraphBuilder, s: Value, y: Value): Value {
  return b.scope("bce", () => {
    const pos = b.mul(y, softplus(b, b.op("Neg", [s])));
    const neg = b.mul(b.sub(b.scalar(1, "one"), y), softplus(b, s));
    return b.op("ReduceMean", [b.add(pos, neg)], { keepdims: attr.i(0) });
  });
}

/** scores [B, P, 2]; labels [B] float (0 normal, 1 abnormal). */
export function sigmoidPairLoss(b: GraphBuilder, scores: Value, labels: Value): Value {
  return b.scope("siglip", () => {
    const z = b.sub(b.mul(labels, b.scalar(2, "two")), b.scalar(1, "one")); // [B]
    const signs = b.mul(b.reshape(z, [-1, 1, 1]), b.constF32("channel_signs", [-1, 1], [1, 1, 2])); // [B, 1, 2]
    const nll = softplus(b, b.op("Neg", [b.mul(scores, signs)])); // −log σ(sign·S)
    const perChannel = b.op("ReduceMean", [nll], { axes: attr.is([1]), keepdims: attr.i(0) }); // [B, 2]
    const perImage = b.op("ReduceSum", [perChannel, b.constI64("channels", [1])], { keepdims: attr.i(0) }); // [B]
    return b.op("ReduceMean", [perImage], { keepdims: attr.i(0) });
  });
}
