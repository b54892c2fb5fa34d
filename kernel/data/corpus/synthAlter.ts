/**
 * Alters a corpus copy with one of MediCLIP's synthesis tasks (kernel/data/synth/) so it can carry an abnormal-state
 * caption. Colour copies get the same task on each channel from identically seeded generators, so every channel sees
 * the same anomaly geometry. A copy whose anomaly lands on background or barely changes pixels is rejected (its
 * caption would lie) and the caller keeps it normal.
 */
import { Rng } from "../../util/random/rng";
import { synthesize, SynthTaskName } from "../synth";
import type { Square } from "./sampler";

const TASKS: readonly SynthTaskName[] = ["cutpaste", "gauss-intensity", "source-deformation"];

export function alterCopy(
  img: Square, rng: Rng, wholeImage: boolean,
): { image: Square; task: SynthTaskName } | undefined {
  const n = img.size * img.size;
  const ch = img.channels;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < ch; k++) s += img.data[i * ch + k];
    grey[i] = s / ch;
  }
  for (let attempt = 0; attempt < 4; attempt++) {
    const task = TASKS[rng.int(0, TASKS.length - 1)];
    const seed = rng.int(0, 0x7fffffff);
    const out = new Float32Array(img.data.length);
    let mask: Uint8Array | undefined;
    for (let k = 0; k < ch; k++) {
      const plane = new Float64Array(n);
      for (let i = 0; i < n; i++) plane[i] = img.data[i * ch + k] * 255;
      const gi = { height: img.size, width: img.size, data: plane };
      const s = synthesize(gi, new Rng(seed), { task });
      mask = s.mask;
      for (let i = 0; i < n; i++) out[i * ch + k] = Math.min(1, Math.max(0, s.image.data[i] / 255));
    }
    if (!mask) continue;
    let area = 0;
    let onFg = 0;
    let change = 0;
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      area++;
      if (!wholeImage || grey[i] > 0.06) onFg++;
      for (let k = 0; k < ch; k++) change += Math.abs(out[i * ch + k] - img.data[i * ch + k]);
    }
    // Half the anomaly on tissue and a mean change of at least 4 grey levels: visible, and where the caption says.
    const visible = area >= 30 && onFg >= area / 2 && change / (area * ch) >= 4 / 255;
    if (visible) return { image: { ...img, data: out }, task };
  }
  return undefined;
}
