import { SeededRandom } from "../../util/random/xoshiro128";
import { affinities } from "./affinities";
import { nearestNeighbours } from "./neighbours";
import { topComponents } from "./pca";
import { QuadTree } from "./quadTree";

export interface TsneOptions {
  /** Effective number of neighbours (default 30, capped at (n − 1) / 3). */
  perplexity?: number;
  /** Gradient steps (default 1000). */
  iterations?: number;
  /** Barnes–Hut accuracy: 0 is exact, larger is faster and coarser (default 0.5). */
  theta?: number;
  /** Step size; default "auto" = max(n / earlyExaggeration / 4, 50) as in scikit-learn ≥ 1.2. */
  learningRate?: number;
  /** Early exaggeration factor (default 12) applied for the first 250 iterations. */
  earlyExaggeration?: number;
  /** "pca" (default; deterministic and keeps global layout) or "random" (Gaussian, σ = 1e-4, from the seed). */
  init?: "pca" | "random";
  /** Seed of every random choice (default 0): the same inputs and options give the same embedding, bit for bit. */
  seed?: number;
}

export interface TsneResult {
  /** Interleaved x, y per point. */
  xy: Float64Array;
  /** KL divergence of the final embedding, estimated with the same Barnes–Hut approximation. */
  klDivergence: number;
  iterations: number;
}

/** Rows as arrays, or one flat row-major array with its dimension. */
export type FeatureRows = ArrayLike<number>[] | { data: ArrayLike<number>; dims: number };

export function flattenRows(rows: FeatureRows): { data: Float64Array; n: number; dims: number } {
  if (Array.isArray(rows)) {
    const n = rows.length;
    const dims = n > 0 ? rows[0].length : 0;
    const data = new Float64Array(n * dims);
    rows.forEach((row, i) => {
      if (row.length !== dims)
        throw new Error(
          `t-SNE: row ${i} has ${row.length} values but row 0 has ${dims}; every feature vector must have the same length.`,
        );
      for (let d = 0; d < dims; d++) data[i * dims + d] = row[d];
    });
    return { data, n, dims };
  }
  const { data, dims } = rows as { data: ArrayLike<number>; dims: number };
  if (!Number.isInteger(dims) || dims < 1 || data.length % dims !== 0) {
    throw new Error(
      `t-SNE: ${data.length} values do not split into rows of ${dims}; pass { data, dims } with data.length a multiple of dims.`,
    );
  }
  return { data: Float64Array.from(data), n: data.length / dims, dims };
}

/**
 * Barnes–Hut t-SNE (van der Maaten 2014): exact kNN affinities at the given perplexity, a quadtree for the repulsive
 * forces, gradient descent with momentum and per-coordinate gains. Deterministic: no Math.random, fixed iteration
 * order, ties broken by index.
 */
export function tsne(rows: FeatureRows, options: TsneOptions = {}): TsneResult {
  const flat = flattenRows(rows);
  const { n } = flat;
  if (n < 4) throw new Error(`t-SNE needs at least 4 points, got ${n}.`);
  for (let i = 0; i < flat.data.length; i++) {
    if (!Number.isFinite(flat.data[i]))
      throw new Error(
        `t-SNE: feature value ${i % flat.dims} of row ${Math.floor(i / flat.dims)} is ${flat.data[i]}; features must be finite.`,
      );
  }
  const iterations = options.iterations ?? 1000;
  const theta = options.theta ?? 0.5;
  const exaggeration = options.earlyExaggeration ?? 12;
  const learningRate = options.learningRate ?? Math.max(n / exaggeration / 4, 50);
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const seed = options.seed ?? 0;
  const { data, dims } = flat;
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const P = affinities(nearestNeighbours(data, n, dims, k), n, perplexity);

  const y = initialise(data, n, dims, options.init ?? "pca", seed);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const gradient = new Float64Array(2 * n);
  const repulsive = new Float64Array(2 * n);
  const force = new Float64Array(2);
  const stopLying = Math.min(250, iterations);
  for (let it = 0; it < iterations; it++) {
    const exag = it < stopLying ? exaggeration : 1;
    const momentum = it < stopLying ? 0.5 : 0.8;
    const tree = new QuadTree(y, n);
    let z = 0;
    for (let i = 0; i < n; i++) {
      z += tree.repulsion(i, theta, force);
      repulsive[2 * i] = force[0];
      repulsive[2 * i + 1] = force[1];
    }
    for (let i = 0; i < n; i++) {
      let ax = 0,
        ay = 0;
      for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
        const j = P.columns[e];
        const dx = y[2 * i] - y[2 * j];
        const dy = y[2 * i + 1] - y[2 * j + 1];
        const w = P.values[e] / (1 + dx * dx + dy * dy);
        ax += w * dx;
        ay += w * dy;
      }
      gradient[2 * i] = 4 * (exag * ax - repulsive[2 * i] / z);
      gradient[2 * i + 1] = 4 * (exag * ay - repulsive[2 * i + 1] / z);
    }
    for (let c = 0; c < 2 * n; c++) {
      // Gains grow while the gradient keeps pointing against the last step's direction (jacobs 1988, as in bhtsne).
      gains[c] = Math.sign(gradient[c]) !== Math.sign(update[c]) ? gains[c] + 0.2 : Math.max(0.01, gains[c] * 0.8);
      update[c] = momentum * update[c] - learningRate * gains[c] * gradient[c];
      y[c] += update[c];
    }
    centre(y, n);
  }
  return { xy: y, klDivergence: klDivergence(y, n, P, theta), iterations };
}

function initialise(data: Float64Array, n: number, dims: number, init: "pca" | "random", seed: number): Float64Array {
  const y = new Float64Array(2 * n);
  if (init === "pca" && dims >= 2) {
    const pc = topComponents(data, n, dims, 2, seed).scores;
    // scikit-learn scales the PCA start to std 1e-4 along the first axis so early exaggeration behaves as with random starts.
    let s = 0;
    for (let i = 0; i < n; i++) s += pc[2 * i] * pc[2 * i];
    const scale = 1e-4 / (Math.sqrt(s / n) || 1);
    for (let c = 0; c < 2 * n; c++) y[c] = pc[c] * scale;
    return y;
  }
  const random = new SeededRandom(seed);
  for (let c = 0; c < 2 * n; c += 2) {
    // Box–Muller: two independent normals per draw.
    const r = Math.sqrt(-2 * Math.log(1 - random.nextFloat()));
    const a = 2 * Math.PI * random.nextFloat();
    y[c] = 1e-4 * r * Math.cos(a);
    y[c + 1] = 1e-4 * r * Math.sin(a);
  }
  return y;
}

function centre(y: Float64Array, n: number): void {
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += y[2 * i];
    my += y[2 * i + 1];
  }
  mx /= n;
  my /= n;
  for (let i = 0; i < n; i++) {
    y[2 * i] -= mx;
    y[2 * i + 1] -= my;
  }
}

/** KL(P‖Q) over P's non-zeros, with Z from the Barnes–Hut tree (the quantity the optimisation decreases). */
function klDivergence(
  y: Float64Array,
  n: number,
  P: { rowStart: Int32Array; columns: Int32Array; values: Float64Array },
  theta: number,
): number {
  const tree = new QuadTree(y, n);
  const force = new Float64Array(2);
  let z = 0;
  for (let i = 0; i < n; i++) z += tree.repulsion(i, theta, force);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
      const j = P.columns[e];
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy) / z;
      const p = P.values[e];
      if (p > 0) kl += p * Math.log(p / Math.max(q, 1e-300));
    }
  }
  return kl;
}
