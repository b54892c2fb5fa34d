// MVFA's training loss (methods.md §2.4; reference train_few.py, loss.py), per tapped level on the adapters' med
// tokens with the CLS token dropped and L2-normalised, against the text matrix T [proj, 2]:
//  - det head: BCEWithLogits(mean over patches of softmax(100·f·T)[1], label) — BCE-with-logits on a probability,
//    kept for parity;
//  - seg head (segmentation datasets): logits 100·f·T → [B, 2, g, g] → bilinear align_corners=True to S×S → softmax
//    over the 2 channels → focal(γ 2) + dice(channel 1) against the mask binarised at 0.5.
// Total = Σ levels of all terms (weights 1).
import { attr, GraphBuilder, Value } from "../../engine/ir/builder";
import { bceWithLogits, diceLoss, focalLoss } from "../../engine/losses";
import { l2Normalize } from "../../engine/ops/normalize";
import { upsampleBilinear } from "../../engine/ops/upsample";

export const MVFA_TEMPERATURE = 100;

export interface MvfaLossOptions {
  grid: number;
  imageSize: number;
  /** Add the seg head's focal + dice terms (segmentation datasets). */
  seg: boolean;
}

export interface MvfaLoss {
  total: Value;
  /** [bce per level..., then focal, dice per level...] — the order of the fixture's loss vectors after `total`. */
  parts: Value[];
}

/** 100 · L2norm(med[:, 1:]) · T → [B, g², 2]. */
export function mvfaPatchLogits(b: GraphBuilder, med: Value, textT: Value, tokens: number): Value {
  const patches = b.slice(med, [1], [tokens], [1]);
  return b.mul(b.matmul(l2Normalize(b, patches), textT), b.scalar(MVFA_TEMPERATURE, "temperature"));
}

/** Softmax over the pair, channel 1 (abnormal), mean over patches → image score [B]. */
export function meanAbnormalProbability(b: GraphBuilder, logits: Value): Value {
  const p1 = b.slice(b.softmax(logits, -1), [1], [2], [2]); // [B, P, 1]
  return b.op("ReduceMean", [p1], { axes: attr.is([1, 2]), keepdims: attr.i(0) });
}

/** [B, g², 2] logits → upsampled 2-channel softmax map [B, 2, S, S]. */
export function segProbabilityMap(b: GraphBuilder, logits: Value, grid: number, size: number): Value {
  const maps = b.reshape(b.transpose(logits, [0, 2, 1]), [0, 2, grid, grid]);
  return b.softmax(upsampleBilinear(b, maps, grid, grid, size, size), 1);
}

/** mask [B, 1, S, S] (any values; binarised > 0.5 here), label [B] (0/1). */
export function mvfaLoss(
  b: GraphBuilder,
  segMed: Value[],
  detMed: Value[],
  textT: Value,
  mask: Value,
  label: Value,
  o: MvfaLossOptions,
): MvfaLoss {
  return b.scope("mvfa_loss", () => {
    const tokens = o.grid * o.grid + 1;
    const bce = detMed.map((med) =>
      bceWithLogits(b, meanAbnormalProbability(b, mvfaPatchLogits(b, med, textT, tokens)), label),
    );
    const segTerms: Value[] = [];
    if (o.seg) {
      const m = b.cast(b.op("Greater", [mask, b.scalar(0.5, "mask_threshold")]), "float32");
      const m3 = b.reshape(m, [0, o.imageSize, o.imageSize]);
      for (const med of segMed) {
        const probs = segProbabilityMap(b, mvfaPatchLogits(b, med, textT, tokens), o.grid, o.imageSize);
        const p1 = b.reshape(b.slice(probs, [1], [2], [1]), [0, o.imageSize, o.imageSize]);
        segTerms.push(focalLoss(b, probs, m, 2), diceLoss(b, p1, m3));
      }
    }
    const parts = [...bce, ...segTerms];
    const total = parts.length > 1 ? b.op("Sum", parts) : parts[0];
    return { total, parts };
  });
}
