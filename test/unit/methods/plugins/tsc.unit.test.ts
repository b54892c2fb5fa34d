// TSC plug-in (our design inspired by Nie et al. 2026): rank normalisation, the k-NN graph on a hand-checked example,
// personalised-PageRank propagation against its closed form, the α = 0 identities, and option errors.
import * as assert from "assert";
import {
  calibratePatches,
  calibrateSamples,
  gridEdges,
  knnGraph,
  propagate,
  rankNormalise,
  resolveTsc,
  topMean,
  type SparseRows,
} from "../../../../kernel/methods/plugins/tsc";
import { aurocExact } from "../../../../kernel/metrics/auroc";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** Dense matrix of a SparseRows. */
function dense(P: SparseRows): number[][] {
  const m = Array.from({ length: P.n }, () => new Array<number>(P.n).fill(0));
  for (let i = 0; i < P.n; i++) for (let t = P.start[i]; t < P.start[i + 1]; t++) m[i][P.cols[t]] = P.p[t];
  return m;
}

/** (1 − α)(I − αP)⁻¹s⁰ by Gaussian elimination: the fixed point of s = αPs + (1 − α)s⁰. */
function closedForm(P: number[][], s0: number[], alpha: number): number[] {
  const n = s0.length;
  const a = P.map((row, i) => [...row.map((v, j) => (i === j ? 1 : 0) - alpha * v), (1 - alpha) * s0[i]]);
  for (let c = 0; c < n; c++) {
    const piv = a.reduce((best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(a[best][c]) ? r : best), c);
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

describe("methods/plugins/tsc: Test-Time Self-Calibration (TSC-inspired)", () => {
  it("rank normalisation maps mid-ranks to [0, 1]", () => {
    assert.deepStrictEqual(Array.from(rankNormalise([3, 1, 2, 2])), [1, 0, 0.5, 0.5]);
    assert.deepStrictEqual(Array.from(rankNormalise([7])), [0.5]);
  });

  it("builds the k-NN graph of a hand-checked example (σ = median k-NN distance, symmetrised, rows normalised)", () => {
    // Unit vectors at 0°, 60°, 180°; k = 1: 0→1 (d 0.5), 1→0 (d 0.5), 2→1 (d 1.5); σ = 0.5.
    const z = Float64Array.from([1, 0, 0.5, Math.sqrt(3) / 2, -1, 0]);
    const { P, sigma } = knnGraph(z, 3, 2, 1);
    close(sigma, 0.5, 1e-12, "sigma");
    const w01 = Math.exp(-1);
    const w12 = Math.exp(-3);
    const m = dense(P);
    // Row 1 has neighbours 0 (its own k-NN) and 2 (symmetrised from 2→1).
    const want = [
      [0, 1, 0],
      [w01 / (w01 + w12), 0, w12 / (w01 + w12)],
      [0, 1, 0],
    ];
    m.forEach((row, i) => row.forEach((v, j) => close(v, want[i][j], 1e-12, `P[${i}][${j}]`)));
  });

  it("propagation on two linked nodes reaches the hand-computed fixed point [2/3, 1/3]", () => {
    const P: SparseRows = {
      n: 2,
      start: Int32Array.from([0, 1, 2]),
      cols: Int32Array.from([1, 0]),
      p: Float64Array.from([1, 1]),
    };
    const r = propagate(P, [1, 0], 0.5, 200, 1e-15);
    close(r.scores[0], 2 / 3, 1e-12, "s0");
    close(r.scores[1], 1 / 3, 1e-12, "s1");
    assert.ok(r.iterations < 200, "stopped at the tolerance");
  });

  it("propagation converges to (1 − α)(I − αP)⁻¹s⁰ on a random k-NN graph, and stops at the tolerance", () => {
    const n = 12;
    const z = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const v = [Math.cos(i), Math.sin(i * 1.7), Math.cos(i * 0.3)];
      const l = Math.hypot(...v);
      v.forEach((x, d) => (z[i * 3 + d] = x / l));
    }
    const { P } = knnGraph(z, n, 3, 4);
    const s0 = Array.from({ length: n }, (_, i) => ((i * 7) % n) / (n - 1));
    for (const alpha of [0.3, 0.5, 0.85]) {
      const want = closedForm(dense(P), s0, alpha);
      const r = propagate(P, s0, alpha, 1000, 1e-13);
      want.forEach((w, i) => close(r.scores[i], w, 1e-11, `α ${alpha} node ${i}`));
      assert.ok(r.delta < 1e-13);
      // 20 iterations (the default) are within α^20 of the fixed point.
      const short = propagate(P, s0, alpha, 20, 0);
      want.forEach((w, i) => close(short.scores[i], w, 2 * alpha ** 20, `α ${alpha} after 20 steps, node ${i}`));
    }
  });

  it("a constant score vector is a fixed point; a node without edges keeps its score", () => {
    const { P } = knnGraph(Float64Array.from([1, 0, 0, 1, 0.6, 0.8]), 3, 2, 2);
    assert.deepStrictEqual(
      Array.from(propagate(P, [0.4, 0.4, 0.4], 0.5, 20, 0).scores).map((v) => v.toFixed(12)),
      ["0.400000000000", "0.400000000000", "0.400000000000"],
    );
    const lonely: SparseRows = {
      n: 1,
      start: Int32Array.from([0, 0]),
      cols: new Int32Array(0),
      p: new Float64Array(0),
    };
    assert.strictEqual(propagate(lonely, [0.3], 0.5, 20, 0).scores[0], 0.3);
  });

  it("TSC-samples: α = 0 keeps the ranking (AUROC unchanged); α > 0 lifts a low score inside a high-scoring cluster", () => {
    // Two tight clusters of node features; cluster A's scores are high except one.
    const dirs = [
      [1, 0],
      [0, 1],
    ];
    const nodes = new Float64Array(10 * 2);
    for (let i = 0; i < 10; i++) {
      const d = dirs[i < 5 ? 0 : 1];
      const v = [d[0] + 0.01 * i, d[1] + 0.01 * (10 - i)];
      const l = Math.hypot(...v);
      nodes[2 * i] = v[0] / l;
      nodes[2 * i + 1] = v[1] / l;
    }
    const scores = [0.9, 0.8, 0.85, 0.95, 0.1, 0.2, 0.15, 0.3, 0.25, 0.05];
    const labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const o = resolveTsc({ k: 4 })!;
    const id = calibrateSamples(scores, nodes, 2, { ...o, alpha: 0 });
    assert.deepStrictEqual(Array.from(id.scores), Array.from(rankNormalise(scores)));
    assert.strictEqual(aurocExact(id.scores, labels), aurocExact(scores, labels));
    const r = calibrateSamples(scores, nodes, 2, o);
    assert.ok(r.scores[4] > rankNormalise(scores)[4], `the outlier stayed at ${r.scores[4]}`);
    assert.ok(aurocExact(r.scores, labels) > aurocExact(scores, labels));
    assert.strictEqual(r.k, 4);
  });

  it("TSC-patches: α = 0 returns the grid; propagation over the grid ∪ k-NN smooths an isolated peak", () => {
    const g = 3;
    const f = new Float64Array(g * g * 2);
    for (let p = 0; p < g * g; p++) f[2 * p] = 1;
    const grid = Float64Array.from([0, 0, 0, 0, 9, 0, 0, 0, 0]);
    const o = resolveTsc({ mode: "patches" })!;
    assert.strictEqual(calibratePatches(grid, g, f, 2, { ...o, alpha: 0 }), grid);
    const out = calibratePatches(grid, g, f, 2, o);
    assert.ok(out[4] < 9 && out[4] > 0 && out[0] > 0, Array.from(out).join());
    assert.deepStrictEqual(gridEdges(2), [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ]);
  });

  it("top-fraction mean", () => {
    const x = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.strictEqual(topMean(x, 0.01), 100);
    assert.strictEqual(topMean(x, 0.05), 98);
    assert.strictEqual(topMean([2, 5], 0.01), 5);
  });

  it("errors name the option and the fix", () => {
    assert.strictEqual(resolveTsc(false), undefined);
    assert.deepStrictEqual(resolveTsc(true), {
      mode: "samples",
      k: 10,
      alpha: 0.5,
      iterations: 20,
      tolerance: 1e-6,
      node: "patch-mean",
      topFraction: 0.01,
    });
    assert.strictEqual(resolveTsc({ mode: "patches" })!.k, 8);
    assert.throws(() => resolveTsc({ alpha: 1 }), /plugins\.tsc\.alpha: expected a number in \[0, 1\), got 1/);
    assert.throws(
      () => resolveTsc({ mode: "pixels" as "samples" }),
      /plugins\.tsc\.mode: expected "samples" or "patches"/,
    );
    assert.throws(() => resolveTsc({ k: 0 }), /plugins\.tsc\.k/);
    assert.throws(
      () => calibrateSamples([1, 2], new Float64Array(6), 2, resolveTsc(true)!),
      /tsc: 2 scores but 3 node features/,
    );
    assert.throws(
      () =>
        propagate(
          { n: 2, start: Int32Array.from([0, 0, 0]), cols: new Int32Array(0), p: new Float64Array(0) },
          [1],
          0.5,
          1,
          0,
        ),
      /1 scores for a graph of 2 nodes/,
    );
  });
});
