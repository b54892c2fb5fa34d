// The SD-MAD-inspired training graph (kernel/methods/sdmad/graph.ts) on small random inputs: its sign scores and
// logits equal the TypeScript definitions (scores.ts), its loss equals BCE + margin computed by hand from those
// logits, and the gradients of both shift-adapter weights match central differences in float64 (with ⌈1 %⌉ = 2 top
// patches, so the masked second ReduceMax is on the path).
import * as assert from "assert";
import { toFloat64 } from "../../../kernel/engine/autodiff/float64";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { MARGIN, TEMPERATURE, topCount } from "../../../kernel/methods/sdmad/design";
import {
  buildSdmadScoreGraph,
  buildSdmadTrainGraph,
  ClipHead,
  SHIFT_FC1,
  SHIFT_FC2,
} from "../../../kernel/methods/sdmad/graph";
import { categoryLogits, categoryWeights, signScores } from "../../../kernel/methods/sdmad/scores";
import { checkGraph } from "../engine/autodiff/fdCheck";

const random = new SeededRandom(7);
const uniform = (n: number, lo = -1, hi = 1) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * random.nextFloat());

function unitColumns(rows: number, cols: number): Float32Array {
  const t = uniform(rows * cols);
  for (let c = 0; c < cols; c++) {
    let n = 0;
    for (let r = 0; r < rows; r++) n += t[r * cols + c] ** 2;
    for (let r = 0; r < rows; r++) t[r * cols + c] /= Math.sqrt(n);
  }
  return t;
}

describe("methods: SD-MAD-inspired graph (sign scores, logits, loss, gradients)", function () {
  this.timeout(60_000);
  const width = 8;
  const proj = 4;
  const grid = 11; // 121 patches → the top 2 are averaged
  const tokens = grid * grid + 1;
  const group = [0, 0, 1, 1, 2];
  const S = group.length;
  const K = 2;
  const B = 3;
  const head: ClipHead = {
    lnPost: { weight: { data: uniform(width, 0.5, 1.5) }, bias: { data: uniform(width, -0.1, 0.1) } },
    projection: { shape: [width, proj], data: uniform(width * proj) },
    eps: 1e-5,
  };
  const signText = unitColumns(proj, S);
  const options = { width, grid, head, signText, signs: S, group, categories: K };
  const tap = uniform(B * tokens * width, -2, 2);
  const labels = Float32Array.of(1, 0, 0, 0, 0, 1);
  const marginWeight = Float32Array.of(0.5, 0, 0.5);
  const w1 = uniform(2 * width, -0.5, 0.5);
  const w2 = uniform(width * 2, -0.5, 0.5);

  it("uses the top ⌈1 %⌉ of the patches", () => {
    assert.strictEqual(topCount(121), 2);
    assert.strictEqual(topCount(49), 1);
    assert.strictEqual(topCount(289), 3);
  });

  it("sign scores and logits equal scores.ts; the loss equals BCE + margin from those logits", async () => {
    const g = buildSdmadTrainGraph({ ...options, debugOutputs: true });
    const s = await createSession(encodeModel(g.graph));
    const out = await s.run({
      tap: { data: tap, dims: [B, tokens, width] },
      labels: { data: labels, dims: [B, K] },
      margin_weight: { data: marginWeight, dims: [B] },
      [SHIFT_FC1]: { data: w1, dims: [2, width] },
      [SHIFT_FC2]: { data: w2, dims: [width, 2] },
    });
    await s.release();
    const cos = out.cos.data as Float32Array;
    const weights = categoryWeights(group, K);
    let bce = 0;
    let margin = 0;
    for (let b = 0; b < B; b++) {
      const u = signScores(cos.subarray(b * tokens * S, (b + 1) * tokens * S), tokens, S);
      for (let s2 = 0; s2 < S; s2++)
        assert.ok(Math.abs(u[s2] - Number(out.sign_scores.data[b * S + s2])) < 1e-6, `u[${b}][${s2}]`);
      const z = categoryLogits(u, weights);
      for (let c = 0; c < K; c++)
        assert.ok(Math.abs(z[c] - Number(out.logits.data[b * K + c])) < 1e-4, `z[${b}][${c}]`);
      const y = [labels[b * K], labels[b * K + 1]];
      for (let c = 0; c < K; c++)
        bce += (y[c] * Math.log1p(Math.exp(-z[c])) + (1 - y[c]) * Math.log1p(Math.exp(z[c]))) / (B * K);
      for (let c = 0; c < K; c++)
        for (let c2 = 0; c2 < K; c2++)
          margin += marginWeight[b] * y[c] * (1 - y[c2]) * Math.max(0, MARGIN - (z[c] - z[c2]) * TEMPERATURE);
    }
    assert.ok(margin > 0, "the constructed batch must have active hinges");
    assert.ok(Math.abs(Number(out["loss.bce"].data[0]) - bce) < 1e-5, `bce ${out["loss.bce"].data[0]} vs ${bce}`);
    assert.ok(
      Math.abs(Number(out["loss.margin"].data[0]) - margin) < 1e-6,
      `margin ${out["loss.margin"].data[0]} vs ${margin}`,
    );
    assert.ok(Math.abs(Number(out.loss.data[0]) - bce - margin) < 1e-5);
  });

  it("the scoring graph gives the training graph's cosines", async () => {
    const sg = buildSdmadScoreGraph({ width, grid, head, signText, signs: S });
    const tg = buildSdmadTrainGraph({ ...options, debugOutputs: true });
    const weights = { [SHIFT_FC1]: { data: w1, dims: [2, width] }, [SHIFT_FC2]: { data: w2, dims: [width, 2] } };
    const a = await createSession(encodeModel(sg.graph));
    const b = await createSession(encodeModel(tg.graph));
    const x = { data: tap, dims: [B, tokens, width] };
    const ca = (await a.run({ ...weights, tap: x })).cos.data;
    const cb = (
      await b.run({
        ...weights,
        tap: x,
        labels: { data: labels, dims: [B, K] },
        margin_weight: { data: marginWeight, dims: [B] },
      })
    ).cos.data;
    await a.release();
    await b.release();
    assert.deepStrictEqual(Array.from(ca as Float32Array), Array.from(cb as Float32Array));
  });

  it("∂loss/∂W₁ and ∂loss/∂W₂ match central differences (float64)", async () => {
    const g = buildSdmadTrainGraph(options);
    const f64 = (a: Float32Array) => Float64Array.from(a);
    const feeds: Record<string, Feed> = {
      tap: { data: f64(tap), dims: [B, tokens, width] },
      labels: { data: f64(labels), dims: [B, K] },
      margin_weight: { data: f64(marginWeight), dims: [B] },
      [SHIFT_FC1]: { data: f64(w1), dims: [2, width] },
      [SHIFT_FC2]: { data: f64(w2), dims: [width, 2] },
    };
    const r = await checkGraph(toFloat64(g.graph), "loss", feeds, [SHIFT_FC1, SHIFT_FC2], {
      maxCoords: 16,
      rtol: 1e-6,
    });
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
  });
});
