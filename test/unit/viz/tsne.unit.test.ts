import * as assert from "assert";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { affinities } from "../../../kernel/viz/tsne/affinities";
import { nearestNeighbours } from "../../../kernel/viz/tsne/neighbours";
import { QuadTree } from "../../../kernel/viz/tsne/quadTree";
import { tsne } from "../../../kernel/viz/tsne/tsne";

/** Three Gaussian blobs in `dims` dimensions, far apart along different axes; label = blob. */
function blobs(perBlob: number, dims: number, seed: number): { rows: number[][]; labels: number[] } {
  const r = new SeededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let b = 0; b < 3; b++) {
    for (let i = 0; i < perBlob; i++) {
      rows.push(Array.from({ length: dims }, (_, d) => (d === b ? 10 : 0) + r.nextFloat() - 0.5));
      labels.push(b);
    }
  }
  return { rows, labels };
}

/** Share of points whose nearest neighbour in the embedding has the same label. */
function neighbourAgreement(xy: Float64Array, labels: number[]): number {
  const n = labels.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    if (labels[best] === labels[i]) same++;
  }
  return same / n;
}

describe("t-SNE", () => {
  const { rows, labels } = blobs(40, 8, 1);

  it("keeps separated clusters apart", () => {
    const result = tsne(rows, { iterations: 600, perplexity: 10 });
    assert.strictEqual(result.xy.length, 240);
    assert.strictEqual(neighbourAgreement(result.xy, labels), 1);
    assert.ok(result.klDivergence > 0 && result.klDivergence < 2, `KL ${result.klDivergence}`);
  });

  it("is deterministic for a seed, and a random start depends on the seed", () => {
    const a = tsne(rows, { iterations: 120, perplexity: 10, init: "random", seed: 7 });
    const b = tsne(rows, { iterations: 120, perplexity: 10, init: "random", seed: 7 });
    const c = tsne(rows, { iterations: 120, perplexity: 10, init: "random", seed: 8 });
    assert.deepStrictEqual(a.xy, b.xy);
    assert.notDeepStrictEqual(a.xy, c.xy);
  });

  it("accepts one flat row-major array", () => {
    const flat = { data: Float32Array.from(rows.flat()), dims: 8 };
    const a = tsne(flat, { iterations: 50, perplexity: 10 });
    const b = tsne(
      rows.map((r) => Float32Array.from(r)),
      { iterations: 50, perplexity: 10 },
    );
    assert.deepStrictEqual(a.xy, b.xy);
  });

  it("refuses ragged rows, non-finite values and too few points with a fix in the message", () => {
    assert.throws(() => tsne([[1, 2], [3]]), /row 1 has 1 values but row 0 has 2/);
    assert.throws(() => tsne([[1], [2], [NaN], [4], [5]]), /row 2 is NaN/);
    assert.throws(() => tsne([[1], [2], [3]]), /at least 4 points/);
    assert.throws(() => tsne({ data: [1, 2, 3], dims: 2 }), /multiple of dims/);
  });
});

describe("t-SNE parts", () => {
  it("finds the same neighbours as sorting all distances", () => {
    const r = new SeededRandom(3);
    const n = 60,
      dims = 5,
      k = 7;
    const data = Float64Array.from({ length: n * dims }, () => r.nextFloat());
    const nb = nearestNeighbours(data, n, dims, k);
    for (let i = 0; i < n; i++) {
      const all = [...Array(n).keys()]
        .filter((j) => j !== i)
        .map((j) => {
          let s = 0;
          for (let d = 0; d < dims; d++) s += (data[i * dims + d] - data[j * dims + d]) ** 2;
          return { j, s };
        });
      all.sort((a, b) => a.s - b.s || a.j - b.j);
      assert.deepStrictEqual(
        Array.from(nb.indices.subarray(i * k, i * k + k)),
        all.slice(0, k).map((e) => e.j),
      );
      all.slice(0, k).forEach((e, m) => assert.ok(Math.abs(nb.distances[i * k + m] - e.s) < 1e-12));
    }
  });

  it("builds a symmetric P that sums to 1 and meets the perplexity per row", () => {
    const r = new SeededRandom(4);
    const n = 50,
      dims = 3,
      perplexity = 5;
    const data = Float64Array.from({ length: n * dims }, () => r.nextFloat());
    const nb = nearestNeighbours(data, n, dims, 15);
    const P = affinities(nb, n, perplexity);
    const get = (i: number, j: number) => {
      for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) if (P.columns[e] === j) return P.values[e];
      return 0;
    };
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
        total += P.values[e];
        assert.strictEqual(get(P.columns[e], i), P.values[e]);
      }
    }
    assert.ok(Math.abs(total - 1) < 1e-12);
    // Rebuild one conditional row from the bisection's defining property: exp(entropy) = perplexity.
    const row = Array.from({ length: 15 }, (_, m) => nb.distances[m]);
    let lo = 0,
      hi = 1e6;
    for (let it = 0; it < 200; it++) {
      const beta = (lo + hi) / 2;
      const w = row.map((d) => Math.exp(-beta * (d - row[0])));
      const s = w.reduce((a, b) => a + b, 0);
      const h = -w.reduce((a, x) => a + (x / s) * Math.log(x / s), 0);
      if (h > Math.log(perplexity)) lo = beta;
      else hi = beta;
    }
    const w = row.map((d) => Math.exp(-lo * (d - row[0])));
    const s = w.reduce((a, b) => a + b, 0);
    // p_ij = (p_j|i + p_i|j) / 2n ≥ p_j|i / 2n, with equality when i is not among j's neighbours.
    const j0 = nb.indices[0];
    assert.ok(get(0, j0) >= w[0] / s / (2 * n) - 1e-9);
  });

  it("with theta 0 the quadtree's repulsion equals the direct sum", () => {
    const r = new SeededRandom(5);
    const n = 80;
    const y = Float64Array.from({ length: 2 * n }, () => (r.nextFloat() - 0.5) * 20);
    y[2] = y[0];
    y[3] = y[1]; // a duplicate point must not repel itself
    const tree = new QuadTree(y, n);
    const out = new Float64Array(2);
    for (const i of [0, 1, 17, 79]) {
      const z = tree.repulsion(i, 0, out);
      let fx = 0,
        fy = 0,
        zz = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dx = y[2 * i] - y[2 * j],
          dy = y[2 * i + 1] - y[2 * j + 1];
        const q = 1 / (1 + dx * dx + dy * dy);
        zz += q;
        fx += q * q * dx;
        fy += q * q * dy;
      }
      assert.ok(Math.abs(z - zz) < 1e-9 && Math.abs(out[0] - fx) < 1e-9 && Math.abs(out[1] - fy) < 1e-9, `point ${i}`);
    }
  });

  it("with theta 0.5 the repulsion stays within a few percent of the direct sum", () => {
    const r = new SeededRandom(6);
    const n = 400;
    const y = Float64Array.from({ length: 2 * n }, () => (r.nextFloat() - 0.5) * 40);
    const tree = new QuadTree(y, n);
    let z = 0,
      zz = 0;
    const out = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      z += tree.repulsion(i, 0.5, out);
      for (let j = 0; j < n; j++)
        if (j !== i) zz += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
    }
    assert.ok(Math.abs(z / zz - 1) < 0.03, `Z ratio ${z / zz}`);
    assert.ok(z !== zz, "theta 0.5 should approximate, not compute exactly");
  });
});
