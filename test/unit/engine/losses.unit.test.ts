// Loss heads: values against direct float64 transcriptions of the reference formulas, and their gradients by
// central differences on the float64 version of the same graph.
import * as assert from "assert";
import { toFloat64 } from "../../../kernel/engine/autodiff/float64";
import { GraphBuilder } from "../../../kernel/engine/ir/builder";
import { bceWithLogits, diceLoss, focalLoss, sigmoidPairLoss } from "../../../kernel/engine/losses";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { checkGraph, uniform } from "./autodiff/fdCheck";

const B = 2,
  H = 3,
  W = 3,
  P = 4;

function lossGraph() {
  const b = new GraphBuilder("losses");
  const logits = b.input("logits", "float32", [B, 2, H, W]);
  const mask = b.input("mask", "float32", [B, 1, H, W]);
  const scores = b.input("scores", "float32", [B, P, 2]);
  const s = b.input("s", "float32", [B]);
  const labels = b.input("labels", "float32", [B]);
  const probs = b.softmax(logits, 1);
  const p1 = b.reshape(b.slice(probs, [1], [2], [1]), [B, H, W]);
  const parts = {
    focal: focalLoss(b, probs, mask, 2),
    dice: diceLoss(b, p1, b.reshape(mask, [B, H, W])),
    bce: bceWithLogits(b, s, labels),
    siglip: sigmoidPairLoss(b, scores, labels),
  };
  for (const [k, v] of Object.entries(parts)) b.output(v, k, "float32", []);
  const total = b.add(b.add(parts.focal, parts.dice), b.add(parts.bce, parts.siglip));
  b.output(total, "total", "float32", []);
  return b.build();
}

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

function reference(
  logits: Float64Array,
  mask: Float64Array,
  scores: Float64Array,
  s: Float64Array,
  labels: Float64Array,
) {
  let focal = 0,
    dice = 0;
  for (let n = 0; n < B; n++) {
    let inter = 0,
      sp = 0,
      sm = 0;
    for (let i = 0; i < H * W; i++) {
      const l0 = logits[n * 2 * H * W + i],
        l1 = logits[(n * 2 + 1) * H * W + i];
      const mx = Math.max(l0, l1);
      const e0 = Math.exp(l0 - mx),
        e1 = Math.exp(l1 - mx);
      const p0 = e0 / (e0 + e1),
        p1 = e1 / (e0 + e1);
      const m = mask[n * H * W + i];
      const cls = Math.trunc(m);
      const oh1 = cls === 1 ? 1 - 1e-5 : 1e-5,
        oh0 = cls === 0 ? 1 - 1e-5 : 1e-5;
      const pt = oh0 * p0 + oh1 * p1 + 1e-5;
      focal += -((1 - pt) ** 2) * Math.log(pt);
      inter += p1 * m;
      sp += p1;
      sm += m;
    }
    dice += (2 * inter + 1) / (sp + sm + 1);
  }
  let bce = 0,
    sig = 0;
  for (let n = 0; n < B; n++) {
    bce += labels[n] * softplus(-s[n]) + (1 - labels[n]) * softplus(s[n]);
    const z = 2 * labels[n] - 1;
    for (let c = 0; c < 2; c++) {
      let m = 0;
      for (let p = 0; p < P; p++) m += softplus(-(c === 0 ? -z : z) * scores[(n * P + p) * 2 + c]);
      sig += m / P;
    }
  }
  return { focal: focal / (B * H * W), dice: 1 - dice / B, bce: bce / B, siglip: sig / B };
}

describe("engine/losses: focal, dice, BCE-with-logits, SigLIP-style log-sigmoid", () => {
  const random = new SeededRandom(5);
  const data = {
    logits: uniform(random, B * 2 * H * W, -3, 3),
    // 0/1 mask plus a 0.7 that the reference's integer cast turns into class 0 for focal (dice uses it as is).
    mask: Float64Array.from({ length: B * H * W }, (_, i) => (i === 4 ? 0.7 : i % 3 === 0 ? 1 : 0)),
    scores: uniform(random, B * P * 2, -2, 2),
    s: Float64Array.of(0.3, 0.8),
    labels: Float64Array.of(0, 1),
  };
  const dims: Record<string, number[]> = {
    logits: [B, 2, H, W],
    mask: [B, 1, H, W],
    scores: [B, P, 2],
    s: [B],
    labels: [B],
  };

  it("values match the reference formulas (float32 graph, rtol 1e-5)", async () => {
    const sess = await createSession(encodeModel(lossGraph()), { intraOpThreads: 1 });
    const feeds: Record<string, Feed> = {};
    for (const [k, v] of Object.entries(data)) feeds[k] = { data: Float32Array.from(v), dims: dims[k] };
    const out = await sess.run(feeds);
    const f32 = (v: Float64Array) => Float64Array.from(Float32Array.from(v));
    const ref = reference(f32(data.logits), f32(data.mask), f32(data.scores), f32(data.s), data.labels);
    for (const [k, v] of Object.entries(ref)) {
      const got = Number(out[k].data[0]);
      assert.ok(Math.abs(got - v) <= 1e-5 * Math.abs(v) + 1e-7, `${k}: ${got} vs reference ${v}`);
    }
    await sess.release();
  });

  it("gradients w.r.t. logits, scores and s match central differences (float64 graph)", async function () {
    const feeds: Record<string, Feed> = {};
    for (const [k, v] of Object.entries(data)) feeds[k] = { data: Float64Array.from(v), dims: dims[k] };
    const r = await checkGraph(toFloat64(lossGraph()), "total", feeds, ["logits", "scores", "s"]);
    this.test!.title += ` — max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
  });
});
