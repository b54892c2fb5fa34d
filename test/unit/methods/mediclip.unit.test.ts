// MediCLIP's graphs (kernel/methods/mediclip) have no reference tensors, so they are checked against direct
// TypeScript computations of methods.md §4.1–4.4 and by finite differences: the scoring graph's logits (1×1 adapters
// with bias, L2-norm, cosine with T, mean over taps), the loss (focal with the label cast to integer + dice on the
// float label, on the align_corners=True upsampled softmax map), every trainable tensor's gradient (adapter weight,
// bias, CoOp contexts through the QuickGELU text tower without causal mask) and the prompt layouts (10 / 11 generic
// states, "end" position) against the engine's text tower. Inputs are the fixture's QuickGELU/MediCLIP taps.
import * as assert from "assert";
import { Rng } from "../../../kernel/util/random/rng";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { GradientSession } from "../../../kernel/engine/autodiff/gradientSession";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { buildTextGraph } from "../../../kernel/engine/clip/text";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { upsampleAlignCorners } from "../../../kernel/methods/branches";
import {
  COOP_CONTEXT,
  coopParamName,
  coopTextMatrix,
  emitCoopText,
  initCoopContexts,
} from "../../../kernel/methods/madclip/coop";
import { buildMediclipScoreGraph, buildMediclipTrainGraph } from "../../../kernel/methods/mediclip/graphs";
import {
  mediclipPromptLayouts,
  MEDICLIP_ABNORMAL_STATES,
  MEDICLIP_NORMAL_STATES,
} from "../../../kernel/methods/mediclip/prompts";
import { initMediclipAdapters, mediclipTaps } from "../../../kernel/methods/mediclip/run";
import { ClipTokenizer, toInt64 } from "../../../kernel/tokenizer";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";

const G = 7;
const S = 56;
const TOKENS = 50;
const WIDTH = 64;
const PROJ = 32;
const LEVELS = 3;

/** A random unit-column T [proj, 2]. */
function randomT(seed: number): Float32Array {
  const rng = new Rng(seed);
  const T = Float32Array.from({ length: PROJ * 2 }, () => rng.normal());
  for (let c = 0; c < 2; c++) {
    let n = 0;
    for (let d = 0; d < PROJ; d++) n += T[2 * d + c] ** 2;
    for (let d = 0; d < PROJ; d++) T[2 * d + c] /= Math.sqrt(n);
  }
  return T;
}

/** Mean over taps of L2norm(x[1:]·Wᵀ + b)·T → [g², 2], float64. */
function referenceLogits(
  taps: Float32Array[],
  params: Record<string, { data: Float32Array }>,
  T: Float32Array,
): Float64Array {
  const out = new Float64Array(G * G * 2);
  taps.forEach((x, l) => {
    const W = params[`adapters.${l}.weight`].data;
    const bias = params[`adapters.${l}.bias`].data;
    for (let p = 0; p < G * G; p++) {
      const f = new Float64Array(PROJ);
      for (let o = 0; o < PROJ; o++) {
        let s = bias[o];
        for (let i = 0; i < WIDTH; i++) s += W[o * WIDTH + i] * x[(p + 1) * WIDTH + i];
        f[o] = s;
      }
      const n = Math.hypot(...f);
      for (let c = 0; c < 2; c++) {
        let s = 0;
        for (let o = 0; o < PROJ; o++) s += (f[o] / n) * T[2 * o + c];
        out[2 * p + c] += s / taps.length;
      }
    }
  });
  return out;
}

/** focal(γ 2, label cast to integer, smooth 1e-5) + dice(smooth 1) on one image, float64. */
function referenceLoss(logits: Float64Array, label: Float32Array): number {
  const diff = Float64Array.from({ length: G * G }, (_, p) => logits[2 * p + 1] - logits[2 * p]);
  const up = upsampleAlignCorners(diff, G, S);
  let focal = 0;
  let inter = 0;
  let sp = 0;
  let sm = 0;
  for (let k = 0; k < S * S; k++) {
    const p1 = 1 / (1 + Math.exp(-up[k]));
    const cls = Math.trunc(label[k]);
    const oh1 = Math.min(1 - 1e-5, Math.max(1e-5, cls === 1 ? 1 : 0));
    const oh0 = Math.min(1 - 1e-5, Math.max(1e-5, cls === 0 ? 1 : 0));
    const pt = oh0 * (1 - p1) + oh1 * p1 + 1e-5;
    focal += -((1 - pt) ** 2) * Math.log(pt);
    inter += p1 * label[k];
    sp += p1;
    sm += label[k];
  }
  return focal / (S * S) + 1 - (2 * inter + 1) / (sp + sm + 1);
}

describe("methods: MediCLIP graphs and prompts", function () {
  this.timeout(120_000);
  const model = ClipModel.load(tinyClipModel);
  after(() => model.close());
  const tw = model.textWeights();
  const tcfg = model.config.text!;
  const tok = ClipTokenizer.fromDirectory(tinyClipModel);
  const layouts = mediclipPromptLayouts(tok, tw, tcfg);
  const backbone = readRef("backbone.safetensors");
  const pre = readRef("pre.safetensors");
  const tapsOf = (image: number) =>
    [4, 6, 8].map((t) =>
      backbone
        .readFloat32(`tap${t}_quickgelu_mediclip`)
        .data.slice(image * TOKENS * WIDTH, (image + 1) * TOKENS * WIDTH),
    );
  /** The fixture mask of image 2 with a band of 0.5 (which the focal term must count as normal, dice as half). */
  const label = (() => {
    const m = Float32Array.from(pre.readFloat32("masks").data.slice(2 * S * S, 3 * S * S));
    for (let k = 0; k < 3 * S; k++) m[k] = 0.5;
    return m;
  })();

  it("taps: the last three quarter points (12/18/24 on ViT-L, 4/6/8 on the fixture)", () => {
    assert.deepStrictEqual(mediclipTaps(24), [12, 18, 24]);
    assert.deepStrictEqual(mediclipTaps(8), [4, 6, 8]);
  });

  it("scoring graph: mean over taps of cos(1×1 adapter + bias, T) equals the direct computation", async () => {
    const T = randomT(3);
    const sg = buildMediclipScoreGraph({ levels: LEVELS, width: WIDTH, proj: PROJ, grid: G, textT: T });
    const params = initMediclipAdapters(sg.params, 5);
    assert.deepStrictEqual(
      sg.params.map((p) => p.name),
      [
        "adapters.0.weight",
        "adapters.0.bias",
        "adapters.1.weight",
        "adapters.1.bias",
        "adapters.2.weight",
        "adapters.2.bias",
      ],
    );
    const bound = 1 / Math.sqrt(WIDTH);
    for (const t of Object.values(params))
      assert.ok(t.data.every((v) => Math.abs(v) <= bound) && t.data.some((v) => v !== 0));
    const s = await createSession(encodeModel(sg.graph));
    const taps = tapsOf(1);
    const feeds: Record<string, Feed> = Object.fromEntries(
      sg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
    );
    taps.forEach((t, l) => (feeds[`tap${l}`] = { data: t, dims: [1, TOKENS, WIDTH] }));
    const got = (await s.run(feeds)).logits.data as Float32Array;
    await s.release();
    const want = referenceLogits(taps, params, T);
    let max = 0;
    want.forEach((v, i) => (max = Math.max(max, Math.abs(v - got[i]))));
    assert.ok(max < 1e-5, `max |Δlogit| = ${max}`);
  });

  it("loss: focal (integer-cast label) + dice (float label) on the upsampled softmax map equals the direct computation", async () => {
    const T = randomT(4);
    const tg = buildMediclipTrainGraph({
      levels: LEVELS,
      width: WIDTH,
      proj: PROJ,
      grid: G,
      imageSize: S,
      textT: T,
      batch: 1,
      debugOutputs: true,
    });
    const params = initMediclipAdapters(tg.params, 6);
    const s = await createSession(encodeModel(tg.graph));
    const taps = tapsOf(2);
    const feeds: Record<string, Feed> = Object.fromEntries(
      tg.params.map((p) => [p.name, { data: params[p.name].data, dims: p.shape }]),
    );
    taps.forEach((t, l) => (feeds[`tap${l}`] = { data: t, dims: [1, TOKENS, WIDTH] }));
    feeds.label = { data: label, dims: [1, 1, S, S] };
    const out = await s.run(feeds);
    await s.release();
    const want = referenceLoss(referenceLogits(taps, params, T), label);
    const got = (out.loss.data as Float32Array)[0];
    assert.ok(Math.abs(got - want) < 1e-4 * Math.max(1, want), `loss ${got} vs ${want}`);
    assert.ok(
      Math.abs((out["loss.focal"].data as Float32Array)[0] + (out["loss.dice"].data as Float32Array)[0] - got) < 1e-5,
    );
    // τ divides the logits (the paper's temperature).
    const tau = buildMediclipScoreGraph({ levels: LEVELS, width: WIDTH, proj: PROJ, grid: G, textT: T, tau: 0.07 });
    const ts = await createSession(encodeModel(tau.graph));
    const scaled = (await ts.run(Object.fromEntries(Object.entries(feeds).filter(([n]) => n !== "label")))).logits
      .data as Float32Array;
    await ts.release();
    const plain = out.logits.data as Float32Array;
    assert.ok(Math.abs(scaled[5] - plain[5] / 0.07) < 1e-4);
  });

  it("prompts: 10 normal / 11 abnormal generic states, 'end' position; contexts = 'X' reproduce the QuickGELU text tower without causal mask", async () => {
    assert.strictEqual(layouts.normal.prompts, MEDICLIP_NORMAL_STATES.length);
    assert.strictEqual(layouts.abnormal.prompts, MEDICLIP_ABNORMAL_STATES.length);
    assert.deepStrictEqual([layouts.normal.prompts, layouts.abnormal.prompts], [10, 11]);
    const width = tcfg.hiddenSize;
    const xId = tok.encode("X")[0];
    const xEmb = tw.tokenEmbedding.data.subarray(xId * width, (xId + 1) * width);
    const contexts = Object.fromEntries(
      (["normal", "abnormal"] as const).map((cls) => {
        const P = layouts[cls].prompts;
        const d = new Float32Array(P * COOP_CONTEXT * width);
        for (let i = 0; i < P * COOP_CONTEXT; i++) d.set(xEmb, i * width);
        return [coopParamName(cls), { data: d }];
      }),
    );
    const got = await coopTextMatrix(tw, tcfg, layouts, contexts, { device: "cpu", activation: "quick_gelu" });
    const text = buildTextGraph(tw, tcfg, { causalMask: false, activation: "quick_gelu" });
    const ts = await createSession(encodeModel(text.graph));
    const column = async (states: string[]) => {
      const texts = states.map((st) => `X X X X X X X X ${st}.`);
      const ids = tok.tokenize(texts, tcfg.contextLength);
      const emb = (await ts.run({ input_ids: { data: toInt64(ids), dims: [...ids.dims] } })).text_embeds
        .data as Float32Array;
      const mean = new Float64Array(PROJ);
      for (let i = 0; i < texts.length; i++) for (let d = 0; d < PROJ; d++) mean[d] += emb[i * PROJ + d] / texts.length;
      const n = Math.hypot(...mean);
      return Array.from(mean, (v) => v / n);
    };
    const tn = await column(MEDICLIP_NORMAL_STATES);
    const ta = await column(MEDICLIP_ABNORMAL_STATES);
    await ts.release();
    let max = 0;
    tn.forEach((v, d) => (max = Math.max(max, Math.abs(v - got[2 * d]), Math.abs(ta[d] - got[2 * d + 1]))));
    assert.ok(max < 1e-5, `max |ΔT| = ${max}`);
    // QuickGELU matters: the exact-GELU tower gives a different T.
    const gelu = await coopTextMatrix(tw, tcfg, layouts, contexts, { device: "cpu", activation: "gelu" });
    assert.ok(gelu.some((v, i) => Math.abs(v - got[i]) > 1e-4));
  });

  it("every trainable tensor's gradient (adapter weights, biases, CoOp contexts) matches a finite difference of the loss", async () => {
    const tg = buildMediclipTrainGraph({
      levels: LEVELS,
      width: WIDTH,
      proj: PROJ,
      grid: G,
      imageSize: S,
      batch: 2,
      textT: (b) => emitCoopText(b, tw, tcfg, layouts, "quick_gelu"),
    });
    const trainable = [...tg.params, ...tg.textParams];
    const grad = buildGradientGraph(tg.graph, { loss: tg.loss, wrt: trainable.map((p) => p.name), keepOutputs: [] });
    assert.deepStrictEqual(grad.unreachable, []);
    const session = await GradientSession.create(grad, trainable);
    const values: Record<string, Float32Array> = {};
    for (const [n, t] of Object.entries({
      ...initMediclipAdapters(tg.params, 7),
      ...initCoopContexts({ normal: 10, abnormal: 11 }, tcfg.hiddenSize, 7),
    }))
      values[n] = t.data;
    const feeds: Record<string, Feed> = {};
    const a = tapsOf(0);
    const b2 = tapsOf(2);
    for (let l = 0; l < LEVELS; l++) {
      const x = new Float32Array(2 * TOKENS * WIDTH);
      x.set(a[l], 0);
      x.set(b2[l], TOKENS * WIDTH);
      feeds[`tap${l}`] = { data: x, dims: [2, TOKENS, WIDTH] };
    }
    const labels = new Float32Array(2 * S * S);
    labels.set(label, S * S); // image 0: an identity sample (all-zero label)
    feeds.label = { data: labels, dims: [2, 1, S, S] };
    const base = await session.run(feeds, values);
    for (const p of trainable) {
      const gv = base.gradients[p.name];
      const norm = Math.hypot(...gv);
      assert.ok(norm > 0, `${p.name}: zero gradient`);
      const h = 1e-2;
      const shifted = (sign: number) => ({
        ...values,
        [p.name]: Float32Array.from(values[p.name], (v, i) => v + (sign * h * gv[i]) / norm),
      });
      const fd = ((await session.run(feeds, shifted(1))).loss - (await session.run(feeds, shifted(-1))).loss) / (2 * h);
      assert.ok(Math.abs(fd - norm) < 0.05 * norm + 1e-4, `${p.name}: finite difference ${fd} vs |g| ${norm}`);
    }
    await session.release();
  });
});
