// MadCLIP's learnable prompts (madclip/coop.ts) against the engine's text tower (parity-tested elsewhere): with every
// context vector set to the embedding of "X", the prompt graph must give the same T as encoding the equivalent
// texts ("X×8 s.", "s X×8.", "X×4 s X×4.") with input ids and no causal mask, averaging the un-normalised
// embeddings and normalising. And the gradient reaching the contexts through the whole MadCLIP loss must match a
// finite difference of the loss along it.
import * as assert from "assert";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { GradientSession } from "../../../kernel/engine/autodiff/gradientSession";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { buildTextGraph } from "../../../kernel/engine/clip/text";
import { GraphBuilder } from "../../../kernel/engine/ir/builder";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import {
  COOP_ABNORMAL,
  COOP_CONTEXT,
  COOP_NORMAL,
  coopLayout,
  coopParamName,
  emitCoopText,
  initCoopContexts,
} from "../../../kernel/methods/madclip/coop";
import { buildMadclipTrainGraph } from "../../../kernel/methods/madclip/trainGraph";
import { initParams } from "../../../kernel/methods/training";
import { ClipTokenizer, toInt64 } from "../../../kernel/tokenizer";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";

describe("methods: MadCLIP learnable prompts (CoOp)", function () {
  this.timeout(60_000);
  const model = ClipModel.load(tinyClipModel);
  after(() => model.close());
  const tw = model.textWeights();
  const tcfg = model.config.text!;
  const tok = ClipTokenizer.fromDirectory(tinyClipModel);
  const layouts = {
    normal: coopLayout(tok, tw, tcfg.contextLength, COOP_NORMAL, "Brain"),
    abnormal: coopLayout(tok, tw, tcfg.contextLength, COOP_ABNORMAL, "Brain"),
  };

  it("21 prompts per class; contexts = the 'X' embedding reproduce the text tower on the equivalent texts", async () => {
    assert.strictEqual(layouts.normal.prompts, 21);
    const width = tcfg.hiddenSize;
    const xId = tok.encode("X")[0];
    const xEmb = tw.tokenEmbedding.data.subarray(xId * width, (xId + 1) * width);
    const ctxData = (P: number) => {
      const d = new Float32Array(P * COOP_CONTEXT * width);
      for (let i = 0; i < P * COOP_CONTEXT; i++) d.set(xEmb, i * width);
      return d;
    };
    const b = new GraphBuilder("coop_check");
    const { T, params } = emitCoopText(b, tw, tcfg, layouts);
    b.output(T, "T", "float32", [tw.projection.shape[1], 2]);
    const s = await createSession(encodeModel(b.build()));
    const got = (
      await s.run(Object.fromEntries(params.map((p) => [p.name, { data: ctxData(p.shape[0]), dims: p.shape }])))
    ).T.data as Float32Array;
    await s.release();

    const text = buildTextGraph(tw, tcfg, { causalMask: false, activation: "gelu" });
    const ts = await createSession(encodeModel(text.graph));
    const X4 = "X X X X";
    const column = async (sentences: string[]) => {
      const texts: string[] = [];
      for (const layout of [
        (q: string) => `${X4} ${X4} ${q}.`,
        (q: string) => `${q} ${X4} ${X4}.`,
        (q: string) => `${X4} ${q} ${X4}.`,
      ]) {
        for (const sn of sentences) texts.push(layout(sn.replace("{}", "Brain")));
      }
      const ids = tok.tokenize(texts, tcfg.contextLength);
      const emb = (await ts.run({ input_ids: { data: toInt64(ids), dims: [...ids.dims] } })).text_embeds
        .data as Float32Array;
      const proj = emb.length / texts.length;
      const mean = new Float64Array(proj);
      for (let i = 0; i < texts.length; i++) for (let d = 0; d < proj; d++) mean[d] += emb[i * proj + d] / texts.length;
      const n = Math.hypot(...mean);
      return Array.from(mean, (v) => v / n);
    };
    const tn = await column(COOP_NORMAL);
    const ta = await column(COOP_ABNORMAL);
    await ts.release();
    let maxDiff = 0;
    tn.forEach((v, d) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[2 * d]), Math.abs(ta[d] - got[2 * d + 1]))));
    assert.ok(maxDiff < 1e-5, `max |ΔT| = ${maxDiff}`);
  });

  it("the contexts' gradient through the MadCLIP loss matches a finite difference of the loss", async () => {
    const pre = readRef("pre.safetensors");
    const backbone = readRef("backbone.safetensors");
    const g = buildMadclipTrainGraph({
      levels: 4,
      width: 64,
      proj: 32,
      grid: 7,
      imageSize: 56,
      seg: true,
      batch: 1,
      textT: (bb) => emitCoopText(bb, tw, tcfg, layouts),
    });
    const trainable = [...g.params, ...g.textParams];
    const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt: trainable.map((p) => p.name), keepOutputs: [] });
    assert.deepStrictEqual(grad.unreachable, []);
    const session = await GradientSession.create(grad, trainable);
    const values: Record<string, Float32Array> = {};
    for (const [n, t] of Object.entries({ ...initParams(g.params, 4), ...initCoopContexts(21, tcfg.hiddenSize, 4) }))
      values[n] = t.data;
    const feeds: Record<string, Feed> = {
      mask: { data: pre.readFloat32("masks").data.slice(2 * 56 * 56, 3 * 56 * 56), dims: [1, 1, 56, 56] },
      label: { data: Float32Array.of(1), dims: [1] },
    };
    [2, 4, 6, 8].forEach(
      (t, l) =>
        (feeds[`tap${l}`] = {
          data: backbone.readFloat32(`tap${t}_gelu_mvfa`).data.slice(2 * 3200, 3 * 3200),
          dims: [1, 50, 64],
        }),
    );
    const base = await session.run(feeds, values);
    for (const cls of ["normal", "abnormal"] as const) {
      const name = coopParamName(cls);
      const gv = base.gradients[name];
      const norm = Math.hypot(...gv);
      assert.ok(norm > 0, `${name}: zero gradient`);
      // Directional derivative along the gradient = |g|; central difference in float32 with a step that moves the
      // loss well above its rounding.
      const h = 1e-2;
      const shifted = (sign: number) => ({
        ...values,
        [name]: Float32Array.from(values[name], (v, i) => v + (sign * h * gv[i]) / norm),
      });
      const up = (await session.run(feeds, shifted(1))).loss;
      const down = (await session.run(feeds, shifted(-1))).loss;
      const fd = (up - down) / (2 * h);
      assert.ok(Math.abs(fd - norm) < 0.05 * norm + 1e-4, `${name}: finite difference ${fd} vs |g| ${norm}`);
    }
    await session.release();
  });
});
