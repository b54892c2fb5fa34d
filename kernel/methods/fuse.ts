/**
 * Normalisation + fusion of one scored image into its final image score and fused anomaly map — the one definition
 * evaluate() applies to test and calibration images and detect applies to new images with a result's recorded
 * statistics, so a detected image gets exactly the score it would have had as a test image.
 */
import { normalise, scaleOf } from "./normalise";
import { topMean } from "./plugins/tsc";
import type { BranchScores, MinMax, ScoredImage } from "./result";

export interface FusionSpec {
  size: number;
  weights: Record<string, number>;
  imgNorm: MinMax[];
  mapNorm: MinMax[];
  imageScore: "branches" | "map-max";
  /** TSC-patches: the map-max rule becomes the mean of the map's top fraction. */
  topFraction?: number;
}

/** Σ over levels of the branch's rendered level maps; also hands each level map to `each`. */
export function branchMap(
  b: BranchScores,
  size: number,
  each?: (level: number, map: Float64Array) => void,
): Float64Array {
  const acc = new Float64Array(size * size);
  b.levels.forEach((lv, i) => {
    const m = b.render(lv, size);
    each?.(i, m);
    for (let p = 0; p < acc.length; p++) acc[p] += m[p];
  });
  return acc;
}

export interface FusedImage {
  score: number;
  /** The fused map (size²) when asked for or needed by the image rule. */
  map?: Float64Array;
  map32?: Float32Array;
}

export function fuseImage(
  im: ScoredImage,
  f: FusionSpec,
  withMap: boolean,
  eachLevel?: (branch: number, level: number, map: Float64Array) => void,
): FusedImage {
  const needMap = withMap || f.imageScore === "map-max";
  const map = needMap ? new Float64Array(f.size * f.size) : undefined;
  let score = 0;
  im.branches.forEach((b, bi) => {
    const w = f.weights[b.name];
    if (w === undefined) throw new Error(`fusion: no weight for branch '${b.name}' of ${im.file}`);
    score += w * normalise(b.image, f.imgNorm[bi]);
    if (!map) return;
    const m = branchMap(b, f.size, eachLevel ? (li, lm) => eachLevel(bi, li, lm) : undefined);
    const mm = f.mapNorm[bi];
    const k = w / scaleOf(mm);
    for (let p = 0; p < m.length; p++) map[p] += k * (m[p] - mm.min);
  });
  if (!map) return { score };
  const map32 = Float32Array.from(map);
  if (f.imageScore === "map-max" && f.topFraction !== undefined) score = topMean(map32, f.topFraction);
  else if (f.imageScore === "map-max") {
    let mx = -Infinity;
    for (const v of map32) if (v > mx) mx = v;
    score = mx;
  }
  return { score, map, map32 };
}
