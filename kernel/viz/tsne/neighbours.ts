/**
 * Exact k nearest neighbours by brute force over squared Euclidean distances, computed as |a|² + |b|² − 2 a·b so the
 * inner loop is one dot product. Exact (not approximate) keeps t-SNE deterministic and free of tuning; for a few
 * thousand points it is a few seconds at most, which the t-SNE optimisation dominates anyway.
 */
export interface Neighbours {
  k: number;
  /** n × k neighbour indices, nearest first. */
  indices: Int32Array;
  /** n × k squared distances, ascending. */
  distances: Float64Array;
}

export function nearestNeighbours(data: Float64Array, n: number, dims: number, k: number): Neighbours {
  if (k < 1 || k > n - 1) throw new Error(`k must be in 1..${n - 1} for ${n} points, got ${k}.`);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0, o = i * dims; d < dims; d++) s += data[o + d] * data[o + d];
    norms[i] = s;
  }
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k).fill(Infinity);
  // Each pair's distance is computed once and offered to both points' candidate lists. Rows are taken in blocks so a
  // block of i-rows stays in cache while every j-row streams past it once (about 2× faster than row by row at d = 512).
  const block = 16;
  for (let i0 = 0; i0 < n; i0 += block) {
    const i1 = Math.min(n, i0 + block);
    for (let j = i0 + 1; j < n; j++) {
      const oj = j * dims;
      for (let i = i0; i < i1 && i < j; i++) {
        const dist = Math.max(0, norms[i] + norms[j] - 2 * dot(data, i * dims, oj, dims));
        offer(indices, distances, i, k, j, dist);
        offer(indices, distances, j, k, i, dist);
      }
    }
  }
  return { k, indices, distances };
}

/** Four partial sums let V8 overlap the multiply-adds; the order is fixed, so results stay deterministic. */
function dot(data: Float64Array, a: number, b: number, dims: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let d = 0;
  for (; d + 3 < dims; d += 4) {
    s0 += data[a + d] * data[b + d];
    s1 += data[a + d + 1] * data[b + d + 1];
    s2 += data[a + d + 2] * data[b + d + 2];
    s3 += data[a + d + 3] * data[b + d + 3];
  }
  for (; d < dims; d++) s0 += data[a + d] * data[b + d];
  return s0 + s1 + s2 + s3;
}

/** Insertion into a sorted k-list; ties keep the lower index first so results never depend on visiting order. */
function offer(
  indices: Int32Array,
  distances: Float64Array,
  row: number,
  k: number,
  candidate: number,
  dist: number,
): void {
  const base = row * k;
  const last = base + k - 1;
  if (dist > distances[last] || (dist === distances[last] && candidate >= indices[last])) return;
  let p = last;
  while (p > base && (distances[p - 1] > dist || (distances[p - 1] === dist && indices[p - 1] > candidate))) {
    distances[p] = distances[p - 1];
    indices[p] = indices[p - 1];
    p--;
  }
  distances[p] = dist;
  indices[p] = candidate;
}
