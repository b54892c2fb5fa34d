/**
 * Min–max score normalisation. MVFA and MadCLIP normalise each branch by the min and max over the whole test set
 * (transductive) before fusing branches; the honest protocol takes the same statistics from the support/validation
 * images instead, so a test image's score never depends on the other test images. Normalised test values may then
 * fall outside [0, 1]; they are not clipped, because clipping would create ties and change AUROC.
 */
import type { MinMax } from "./result";

export const IDENTITY: MinMax = { min: 0, max: 1, eps: 0 };

/** Running min/max over any number of chunks. */
export class MinMaxTracker {
  min = Infinity;
  max = -Infinity;
  add(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }
  result(eps: number): MinMax {
    if (!(this.min <= this.max)) throw new Error("min–max normalisation needs at least one finite score");
    return { min: this.min, max: this.max, eps };
  }
}

/** The divisor of (x − min); a constant score set (max = min, eps = 0) divides by 1 instead of 0. */
export function scaleOf(mm: MinMax): number {
  const d = mm.max - mm.min + mm.eps;
  return d > 0 ? d : 1;
}

export function normalise(x: number, mm: MinMax): number {
  return (x - mm.min) / scaleOf(mm);
}
