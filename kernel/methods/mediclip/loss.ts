// MediCLIP's loss (methods.md §4.4; reference utils/losses.py, train.py): on the anomaly map at S×S — the mean
// logits upsampled bilinearly (align_corners=True) and soft-maxed over the 2 channels — focal (γ 2; the label map is
// cast to an integer class, so only label = 1.0 counts as anomalous) plus binary dice on channel 1 against the
// float label. One term each, no per-level sum (the levels are averaged before the softmax).
import { GraphBuilder, Value } from "../../engine/ir/builder";
import { diceLoss, focalLoss } from "../../engine/losses";
import { segProbabilityMap } from "../mvfa/loss";

/** logits [B, g², 2], label [B, 1, S, S] in [0, 1] → {total, focal, dice}. */
export function mediclipLoss(
  b: GraphBuilder,
  logits: Value,
  label: Value,
  o: { grid: number; imageSize: number },
): { total: Value; focal: Value; dice: Value } {
  return b.scope("mediclip_loss", () => {
    const probs = segProbabilityMap(b, logits, o.grid, o.imageSize); // [B, 2, S, S]
    const p1 = b.reshape(b.slice(probs, [1], [2], [1]), [0, o.imageSize, o.imageSize]);
    const focal = focalLoss(b, probs, label, 2);
    const dice = diceLoss(b, p1, b.reshape(label, [0, o.imageSize, o.imageSize]));
    return { total: b.add(focal, dice), focal, dice };
  });
}
