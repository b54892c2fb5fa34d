// MadCLIP training parity on cached taps (tiny CLIP fixture): MFCFC intermediates, dual-contrast scores, the 13-entry
// loss vector and the gradient of all 24 adapter weights from one generated gradient graph. Fixture tolerances:
// rtol 1e-4 / atol 1e-5 for activations and scores, rtol 1e-3 for losses and gradients, vs _f64 where present.
import * as assert from "assert";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed, Fetched } from "../../../kernel/engine/runtime/session";
import { buildMadclipTrainGraph } from "../../../kernel/methods/madclip/trainGraph";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56,
  TOKENS = 50,
  WIDTH = 64,
  PROJ = 32;
const TAPS = [2, 4, 6, 8];

describe("methods/madclip: MFCFC dual adapters, scores, losses and adapter gradients vs the reference (tiny CLIP)", () => {
  const pre = readRef("pre.safetensors");
  const backbone = readRef("backbone.safetensors");
  const ref = readRef("madclip.safetensors");
  const g = buildMadclipTrainGraph({
    levels: 4,
    width: WIDTH,
    proj: PROJ,
    grid: 7,
    imageSize: S,
    textT: ref.readFloat32("T").data,
    seg: true,
    batch: 1,
    debugOutputs: true,
  });
  const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt: g.params.map((p) => p.name) });
  const best = (name: string) => (ref.has(`${name}_f64`) ? `${name}_f64` : name);

  it("every adapter weight has a path to the loss", () => assert.deepStrictEqual(grad.unreachable, []));

  for (const [tag, image] of [
    ["abn", 2],
    ["nrm", 0],
  ] as const) {
    describe(`${tag === "abn" ? "abnormal test_2" : "normal test_0"}`, () => {
      let out: Record<string, Fetched>;
      before(async () => {
        const feeds: Record<string, Feed> = {
          mask: { data: pre.readFloat32("masks").data.slice(image * S * S, (image + 1) * S * S), dims: [1, 1, S, S] },
          label: { data: Float32Array.of(pre.readFloat32("labels").data[image]), dims: [1] },
        };
        TAPS.forEach((t, l) => {
          const size = TOKENS * WIDTH;
          feeds[`tap${l}`] = {
            data: backbone.readFloat32(`tap${t}_gelu_mvfa_f64`).data.slice(image * size, (image + 1) * size),
            dims: [1, TOKENS, WIDTH],
          };
        });
        for (const p of g.params) feeds[p.name] = { data: ref.readFloat32(p.name).data, dims: p.shape };
        const s = await createSession(encodeModel(grad.graph), { intraOpThreads: 1 });
        out = await s.run(feeds);
        await s.release();
      });

      it("det and seg scores per level", function () {
        let worst = 0;
        TAPS.forEach((t, l) => {
          for (const kind of ["det", "seg"]) {
            const r = ref.readFloat32(`${kind}_scores_tap${t}_f64`).data.slice(image * 49 * 2, (image + 1) * 49 * 2);
            const d = compare(out[`${kind}_scores${l}`].data as Float32Array, r);
            worst = Math.max(worst, d.maxRel);
            assert.ok(d.ok, `${kind}_scores_tap${t}: ${fmt(d)}`);
          }
        });
        this.test!.title += ` — max rel ${worst.toExponential(1)}`;
      });

      if (tag === "nrm") {
        it("InstanceNorm output h of both branches (test_0, all levels)", () => {
          TAPS.forEach((t, l) => {
            for (const br of ["normal", "abnormal"]) {
              const d = compare(out[`${br}_h${l}`].data as Float32Array, ref.readFloat32(`${br}_h_tap${t}_test0`).data);
              assert.ok(d.ok, `${br}_h_tap${t}: ${fmt(d)}`);
            }
          });
        });
      }

      it(`loss vector [total, siglip×4, (focal, dice)×4] vs ${best(`loss_${tag}`)}`, function () {
        const expected = ref.readFloat64(best(`loss_${tag}`)).data;
        const actual = [Number(out.loss.data[0]), ...g.lossParts.map((n) => Number(out[n].data[0]))];
        const d = compare(actual, expected, 1e-3, 0);
        this.test!.title += ` — ${fmt(d)}`;
        assert.ok(d.ok, `${fmt(d)}: ${actual} vs ${[...expected]}`);
      });

      for (const p of g.params) {
        it(`d loss / d ${p.name}`, function () {
          const name = best(`grad_${tag}.${p.name}`);
          const d = compare(out[grad.gradients[p.name]].data as Float32Array, ref.readFloat32(name).data, 1e-3, 0);
          this.test!.title += ` vs ${name.endsWith("_f64") ? "f64" : "f32"} — ${fmt(d)}`;
          assert.ok(d.ok, fmt(d));
        });
      }
    });
  }
});
