import type { Neighbours } from "./neighbours";

/** Symmetric sparse input affinities P (CSR, summing to 1) over each point's nearest neighbours. */
export interface SparseAffinities {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * Conditional probabilities p(j|i) ∝ exp(−β_i d²_ij) over the k neighbours, with β_i found by bisection so that the
 * entropy equals log(perplexity) (van der Maaten 2014, §4.1), then P = (P_cond + P_condᵀ) / 2n.
 */
export function affinities(nb: Neighbours, n: number, perplexity: number): SparseAffinities {
  const { k, indices, distances } = nb;
  const target = Math.log(perplexity);
  const conditional = new Float64Array(n * k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    // Distances relative to the nearest neighbour keep exp() away from underflow for far-apart data.
    const d0 = distances[base];
    let beta = 1;
    let lo = 0;
    let hi = Infinity;
    for (let iter = 0; iter < 200; iter++) {
      let sum = 0;
      let weighted = 0;
      for (let m = 0; m < k; m++) {
        const dd = distances[base + m] - d0;
        row[m] = Math.exp(-beta * dd);
        sum += row[m];
        weighted += dd * row[m];
      }
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let m = 0; m < k; m++) sum += row[m];
    for (let m = 0; m < k; m++) conditional[base + m] = row[m] / sum;
  }
  return symmetrise(conditional, indices, n, k);
}

function symmetrise(conditional: Float64Array, indices: Int32Array, n: number, k: number): SparseAffinities {
  // Every (i, j, p) appears once as a row entry of i and once as a row entry of j; merge duplicates per row.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < k; m++) {
      count[i + 1]++;
      count[indices[i * k + m] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const cols = new Int32Array(count[n]);
  const vals = new Float64Array(count[n]);
  const fill = count.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < k; m++) {
      const j = indices[i * k + m];
      const p = conditional[i * k + m] / (2 * n);
      cols[fill[i]] = j;
      vals[fill[i]++] = p;
      cols[fill[j]] = i;
      vals[fill[j]++] = p;
    }
  }
  const rowStart = new Int32Array(n + 1);
  const outCols: number[] = [];
  const outVals: number[] = [];
  for (let i = 0; i < n; i++) {
    const order = [...Array(count[i + 1] - count[i]).keys()].map((o) => o + count[i]).sort((a, b) => cols[a] - cols[b]);
    for (const o of order) {
      if (outCols.length > rowStart[i] && outCols[outCols.length - 1] === cols[o])
        outVals[outVals.length - 1] += vals[o];
      else {
        outCols.push(cols[o]);
        outVals.push(vals[o]);
      }
    }
    rowStart[i + 1] = outCols.length;
  }
  return { rowStart, columns: Int32Array.from(outCols), values: Float64Array.from(outVals) };
}
