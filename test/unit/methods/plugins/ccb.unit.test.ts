// CCB plug-in (our design inspired by Nie et al. 2026): spherical k-means (determinism, recovery of constructed
// clusters), central attention + consultation back against a direct re-computation, the β = 0 identity, and the
// option / shape errors users see.
import * as assert from "assert";
import { Rng } from "../../../../kernel/util/random/rng";
import {
  ccbLevel,
  consultBack,
  resolveCcb,
  sphericalKMeans,
  stringKey,
  CCB_DEFAULTS,
} from "../../../../kernel/methods/plugins/ccb";

/** Unit rows around `centres` (one per cluster, `per` rows each, noise `noise`), in cluster-major order. */
function clustered(
  centres: number[][],
  per: number,
  noise: number,
  seed: number,
): { x: Float64Array; labels: number[]; dim: number } {
  const dim = centres[0].length;
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  centres.forEach((c, ci) => {
    for (let i = 0; i < per; i++) {
      const v = c.map((x) => x + noise * rng.normal());
      const n = Math.hypot(...v);
      rows.push(v.map((x) => x / n));
      labels.push(ci);
    }
  });
  return { x: Float64Array.from(rows.flat()), labels, dim };
}

function unitRandom(n: number, dim: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (x[i * dim + d] = rng.normal()) ** 2;
    for (let d = 0; d < dim; d++) x[i * dim + d] /= Math.sqrt(s);
  }
  return x;
}

describe("methods/plugins/ccb: Centroid Consultation Back (CCB-inspired)", () => {
  const axes = [
    [1, 0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 1],
  ];

  it("k-means recovers well-separated constructed clusters (a partition equal to the construction)", () => {
    const { x, labels, dim } = clustered(axes, 12, 0.05, 1);
    for (const seed of [0, 1, 2, 3, 4]) {
      const km = sphericalKMeans(x, labels.length, dim, 4, 10, new Rng(seed));
      // Same partition up to a relabelling: rows share a cluster iff they share a construction label.
      for (let i = 0; i < labels.length; i++) {
        for (let j = 0; j < labels.length; j++)
          assert.strictEqual(km.assign[i] === km.assign[j], labels[i] === labels[j], `seed ${seed}: rows ${i}, ${j}`);
      }
      // Every centroid is unit norm and close to one construction axis.
      for (let c = 0; c < 4; c++) {
        const row = Array.from(km.centroids.subarray(c * dim, (c + 1) * dim));
        assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-12);
        assert.ok(Math.max(...row) > 0.99, `centroid ${c}: ${row.map((v) => v.toFixed(3))}`);
      }
    }
  });

  it("k-means is deterministic for a seed and depends on it", () => {
    const x = unitRandom(60, 8, 7);
    const a = sphericalKMeans(x, 60, 8, 6, 10, new Rng(3));
    const b = sphericalKMeans(x, 60, 8, 6, 10, new Rng(3));
    assert.deepStrictEqual(a.assign, b.assign);
    assert.deepStrictEqual(a.centroids, b.centroids);
    const others = [4, 5, 6, 7, 8].map((s) => sphericalKMeans(x, 60, 8, 6, 10, new Rng(s)).centroids);
    assert.ok(
      others.some((c) => c.some((v, i) => v !== a.centroids[i])),
      "five other seeds all gave the same centroids",
    );
  });

  it("Lloyd steps leave every row assigned to its most similar centroid", () => {
    const x = unitRandom(40, 5, 9);
    const km = sphericalKMeans(x, 40, 5, 5, 10, new Rng(0));
    for (let i = 0; i < 40; i++) {
      const sims = Array.from({ length: 5 }, (_, c) =>
        [0, 1, 2, 3, 4].reduce((s, d) => s + x[i * 5 + d] * km.centroids[c * 5 + d], 0),
      );
      assert.strictEqual(sims[km.assign[i]], Math.max(...sims));
    }
  });

  it("consultation back equals a direct computation of L2norm(f + β·Σ softmax(f·m/τ)·m)", () => {
    const f = unitRandom(7, 4, 11);
    const m = unitRandom(3, 4, 12);
    const beta = 0.7;
    const tau = 0.25;
    const got = consultBack(f, 7, m, 3, 4, beta, tau);
    for (let i = 0; i < 7; i++) {
      const fi = Array.from(f.subarray(i * 4, i * 4 + 4));
      const logits = [0, 1, 2].map((j) => fi.reduce((s, v, d) => s + v * m[j * 4 + d], 0) / tau);
      const e = logits.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      const c = [0, 1, 2, 3].map((d) => [0, 1, 2].reduce((s, j) => s + (e[j] / z) * m[j * 4 + d], 0));
      const v = fi.map((x, d) => x + beta * c[d]);
      const n = Math.hypot(...v);
      v.forEach((x, d) =>
        assert.ok(Math.abs(got[i * 4 + d] - x / n) < 1e-12, `row ${i} dim ${d}: ${got[i * 4 + d]} vs ${x / n}`),
      );
    }
  });

  it("ccbLevel: β = 0 returns the tokens themselves; otherwise CLS is kept and patches are unit rows", () => {
    const dim = 6;
    const g = 4;
    const tokens = Float32Array.from(unitRandom(g * g + 1, dim, 5), (v, i) => v * (1 + (i % 3)));
    assert.strictEqual(ccbLevel(tokens, dim, g, { ...CCB_DEFAULTS, beta: 0 }, 0, 1), tokens);
    const out = ccbLevel(tokens, dim, g, CCB_DEFAULTS, 0, 1);
    assert.deepStrictEqual(out.subarray(0, dim), tokens.subarray(0, dim));
    for (let p = 1; p <= g * g; p++)
      assert.ok(Math.abs(Math.hypot(...out.subarray(p * dim, (p + 1) * dim)) - 1) < 1e-6);
    assert.deepStrictEqual(ccbLevel(tokens, dim, g, CCB_DEFAULTS, 0, 1), out, "same seed and key, same result");
    assert.notDeepStrictEqual(out, tokens);
  });

  it("ccbLevel pulls an isolated patch toward its cluster: its similarity to the cluster mean rises", () => {
    // 16 patches: 15 near one direction, one outlier a little off it; the outlier moves toward the majority.
    const dim = 4;
    const rows = clustered([[1, 0, 0, 0]], 15, 0.02, 3).x;
    const outlier = [0.8, 0.6, 0, 0];
    const tokens = Float32Array.from([0, 0, 1, 0, ...rows, ...outlier]);
    const out = ccbLevel(tokens, dim, 4, { ...CCB_DEFAULTS, global: false }, 0, 2);
    const cosToX = (t: ArrayLike<number>, p: number) =>
      t[p * dim] / Math.hypot(t[p * dim], t[p * dim + 1], t[p * dim + 2], t[p * dim + 3]);
    assert.ok(cosToX(out, 16) > cosToX(tokens, 16), `${cosToX(out, 16)} ≤ ${cosToX(tokens, 16)}`);
  });

  it("stringKey is stable and spreads nearby names", () => {
    assert.strictEqual(stringKey("test/Ungood/img/0001.png"), stringKey("test/Ungood/img/0001.png"));
    assert.notStrictEqual(stringKey("a/0001.png"), stringKey("a/0002.png"));
    assert.ok(stringKey("x") >= 0 && stringKey("x") <= 0x7fffffff);
  });

  it("errors name the option and the fix", () => {
    assert.strictEqual(resolveCcb(undefined), undefined);
    assert.strictEqual(resolveCcb(false), undefined);
    assert.deepStrictEqual(resolveCcb(true), CCB_DEFAULTS);
    assert.strictEqual(resolveCcb({ beta: 0.2 })!.beta, 0.2);
    assert.throws(() => resolveCcb({ clusters: 0 }), /plugins\.ccb\.clusters: expected a whole number ≥ 1, got 0/);
    assert.throws(() => resolveCcb({ beta: -1 }), /plugins\.ccb\.beta: expected a number ≥ 0/);
    assert.throws(() => resolveCcb({ beta: "learned" as unknown as number }), /learned β is not implemented/);
    assert.throws(() => resolveCcb({ temperature: 0 }), /plugins\.ccb\.temperature/);
    assert.throws(
      () => ccbLevel(new Float32Array(10), 4, 3, CCB_DEFAULTS, 0, 0),
      /ccb: expected 3×3 patches \+ CLS of width 4 \(40 values\), got 10/,
    );
    assert.throws(() => sphericalKMeans(new Float64Array(8), 2, 4, 3, 1, new Rng(0)), /3 clusters for 2 rows/);
  });
});
