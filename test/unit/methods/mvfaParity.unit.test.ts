// MVFA training parity with the reference implementation on the tiny fixture model: adapted forward (residual
// re-entry through the afterBlock hook), the 13-entry loss vector and the gradient of every adapter weight, from ONE
// generated gradient graph. Tolerances from the fixture README: rtol 1e-4 / atol 1e-5 for activations, rtol 1e-3
// for losses and gradients, float32 against the _f64 references where they exist.
import * as assert from "assert";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed, Fetched } from "../../../kernel/engine/runtime/session";
import { buildMvfaTrainGraph } from "../../../kernel/methods/mvfa/trainGraph";
import { loadTinyClip, readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56;
const TAPS = [2, 4, 6, 8];

describe("methods/mvfa: adapted forward, losses and adapter gradients vs the reference (tiny CLIP)", () => {
  const model = loadTinyClip();
  const pre = readRef("pre.safetensors");
  const ref = readRef("mvfa.safetensors");
  const textT = readRef("text.safetensors").readFloat32("T_mvfa_brain_f64").data;
  const g = buildMvfaTrainGraph(model.vision, model.config.vision!, {
    taps: TAPS,
    textT,
    seg: true,
    batch: 1,
    debugOutputs: true,
  });
  const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt: g.params.map((p) => p.name) });
  const pick = (name: string, index: number, size: number) =>
    pre.readFloat32(name).data.slice(index * size, (index + 1) * size);
  const best = (name: string) => (ref.has(`${name}_f64`) ? `${name}_f64` : name);

  it("only the last level's fc2 weights (they feed nothing but the unused pooled output) have no path to the loss", () => {
    assert.deepStrictEqual(grad.unreachable.sort(), ["det_adapters.3.fc2.0.weight", "seg_adapters.3.fc2.0.weight"]);
  });

  it("cached prefix (input = residual after the first tap): same losses and gradients for test_2", async function () {
    const gc = buildMvfaTrainGraph(model.vision, model.config.vision!, {
      taps: TAPS,
      textT,
      seg: true,
      batch: 1,
      input: "firstTap",
    });
    const gradc = buildGradientGraph(gc.graph, { loss: gc.loss, wrt: gc.params.map((p) => p.name) });
    const backbone = readRef("backbone.safetensors");
    const feeds: Record<string, Feed> = {
      residual: {
        data: backbone.readFloat32("tap2_gelu_mvfa_f64").data.slice(2 * 50 * 64, 3 * 50 * 64),
        dims: [1, 50, 64],
      },
      mask: { data: pick("masks", 2, S * S), dims: [1, 1, S, S] },
      label: { data: Float32Array.of(1), dims: [1] },
    };
    for (const p of gc.params) feeds[p.name] = { data: ref.readFloat32(p.name).data, dims: p.shape };
    const s = await createSession(encodeModel(gradc.graph), { intraOpThreads: 1 });
    const out = await s.run(feeds);
    await s.release();
    const losses = compare(
      [Number(out.loss.data[0]), ...gc.lossParts.map((n) => Number(out[n].data[0]))],
      ref.readFloat64("loss_abn_f64").data,
      1e-3,
      0,
    );
    assert.ok(losses.ok, fmt(losses));
    let worst = 0;
    for (const p of gc.params) {
      const expected = ref.readFloat32(best(`grad_abn.${p.name}`)).data;
      const actual = out[gradc.gradients[p.name]].data as Float32Array;
      if (expected.every((v) => v === 0)) {
        assert.ok(actual.every((v) => v === 0));
        continue;
      }
      const d = compare(actual, expected, 1e-3, 0);
      worst = Math.max(worst, d.maxRel);
      assert.ok(d.ok, `${p.name}: ${fmt(d)}`);
    }
    assert.ok(!gradc.graph.nodes.some((n) => n.opType === "Conv"), "no trunk prefix in the graph");
    this.test!.title += ` — losses max rel ${losses.maxRel.toExponential(1)}, gradients max rel ${worst.toExponential(1)}`;
  });

  it("dynamic batch: [test_2, test_0] in one run gives the mean of the two reference losses and gradients", async function () {
    const gb = buildMvfaTrainGraph(model.vision, model.config.vision!, { taps: TAPS, textT, seg: true });
    const gradb = buildGradientGraph(gb.graph, { loss: gb.loss, wrt: gb.params.map((p) => p.name) });
    const two = (name: string, size: number) => {
      const out = new Float32Array(2 * size);
      out.set(pick(name, 2, size), 0);
      out.set(pick(name, 0, size), size);
      return out;
    };
    const feeds: Record<string, Feed> = {
      pixels: { data: two("pixels_mvfa", 3 * S * S), dims: [2, 3, S, S] },
      mask: { data: two("masks", S * S), dims: [2, 1, S, S] },
      label: { data: Float32Array.of(1, 0), dims: [2] },
    };
    for (const p of gb.params) feeds[p.name] = { data: ref.readFloat32(p.name).data, dims: p.shape };
    const s = await createSession(encodeModel(gradb.graph), { intraOpThreads: 1 });
    const out = await s.run(feeds);
    await s.release();
    const mean = (a: ArrayLike<number>, c: ArrayLike<number>) =>
      Float64Array.from({ length: a.length }, (_, i) => (a[i] + c[i]) / 2);
    const dl = compare(
      [Number(out.loss.data[0])],
      [mean(ref.readFloat64("loss_abn_f64").data, ref.readFloat64("loss_nrm_f64").data)[0]],
      1e-3,
      0,
    );
    assert.ok(dl.ok, fmt(dl));
    let worst = 0;
    for (const p of gb.params.filter((q) => !q.name.includes(".3.fc2"))) {
      const d = compare(
        out[gradb.gradients[p.name]].data as Float32Array,
        mean(ref.readFloat32(`grad_abn.${p.name}`).data, ref.readFloat32(`grad_nrm.${p.name}`).data),
        1e-3,
        0,
      );
      worst = Math.max(worst, d.maxRel);
      assert.ok(d.ok, `${p.name}: ${fmt(d)}`);
    }
    this.test!.title += ` — loss max rel ${dl.maxRel.toExponential(1)}, gradients max rel ${worst.toExponential(1)}`;
  });

  for (const [tag, image] of [
    ["abn", 2],
    ["nrm", 0],
  ] as const) {
    describe(`${tag === "abn" ? "abnormal test_2 (label 1, its mask)" : "normal test_0 (label 0, empty mask)"}`, () => {
      let out: Record<string, Fetched>;
      before(async () => {
        const feeds: Record<string, Feed> = {
          pixels: { data: pick("pixels_mvfa", image, 3 * S * S), dims: [1, 3, S, S] },
          mask: { data: pick("masks", image, S * S), dims: [1, 1, S, S] },
          label: { data: Float32Array.of(pre.readFloat32("labels").data[image]), dims: [1] },
        };
        for (const p of g.params) feeds[p.name] = { data: ref.readFloat32(p.name).data, dims: p.shape };
        const s = await createSession(encodeModel(grad.graph), { intraOpThreads: 1 });
        out = await s.run(feeds);
        await s.release();
      });

      if (tag === "abn") {
        it("med tokens per level and the adapted pooled output", function () {
          const msgs: string[] = [];
          TAPS.forEach((t, l) => {
            for (const head of ["seg", "det"]) {
              const r = ref.readFloat32(`${head}_med_tap${t}_f64`).data.slice(image * 50 * 32, (image + 1) * 50 * 32);
              const d = compare(out[`${head}_med${l}`].data as Float32Array, r);
              msgs.push(`${head}${t} ${d.maxRel.toExponential(1)}`);
              assert.ok(d.ok, `${head}_med_tap${t}: ${fmt(d)}`);
            }
          });
          const d = compare(
            out.pooled.data as Float32Array,
            ref.readFloat32("adapted_pooled_f64").data.slice(image * 32, (image + 1) * 32),
          );
          assert.ok(d.ok, `adapted_pooled: ${fmt(d)}`);
          this.test!.title += ` — max rel ${Math.max(d.maxRel, ...msgs.map((m) => Number(m.split(" ")[1]))).toExponential(1)}`;
        });
      }

      it(`loss vector [total, bce×4, (focal, dice)×4] vs loss_${tag}_f64`, function () {
        const expected = ref.readFloat64(`loss_${tag}_f64`).data;
        const actual = [Number(out.loss.data[0]), ...g.lossParts.map((n) => Number(out[n].data[0]))];
        const d = compare(actual, expected, 1e-3, 0);
        this.test!.title += ` — ${fmt(d)}`;
        assert.ok(d.ok, `${fmt(d)}: ${actual} vs ${[...expected]}`);
      });

      for (const p of g.params) {
        it(`d loss / d ${p.name}`, function () {
          const name = best(`grad_${tag}.${p.name}`);
          const expected = ref.readFloat32(name).data;
          const actual = out[grad.gradients[p.name]].data as Float32Array;
          if (expected.every((v) => v === 0)) {
            assert.ok(
              actual.every((v) => v === 0),
              "reference has no gradient here (torch None), so ours must be zeros",
            );
            this.test!.title += " — zeros (no path to the loss)";
            return;
          }
          const d = compare(actual, expected, 1e-3, 0);
          this.test!.title += ` vs ${name.endsWith("_f64") ? "f64" : "f32"} — ${fmt(d)}`;
          assert.ok(d.ok, fmt(d));
        });
      }
    });
  }
});
