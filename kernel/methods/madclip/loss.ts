// MadCLIP's training loss (methods.md §3.5; reference loss.py LossSigmoid/FocalLoss/BinaryDiceLoss, train.py):
// per level the SigLIP-style det loss on the det scores, plus (segmentation datasets) focal + dice on the
// 2-channel softmax of the bilinearly upsampled seg scores (no temperature). Total = Σ of all terms.
import { GraphBuilder, Value } from "../../engine/ir/builder";
import { diceLoss, focalLoss, sigmoidPairLoss } from "../../engine/losses";
import { segProbabilityMap } from "../mvfa/loss";

export interface MadclipLossOptions {
  grid: number;
  imageSize: number;
  seg: boolean;
}

/** Returns the total and the parts [siglip per level..., (focal, dice) per level...]. */
export function madclipLoss(
  b: GraphBuilder,
  detScores: Value[],
  segScores: Value[],
  mask: Value,
  label: Value,
  o: MadclipLossOptions,
): { total: Value; parts: Value[] } {
  return b.scope("madclip_loss", () => {
    const parts = detScores.map((s) => sigmoidPairLoss(b, s, label));
    if (o.seg) {
      const m = b.cast(b.op("Greater", [mask, b.scalar(0.5, "mask_threshold")]), "float32");
      const m3 = b.reshape(m, [0, o.imageSize, o.imageSize]);
      for (const s of segScores) {
        const probs = segProbabilityMap(b, s, o.grid, o.imageSize);
        const p1 = b.reshape(b.slice(probs, [1], [2], [1]), [0, o.imageSize, o.imageSize]);
        parts.push(focalLoss(b, probs, m, 2), diceLoss(b, p1, m3));
      }
    }
    return { total: parts.length > 1 ? b.op("Sum", parts) : parts[0], parts };
  });
}
