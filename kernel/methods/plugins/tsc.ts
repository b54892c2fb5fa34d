/**
 * Test-Time Self-Calibration (TSC) — our design *inspired by* Nie et al., Pattern Recognition 2026 (no public code;
 * methods.md §5.2, docs/ccb-tsc.md). A sparse similarity graph and a personalised-PageRank propagation of anomaly
 * scores, training-free:
 *   s^{t+1} = α·P·s^t + (1 − α)·s⁰,  P = D⁻¹W row-stochastic,
 * W = k-NN by cosine with weights exp(−(1 − cos)/σ) (σ = median k-NN distance), symmetrised by max, zero diagonal.
 *  - "samples" (default): nodes = the test images scored together, s⁰ = their image scores rank-normalised to [0, 1].
 *    Transductive: a test image's score depends on the other test images.
 *  - "patches": nodes = one image's patches (k-NN in feature space ∪ the grid's 4-neighbourhood), s⁰ = the raw patch
 *    scores of one level; per image, not transductive.
 */
export interface TscOptions {
  mode?: "samples" | "patches";
  /** Neighbours per node (default: samples 10, patches 8; capped at nodes − 1). */
  k?: number;
  /** Propagation weight α (default 0.5; 0 = identity). */
  alpha?: number;
  /** At most this many iterations (default 20). */
  iterations?: number;
  /** Stop when max |Δs| < tolerance (default 1e-6). */
  tolerance?: number;
  /** samples: node feature = L2norm(mean of the last level's patch features) ("patch-mean", default) or its CLS ("global"). */
  node?: "patch-mean" | "global";
  /** patches: image score = mean of this top fraction of the propagated map (default 0.01). */
  topFraction?: number;
}

export type ResolvedTsc = Required<TscOptions>;

export function resolveTsc(o: boolean | TscOptions | undefined): ResolvedTsc | undefined {
  if (o === undefined || o === false) return undefined;
  const given = o === true ? {} : o;
  const mode = given.mode ?? "samples";
  const r: ResolvedTsc = {
    mode,
    k: mode === "samples" ? 10 : 8,
    alpha: 0.5,
    iterations: 20,
    tolerance: 1e-6,
    node: "patch-mean",
    topFraction: 0.01,
    ...given,
  };
  const bad = (key: string, want: string) =>
    new Error(
      `plugins.tsc.${key}: expected ${want}, got ${JSON.stringify((r as unknown as Record<string, unknown>)[key])}`,
    );
  if (r.mode !== "samples" && r.mode !== "patches") throw bad("mode", `"samples" or "patches"`);
  if (!Number.isInteger(r.k) || r.k < 1) throw bad("k", "a whole number ≥ 1");
  if (!(r.alpha >= 0 && r.alpha < 1)) throw bad("alpha", "a number in [0, 1)");
  if (!Number.isInteger(r.iterations) || r.iterations < 1) throw bad("iterations", "a whole number ≥ 1");
  if (!(r.tolerance >= 0)) throw bad("tolerance", "a number ≥ 0");
  if (r.node !== "patch-mean" && r.node !== "global") throw bad("node", `"patch-mean" or "global"`);
  if (!(r.topFraction > 0 && r.topFraction <= 1)) throw bad("topFraction", "a number in (0, 1]");
  return r;
}

/** A sparse row-stochastic matrix: row i's neighbours cols[start[i]..start[i+1]) with probabilities p. */
export interface SparseRows {
  n: number;
  start: Int32Array;
  cols: Int32Array;
  p: Float64Array;
}

/** Ranks (mid-ranks for ties) mapped to [0, 1]: (rank − 1)/(n − 1); a single node gets 0.5. */
export function rankNormalise(s: ArrayLike<number>): Float64Array {
  const n = s.length;
  const out = new Float64Array(n);
  if (n === 1) out[0] = 0.5;
  if (n <= 1) return out;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a] - s[b]);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && s[order[j + 1]] === s[order[i]]) j++;
    const mid = (i + j) / 2;
    for (let t = i; t <= j; t++) out[order[t]] = mid / (n - 1);
    i = j + 1;
  }
  return out;
}

/**
 * The k-NN similarity graph over unit rows z [n, dim] (plus optional extra undirected edges, e.g. grid neighbours),
 * weights exp(−(1 − cos)/σ) with σ = median k-NN distance, symmetrised by max, zero diagonal, rows normalised.
 * Returns P and σ. O(n²·dim) similarity computation: fine for test sets of a few thousand images.
 */
export function knnGraph(
  z: Float64Array,
  n: number,
  dim: number,
  k: number,
  extraEdges: readonly [number, number][] = [],
): { P: SparseRows; sigma: number } {
  const kk = Math.min(k, n - 1);
  const cos = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += z[a * dim + d] * z[b * dim + d];
    return s;
  };
  const dist: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const knnDistances: number[] = [];
  const sims = new Float64Array(n);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n && kk > 0; i++) {
    for (let j = 0; j < n; j++) sims[j] = j === i ? -Infinity : cos(i, j);
    // Ties broken by index so the graph is deterministic.
    const nn = idx
      .slice()
      .sort((a, b) => sims[b] - sims[a] || a - b)
      .slice(0, kk);
    for (const j of nn) {
      const d = Math.max(0, 1 - sims[j]);
      knnDistances.push(d);
      dist[i].set(j, d);
      dist[j].set(i, d);
    }
  }
  for (const [a, b] of extraEdges) {
    if (a === b) continue;
    const d = Math.max(0, 1 - cos(a, b));
    dist[a].set(b, d);
    dist[b].set(a, d);
  }
  knnDistances.sort((a, b) => a - b);
  const m = knnDistances.length;
  const median = m === 0 ? 0 : m % 2 ? knnDistances[(m - 1) / 2] : (knnDistances[m / 2 - 1] + knnDistances[m / 2]) / 2;
  // σ = 0 (all neighbours identical) would turn every weight into 0 or 1/0; any positive σ gives equal weights then.
  const sigma = median > 0 ? median : 1;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + dist[i].size;
  const cols = new Int32Array(start[n]);
  const p = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) {
    // Symmetrised by max weight = min distance; the same distance is stored both ways, so w_ij = w_ji already.
    const entries = [...dist[i].entries()].sort((a, b) => a[0] - b[0]);
    let sum = 0;
    entries.forEach(([j, d], t) => {
      cols[start[i] + t] = j;
      p[start[i] + t] = Math.exp(-d / sigma);
      sum += p[start[i] + t];
    });
    for (let t = start[i]; t < start[i + 1]; t++) p[t] /= sum;
  }
  return { P: { n, start, cols, p }, sigma };
}

export interface Propagation {
  scores: Float64Array;
  iterations: number;
  /** max |Δs| of the last iteration. */
  delta: number;
}

/** s^{t+1} = α·P·s^t + (1 − α)·s⁰ until max |Δ| < tolerance or `iterations`; a node without edges keeps s^t. */
export function propagate(
  P: SparseRows,
  s0: ArrayLike<number>,
  alpha: number,
  iterations: number,
  tolerance: number,
): Propagation {
  if (s0.length !== P.n) throw new RangeError(`propagate: ${s0.length} scores for a graph of ${P.n} nodes`);
  let s = Float64Array.from(s0);
  let next = new Float64Array(P.n);
  let delta = Infinity;
  let it = 0;
  while (it < iterations) {
    it++;
    delta = 0;
    for (let i = 0; i < P.n; i++) {
      let ps = P.start[i] === P.start[i + 1] ? s[i] : 0;
      for (let t = P.start[i]; t < P.start[i + 1]; t++) ps += P.p[t] * s[P.cols[t]];
      next[i] = alpha * ps + (1 - alpha) * s0[i];
      delta = Math.max(delta, Math.abs(next[i] - s[i]));
    }
    [s, next] = [next, s];
    if (delta < tolerance) break;
  }
  return { scores: s, iterations: it, delta };
}

/** TSC-samples: rank-normalised image scores propagated over the k-NN graph of the images' unit node features. */
export function calibrateSamples(
  scores: ArrayLike<number>,
  nodes: Float64Array,
  dim: number,
  o: ResolvedTsc,
): Propagation & { sigma: number; k: number } {
  const n = scores.length;
  if (nodes.length !== n * dim) throw new RangeError(`tsc: ${n} scores but ${nodes.length / dim} node features`);
  const s0 = rankNormalise(scores);
  if (o.alpha === 0 || n < 2) return { scores: s0, iterations: 0, delta: 0, sigma: NaN, k: 0 };
  const { P, sigma } = knnGraph(nodes, n, dim, o.k);
  return { ...propagate(P, s0, o.alpha, o.iterations, o.tolerance), sigma, k: Math.min(o.k, n - 1) };
}

/** The grid's 4-neighbourhood as undirected edges (right and down of each cell). */
export function gridEdges(g: number): [number, number][] {
  const e: [number, number][] = [];
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      if (c + 1 < g) e.push([r * g + c, r * g + c + 1]);
      if (r + 1 < g) e.push([r * g + c, (r + 1) * g + c]);
    }
  }
  return e;
}

/** TSC-patches on one level: raw patch scores (g²) propagated over k-NN(features) ∪ grid edges; unit patch rows f. */
export function calibratePatches(
  grid: Float64Array,
  g: number,
  f: Float64Array,
  dim: number,
  o: ResolvedTsc,
): Float64Array {
  if (o.alpha === 0) return grid;
  const n = g * g;
  const { P } = knnGraph(f, n, dim, o.k, gridEdges(g));
  return propagate(P, grid, o.alpha, o.iterations, o.tolerance).scores;
}

/** Mean of the top `fraction` of the values (at least one). */
export function topMean(x: ArrayLike<number>, fraction: number): number {
  const n = Math.max(1, Math.ceil(fraction * x.length));
  const sorted = Float64Array.from(x).sort();
  let s = 0;
  for (let i = sorted.length - n; i < sorted.length; i++) s += sorted[i];
  return s / n;
}
