// MediCLIP's training graph (mediclip/graphs.ts) against MediCLIP's own code (test/fixtures/parity/make_parity.py):
// open_clip taps → models/Necker → models/Adapter (1×1 conv with bias, L2-norm) → models/CoOp.PromptMaker (10 / 11
// generic states, "end", QuickGELU text tower without causal mask) → models/MapMaker (mean of the 3 levels' cosine
// logits, bilinear align_corners=True, softmax) → utils/losses FocalLoss + BinaryDiceLoss as train.py sums them, on a
// batch of two (test_2 with a soft label: mask 1.0 plus a ring of 0.6 that the focal loss's integer cast drops; test_0
// all zero). Checked: the adapted features' logits, the level mean, the rendered map and image score of validate()
// (map channel 1 and its max, through run.ts's one-fused-level rendering), [total, focal, dice] and the gradient of
// every trainable tensor (adapter weights and biases, both context tensors). Tolerance: 1e-5 + 1e-4·max|b| for activations,
// 1e-3 relative for losses and gradients, float32 against float64 references.
import * as assert from "assert";
import * as path from "path";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed, Fetched } from "../../../kernel/engine/runtime/session";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { textLevelMap } from "../../../kernel/methods/branches";
import { coopParamName, emitCoopText } from "../../../kernel/methods/madclip/coop";
import { buildMediclipTrainGraph } from "../../../kernel/methods/mediclip/graphs";
import { mediclipPromptLayouts } from "../../../kernel/methods/mediclip/prompts";
import { branchWithRule } from "../../../kernel/methods/scoredImages";
import { ClipTokenizer } from "../../../kernel/tokenizer";
import { parityFixtures, tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56;
const G = 7;
const TOKENS = G * G + 1;
const WIDTH = 64;
const ROWS = [2, 0]; // the batch: test_2, test_0
const TAPS = [4, 6, 8]; // the tiny model's analogue of 12 / 18 / 24

describe("methods/mediclip: adapters, level mean, loss and gradients vs MediCLIP (parity fixture)", function () {
  this.timeout(60_000);
  const ref = SafetensorsFile.open(path.join(parityFixtures, "mediclip.safetensors"));
  const backbone = readRef("backbone.safetensors");
  const model = ClipModel.load(tinyClipModel);
  const tw = model.textWeights();
  const tcfg = model.config.text!;
  const tok = ClipTokenizer.fromDirectory(tinyClipModel);
  const layouts = mediclipPromptLayouts(tok, tw, tcfg);
  const g = buildMediclipTrainGraph({
    levels: 3,
    width: WIDTH,
    proj: 32,
    grid: G,
    imageSize: S,
    batch: ROWS.length,
    textT: (b) => emitCoopText(b, tw, tcfg, layouts, "quick_gelu"),
    debugOutputs: true,
  });
  const trainable = [...g.params, ...g.textParams];
  const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt: trainable.map((p) => p.name) });
  let out: Record<string, Fetched>;
  before(async () => {
    const feeds: Record<string, Feed> = {
      label: { data: ref.readFloat32("label").data, dims: [ROWS.length, 1, S, S] },
    };
    TAPS.forEach((t, l) => {
      const all = backbone.readFloat32(`tap${t}_quickgelu_mediclip`).data;
      const data = new Float32Array(ROWS.length * TOKENS * WIDTH);
      ROWS.forEach((r, i) => data.set(all.subarray(r * TOKENS * WIDTH, (r + 1) * TOKENS * WIDTH), i * TOKENS * WIDTH));
      feeds[`tap${l}`] = { data, dims: [ROWS.length, TOKENS, WIDTH] };
    });
    for (const p of g.params) feeds[p.name] = { data: ref.readFloat32(p.name).data, dims: p.shape };
    for (const cls of ["normal", "abnormal"] as const) {
      const p = g.textParams.find((q) => q.name === coopParamName(cls))!;
      feeds[p.name] = { data: ref.readFloat32(`ctx.${cls}`).data, dims: p.shape };
    }
    const s = await createSession(encodeModel(grad.graph), { intraOpThreads: 1 });
    out = await s.run(feeds);
    await s.release();
  });
  after(() => model.close());

  it("every adapter tensor and both context tensors reach the loss", () =>
    assert.deepStrictEqual(grad.unreachable, []));

  it("mean over the 3 levels of L2norm(conv(tap))·T, before upsampling [B, 49, 2]", function () {
    const d = compare(out.logits.data as Float32Array, ref.readFloat32("logits_mean_f64").data);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  it("validate(): anomaly map channel 1 and image score = its max, as run.ts renders them (one fused level)", function () {
    const logits = out.logits.data as Float32Array;
    const expected = ref.readFloat32("anomaly_map_f64").data; // [B, 2, S, S]
    const maps = new Float64Array(ROWS.length * S * S);
    const want = new Float64Array(ROWS.length * S * S);
    const scores: number[] = [];
    const wantScores: number[] = [];
    ROWS.forEach((_, i) => {
      const grid = new Float64Array(G * G);
      for (let p = 0; p < G * G; p++) grid[p] = logits[(i * G * G + p) * 2 + 1] - logits[(i * G * G + p) * 2];
      const branch = branchWithRule("text", [{ grid, g: G, image: 0 }], textLevelMap, S, "max");
      maps.set(branch.render(branch.levels[0], S), i * S * S);
      scores.push(branch.image);
      const ch1 = expected.subarray((2 * i + 1) * S * S, (2 * i + 2) * S * S);
      want.set(ch1, i * S * S);
      wantScores.push(Math.max(...ch1));
    });
    const dm = compare(maps, want);
    const ds = compare(scores, wantScores);
    this.test!.title += ` — map ${fmt(dm)}; scores ${fmt(ds)}`;
    assert.ok(dm.ok, fmt(dm));
    assert.ok(ds.ok, fmt(ds));
  });

  it("loss [total, focal, dice] (focal casts the soft label to an integer class; dice uses it as is)", function () {
    const expected = ref.readFloat64("loss_f64").data;
    const actual = [Number(out.loss.data[0]), ...g.lossParts.map((n) => Number(out[n].data[0]))];
    const d = compare(actual, expected, 1e-3, 0);
    this.test!.title += ` — ${fmt(d)}: ${actual.map((v) => v.toFixed(6)).join(", ")}`;
    assert.ok(d.ok, `${fmt(d)}: ${actual} vs ${[...expected]}`);
  });

  const refGrad = (name: string) =>
    name.startsWith("adapters.")
      ? `grad.${name}_f64`
      : `grad.ctx.${name.includes("abnormal") ? "abnormal" : "normal"}_f64`;
  for (const p of trainable) {
    it(`d loss / d ${p.name}`, function () {
      const d = compare(
        out[grad.gradients[p.name]].data as Float32Array,
        ref.readFloat32(refGrad(p.name)).data,
        1e-3,
        0,
      );
      this.test!.title += ` — ${fmt(d)}`;
      assert.ok(d.ok, fmt(d));
    });
  }
});
