// The SD-MAD-inspired scores in TypeScript (graph.ts has the same definitions as graph ops for training): sign
// scores from one image's cosines, category logits for a sign selection, the per-patch logit grid behind the
// anomaly map, and the entropy used to flag uncertain images.
import { TEMPERATURE, topCount } from "./design";

/** cos [tokens, S] of one image (token 0 = global) → u [S] = ½·cos(g, t_s) + ½·mean of the top-k patch cosines. */
export function signScores(cos: ArrayLike<number>, tokens: number, signs: number): Float64Array {
  if (cos.length !== tokens * signs) throw new RangeError(`expected ${tokens}×${signs} cosines, got ${cos.length}`);
  const k = topCount(tokens - 1);
  const u = new Float64Array(signs);
  const column = new Float64Array(tokens - 1);
  for (let s = 0; s < signs; s++) {
    for (let i = 1; i < tokens; i++) column[i - 1] = cos[i * signs + s];
    column.sort().reverse();
    let top = 0;
    for (let j = 0; j < k; j++) top += column[j];
    u[s] = 0.5 * cos[s] + (0.5 * top) / k;
  }
  return u;
}

/** The logit matrix A [K, S] as weights per category (see graph.ts logitMatrix), in float64. */
export function categoryWeights(
  group: readonly number[],
  categories: number,
  selected?: readonly boolean[],
): Float64Array[] {
  const normals = group.filter((g) => g === 0).length;
  return Array.from({ length: categories }, (_, i) => {
    const c = i + 1;
    const mine = group.map((g, s) => g === c && (selected ? selected[s] : true));
    const n = mine.filter(Boolean).length;
    if (n === 0) throw new Error(`category ${c} has no selected sign`);
    return Float64Array.from(group, (g, s) => (mine[s] ? 1 / n : g === 0 ? -1 / normals : 0));
  });
}

/** z_c = (mean of category c's selected sign scores − mean of the normal sign scores)/τ. */
export function categoryLogits(u: ArrayLike<number>, weights: readonly Float64Array[]): number[] {
  return weights.map((w) => {
    let z = 0;
    for (let s = 0; s < w.length; s++) z += w[s] * u[s];
    return z / TEMPERATURE;
  });
}

/** Per patch: max over categories of the same contrast on that patch's cosines → g² logits (the map before σ). */
export function patchLogitGrid(cos: ArrayLike<number>, tokens: number, weights: readonly Float64Array[]): Float64Array {
  const S = weights[0].length;
  const grid = new Float64Array(tokens - 1);
  for (let i = 1; i < tokens; i++) {
    let best = -Infinity;
    for (const w of weights) {
      let z = 0;
      for (let s = 0; s < S; s++) z += w[s] * cos[i * S + s];
      if (z > best) best = z;
    }
    grid[i - 1] = best / TEMPERATURE;
  }
  return grid;
}

/** Image anomaly score of protocol 1: max_c σ(z_c). */
export function anomalyScore(z: readonly number[]): number {
  return 1 / (1 + Math.exp(-Math.max(...z)));
}

/** Natural-log entropy of softmax([0, z₁..z_K]) (index 0 = normal). */
export function decisionEntropy(z: readonly number[]): number {
  const all = [0, ...z];
  const m = Math.max(...all);
  const e = all.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return -e.reduce((h, v) => (v > 0 ? h + (v / sum) * Math.log(v / sum) : h), 0);
}

/** argmax over [0, z₁..z_K]: 0 = normal (every z_c < 0), c = category c (first index on ties). */
export function predictedClass(z: readonly number[]): number {
  let best = 0;
  let value = 0;
  z.forEach((v, i) => {
    if (v > value) {
      value = v;
      best = i + 1;
    }
  });
  return best;
}
