/**
 * Centroid Consultation Back (CCB) — our design *inspired by* Nie et al., Pattern Recognition 2026 (no public code;
 * methods.md §5.2, docs/ccb-tsc.md). Per image and per tapped level, on the method's token features (CLS + g² patches,
 * after the method's adapter):
 *  1. dynamic clustering: spherical k-means of the L2-normalised patch features (seeded k-means++ init, Lloyd steps,
 *     cosine similarity); the centroids plus the image's global (CLS) feature are the "centres";
 *  2. central attention: every patch attends to the centres, c_i = Σ_j softmax_j(cos(f_i, m_j)/τ)·m_j;
 *  3. consultation back: f̃_i = L2norm(f_i + β·c_i). The CLS row is passed through unchanged.
 * An isolated background patch with a spurious score is pulled toward its (normal) cluster; a compact anomalous
 * cluster keeps its own centroid. Pure TypeScript in float64; β fixed (training-free), so it can sit on top of any
 * trained or frozen features at inference.
 */
import { Rng } from "../../util/random/rng";
import { l2NormalizedRows } from "../branches";

export interface CcbOptions {
  /** Clusters per image (default 8; capped at ⌊patches/8⌋, at least 1). */
  clusters?: number;
  /** Lloyd iterations after the k-means++ init (default 10). */
  iterations?: number;
  /** Attention temperature τ_c (default 0.1). */
  temperature?: number;
  /** Weight of the consulted context β (default 0.5; 0 = identity). */
  beta?: number;
  /** Append the image's CLS feature to the centres ("global context", default true). */
  global?: boolean;
}

export type ResolvedCcb = Required<CcbOptions>;

export const CCB_DEFAULTS: ResolvedCcb = { clusters: 8, iterations: 10, temperature: 0.1, beta: 0.5, global: true };

/** Validates user options (errors name the option and the fix) and fills the defaults. */
export function resolveCcb(o: boolean | CcbOptions | undefined): ResolvedCcb | undefined {
  if (o === undefined || o === false) return undefined;
  const r: ResolvedCcb = { ...CCB_DEFAULTS, ...(o === true ? {} : o) };
  const bad = (key: string, want: string) =>
    new Error(
      `plugins.ccb.${key}: expected ${want}, got ${JSON.stringify((r as unknown as Record<string, unknown>)[key])}`,
    );
  if (!Number.isInteger(r.clusters) || r.clusters < 1) throw bad("clusters", "a whole number ≥ 1");
  if (!Number.isInteger(r.iterations) || r.iterations < 0) throw bad("iterations", "a whole number ≥ 0");
  if (!(r.temperature > 0)) throw bad("temperature", "a number > 0");
  if (!Number.isFinite(r.beta) || r.beta < 0)
    throw bad("beta", "a number ≥ 0 (a learned β is not implemented; see docs/ccb-tsc.md)");
  if (typeof r.global !== "boolean") throw bad("global", "true or false");
  return r;
}

export interface KMeansResult {
  /** Unit-norm centroids [clusters, dim]. */
  centroids: Float64Array;
  /** Cluster of each row. */
  assign: Int32Array;
  clusters: number;
}

function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[ai + d] * b[bi + d];
  return s;
}

/**
 * Spherical k-means on unit rows x [n, dim]: k-means++ init (first centre uniform, then ∝ (1 − cos)² to the nearest
 * chosen centre) from `rng`, then `iterations` Lloyd steps (assign by max cosine, centroid = L2norm(mean)). An empty
 * cluster keeps its previous centroid. Deterministic for a given rng state.
 */
export function sphericalKMeans(
  x: Float64Array,
  n: number,
  dim: number,
  k: number,
  iterations: number,
  rng: Rng,
): KMeansResult {
  if (n < 1) throw new RangeError("k-means needs at least one row");
  if (k < 1 || k > n) throw new RangeError(`k-means: ${k} clusters for ${n} rows`);
  const c = new Float64Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = Math.min(n - 1, Math.floor(rng.next() * n));
  for (let j = 0; j < k; j++) {
    c.set(x.subarray(pick * dim, (pick + 1) * dim), j * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - dot(x, i * dim, c, j * dim, dim));
      if (d * d < nearest[i]) nearest[i] = d * d;
      total += nearest[i];
    }
    if (j + 1 === k) break;
    // Weighted draw ∝ squared distance; when every row coincides with a centre, fall back to the first unused row.
    let r = rng.next() * total;
    pick = -1;
    if (total > 0) {
      for (let i = 0; i < n; i++) {
        r -= nearest[i];
        if (r < 0 && nearest[i] > 0) {
          pick = i;
          break;
        }
      }
      if (pick < 0)
        for (let i = n - 1; i >= 0; i--)
          if (nearest[i] > 0) {
            pick = i;
            break;
          }
    }
    if (pick < 0) pick = j + 1;
  }
  const assign = new Int32Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  const assignAll = () => {
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      let bj = 0;
      for (let j = 0; j < k; j++) {
        const s = dot(x, i * dim, c, j * dim, dim);
        if (s > best) {
          best = s;
          bj = j;
        }
      }
      assign[i] = bj;
    }
  };
  assignAll();
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = assign[i];
      counts[j]++;
      for (let d = 0; d < dim; d++) sums[j * dim + d] += x[i * dim + d];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += sums[j * dim + d] ** 2;
      if (s === 0) continue;
      const inv = 1 / Math.sqrt(s);
      for (let d = 0; d < dim; d++) c[j * dim + d] = sums[j * dim + d] * inv;
    }
    assignAll();
  }
  return { centroids: c, assign, clusters: k };
}

/**
 * Central attention + consultation back for unit rows f [n, dim] against unit centres m [count, dim]:
 * f̃_i = L2norm(f_i + β·Σ_j softmax_j(f_i·m_j / τ)·m_j).
 */
export function consultBack(
  f: Float64Array,
  n: number,
  m: Float64Array,
  count: number,
  dim: number,
  beta: number,
  temperature: number,
): Float64Array {
  const out = new Float64Array(n * dim);
  const w = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < count; j++) {
      w[j] = dot(f, i * dim, m, j * dim, dim) / temperature;
      if (w[j] > mx) mx = w[j];
    }
    let z = 0;
    for (let j = 0; j < count; j++) z += w[j] = Math.exp(w[j] - mx);
    let s = 0;
    for (let d = 0; d < dim; d++) {
      let ctx = 0;
      for (let j = 0; j < count; j++) ctx += w[j] * m[j * dim + d];
      const v = f[i * dim + d] + (beta * ctx) / z;
      out[i * dim + d] = v;
      s += v * v;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[i * dim + d] *= inv;
  }
  return out;
}

/** A stable 31-bit key of a string (FNV-1a), so an image's clustering does not depend on its position in a run. */
export function stringKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 1) & 0x7fffffff;
}

/**
 * CCB on one level's tokens [1 + g², dim] (CLS first). Returns new tokens (CLS unchanged, patches enhanced and unit
 * norm); β = 0 returns the input itself (exact identity). `seed` is the run seed, `key` identifies the image.
 */
export function ccbLevel(
  tokens: Float32Array,
  dim: number,
  grid: number,
  o: ResolvedCcb,
  seed: number,
  key: number,
): Float32Array {
  const n = grid * grid;
  if (tokens.length !== (n + 1) * dim)
    throw new RangeError(
      `ccb: expected ${grid}×${grid} patches + CLS of width ${dim} (${(n + 1) * dim} values), got ${tokens.length}`,
    );
  if (o.beta === 0) return tokens;
  const f = l2NormalizedRows(tokens, dim, 1);
  const k = Math.max(1, Math.min(o.clusters, Math.floor(n / 8)));
  const km = sphericalKMeans(f, n, dim, k, o.iterations, new Rng(seed).fork(key));
  const count = k + (o.global ? 1 : 0);
  const m = new Float64Array(count * dim);
  m.set(km.centroids);
  if (o.global) m.set(l2NormalizedRows(tokens, dim, 0, 1), k * dim);
  const enhanced = consultBack(f, n, m, count, dim, o.beta, o.temperature);
  const out = new Float32Array(tokens.length);
  out.set(tokens.subarray(0, dim));
  out.set(enhanced, dim);
  return out;
}
