// MadCLIP's learnable prompts (madclip/coop.ts) against MadCLIP's own Prompt/promptChooser.py + Prompt/CoOp.py
// (test/fixtures/parity/make_parity.py, `--text_mood learnable_all`, obj Brain): the tokenised "X×8 <sentence>."
// prompts and the sentence lengths that place the class tokens, the text matrix T from the 2 × 3 reference context
// tensors (end, front, middle; scaled ×25 so a misplaced slot shows), and the gradient of L = Σ T·R with respect to
// every context tensor. Tolerance: max|a − b| ≤ 1e-5 + 1e-4·max|b| for T, 1e-3 relative for gradients (the fixture
// README's), float32 against float64 references.
import * as assert from "assert";
import * as path from "path";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { attr, GraphBuilder } from "../../../kernel/engine/ir/builder";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import {
  COOP_ABNORMAL,
  COOP_CONTEXT,
  COOP_NORMAL,
  COOP_POSITIONS,
  coopLayout,
  coopParamName,
  emitCoopText,
} from "../../../kernel/methods/madclip/coop";
import { ClipTokenizer } from "../../../kernel/tokenizer";
import { parityFixtures, tinyClipModel } from "../../helpers/fixturePaths";
import { compare, fmt } from "../engine/helpers";

const CLASSES = ["normal", "abnormal"] as const;

describe("methods/madclip: CoOp prompt layout and the 21-prompt T vs MadCLIP (parity fixture)", function () {
  this.timeout(60_000);
  const ref = SafetensorsFile.open(path.join(parityFixtures, "madclip_coop.safetensors"));
  const model = ClipModel.load(tinyClipModel);
  const tw = model.textWeights();
  const tcfg = model.config.text!;
  const tok = ClipTokenizer.fromDirectory(tinyClipModel);
  const sentences = { normal: COOP_NORMAL, abnormal: COOP_ABNORMAL };
  const layouts = {
    normal: coopLayout(tok, tw, tcfg.contextLength, COOP_NORMAL, "Brain"),
    abnormal: coopLayout(tok, tw, tcfg.contextLength, COOP_ABNORMAL, "Brain"),
  };
  /** Our [21, 8, W] context tensor per class = the reference's three [7, 8, W] tensors, position-major. */
  const contexts = Object.fromEntries(
    CLASSES.map((cls) => {
      const parts = COOP_POSITIONS.map((pos) => ref.readFloat32(`ctx.${cls}.${pos}`).data);
      const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) data.set(p, (off += p.length) - p.length);
      return [coopParamName(cls), data];
    }),
  );
  after(() => model.close());

  for (const cls of CLASSES) {
    it(`${cls}: prompt token ids, sentence lengths and EOT positions as the reference tokenises them`, () => {
      const ids = ref.readInt64(`token_ids.${cls}`);
      const lens = ref.readInt64(`sentence_lengths.${cls}`).data;
      assert.deepStrictEqual(ids.shape, [7, tcfg.contextLength]);
      sentences[cls].forEach((s, i) => {
        const sentence = s.replace("{}", "Brain");
        const ours = Array.from(tok.tokenize(`${"X ".repeat(COOP_CONTEXT)}${sentence}.`, tcfg.contextLength).ids);
        const theirs = Array.from(ids.data.subarray(i * tcfg.contextLength, (i + 1) * tcfg.contextLength), Number);
        assert.deepStrictEqual(ours, theirs, `'${sentence}'`);
        assert.strictEqual(tok.encode(sentence).length, Number(lens[i]), `length of '${sentence}'`);
        const eot = theirs.indexOf(Math.max(...theirs));
        // Our layout lists the 21 prompts position-major (end ×7, front ×7, middle ×7), as the reference's torch.cat.
        for (let p = 0; p < 3; p++) assert.strictEqual(Number(layouts[cls].eot[p * 7 + i]), eot);
      });
      assert.strictEqual(layouts[cls].prompts, 21);
    });
  }

  /** T and the gradient of Σ T·R through one generated gradient graph. */
  async function run(ctx: Record<string, Float32Array>) {
    const b = new GraphBuilder("coop_parity");
    const { T, params } = emitCoopText(b, tw, tcfg, layouts);
    const R = b.constF32("R", ref.readFloat32("R").data, [tw.projection.shape[1], 2]);
    b.output(T, "T", "float32", [tw.projection.shape[1], 2]);
    b.output(b.op("ReduceSum", [b.mul(T, R)], { keepdims: attr.i(0) }), "loss", "float32", []);
    const grad = buildGradientGraph(b.build(), { loss: "loss", wrt: params.map((p) => p.name) });
    const s = await createSession(encodeModel(grad.graph), { intraOpThreads: 1 });
    const feeds: Record<string, Feed> = Object.fromEntries(
      params.map((p) => [p.name, { data: ctx[p.name], dims: p.shape }]),
    );
    const out = await s.run(feeds);
    await s.release();
    return {
      T: out.T.data as Float32Array,
      grads: Object.fromEntries(params.map((p) => [p.name, out[grad.gradients[p.name]].data as Float32Array])),
    };
  }

  it("T = [t_normal, t_abnormal] from the reference contexts (21 prompts per class, no causal mask)", async function () {
    const { T } = await run(contexts);
    const d = compare(T, ref.readFloat32("T_f64").data);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  it("d Σ(T·R) / d context, every class and position", async function () {
    const { grads } = await run(contexts);
    const msgs: string[] = [];
    for (const cls of CLASSES) {
      const got = grads[coopParamName(cls)];
      COOP_POSITIONS.forEach((pos, p) => {
        const expected = ref.readFloat32(`grad.${cls}.${pos}_f64`).data;
        const part = got.subarray(p * expected.length, (p + 1) * expected.length);
        const d = compare(part, expected, 1e-3, 0);
        msgs.push(`${cls}/${pos} ${d.maxRel.toExponential(1)}`);
        assert.ok(d.ok, `${cls} ${pos}: ${fmt(d)}`);
      });
    }
    this.test!.title += ` — max rel ${msgs.join(", ")}`;
  });
});
