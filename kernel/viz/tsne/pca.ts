import { SeededRandom } from "../../util/random/xoshiro128";

/**
 * Leading principal components by subspace (block power) iteration with Gram–Schmidt, never forming the d×d
 * covariance: cost per sweep is 2·n·d·k, fine for thousands of CLIP features. Signs are fixed (largest |score|
 * positive) so the output does not flip between runs or seeds.
 */
export function topComponents(
  data: Float64Array,
  n: number,
  dims: number,
  k: number,
  seed: number,
  sweeps = 30,
): { scores: Float64Array } {
  const kk = Math.min(k, dims);
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d] += data[i * dims + d] / n;
  const random = new SeededRandom(seed);
  let basis = new Float64Array(kk * dims).map(() => random.nextFloat() - 0.5);
  orthonormalise(basis, kk, dims);
  const projected = new Float64Array(n * kk);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    project(data, mean, n, dims, basis, kk, projected);
    // basis ← Xcᵀ (Xc · basis), then re-orthonormalise.
    const next = new Float64Array(kk * dims);
    for (let i = 0; i < n; i++) {
      const o = i * dims;
      for (let c = 0; c < kk; c++) {
        const s = projected[i * kk + c];
        if (s === 0) continue;
        const b = c * dims;
        for (let d = 0; d < dims; d++) next[b + d] += s * (data[o + d] - mean[d]);
      }
    }
    basis = next;
    orthonormalise(basis, kk, dims);
  }
  project(data, mean, n, dims, basis, kk, projected);
  for (let c = 0; c < kk; c++) {
    let best = 0;
    for (let i = 0; i < n; i++) if (Math.abs(projected[i * kk + c]) > Math.abs(best)) best = projected[i * kk + c];
    if (best < 0) for (let i = 0; i < n; i++) projected[i * kk + c] = -projected[i * kk + c];
  }
  return { scores: projected };
}

function project(
  data: Float64Array,
  mean: Float64Array,
  n: number,
  dims: number,
  basis: Float64Array,
  k: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * dims;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const b = c * dims;
      for (let d = 0; d < dims; d++) s += (data[o + d] - mean[d]) * basis[b + d];
      out[i * k + c] = s;
    }
  }
}

function orthonormalise(basis: Float64Array, k: number, dims: number): void {
  for (let c = 0; c < k; c++) {
    const b = c * dims;
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += basis[b + d] * basis[p * dims + d];
      for (let d = 0; d < dims; d++) basis[b + d] -= dot * basis[p * dims + d];
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += basis[b + d] * basis[b + d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) basis[b + d] /= norm;
  }
}
