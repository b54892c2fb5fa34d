// Adam/AdamW against torch.optim (torch 1.13, float32 parameters): three steps on a 5-element parameter with the
// values printed by torch (script in the test comment below), including MVFA's betas (0.5, 0.999), Adam's L2 weight
// decay and AdamW's decoupled decay; state round trip through toState/fromState.
//   p0 = [0.5, -1.25, 2.0, 0.0, 3e-3]; grads g1, g2, g3 below; opt.step() after each; record p and the moments.
import * as assert from "assert";
import * as path from "path";
import { Adam, AdamOptions, AdamW } from "../../../kernel/engine/optim/adam";
import { adamStateFromTensors, adamStateToTensors } from "../../../kernel/engine/optim/adamTensors";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { writeSafetensors } from "../../../kernel/engine/weights/safetensorsWrite";
import { tempDir } from "./helpers";

const P0 = [0.5, -1.25, 2.0, 0.0, 3e-3];
const GRADS = [
  [0.1, -0.2, 0.3, 1e-4, -5.0],
  [-0.05, 0.4, 0.0, 2e-4, 1.0],
  [0.2, 0.2, -0.3, -1e-3, 0.5],
];
const TORCH: Record<
  string,
  { opts: AdamOptions; w: boolean; params: number[][]; expAvg: number[]; expAvgSq: number[] }
> = {
  "Adam lr 1e-3 betas (0.5, 0.999) (MVFA/MadCLIP)": {
    opts: { lr: 1e-3, betas: [0.5, 0.999] },
    w: false,
    params: [
      [0.49900001287460327, -1.2489999532699585, 1.9989999532699585, -0.000999900046736002, 0.003999999724328518],
      [0.49900001287460327, -1.2496323585510254, 1.9985284805297852, -0.0020537679083645344, 0.004277413710951805],
      [0.49813634157180786, -1.2503395080566406, 1.9990533590316772, -0.001209026318974793, 0.0043257311917841434],
    ],
    expAvg: [0.10000000149011612, 0.17500001192092896, -0.11250000447034836, -0.00043750001350417733, -0.125],
    expAvgSq: [
      5.2477513236226514e-5, 0.0002397600474068895, 0.00017982011195272207, 1.0499401348340598e-9, 0.02619902789592743,
    ],
  },
  "Adam lr 1e-2, eps 1e-6, weight decay 0.1 (L2 in the gradient)": {
    opts: { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0.1 },
    w: false,
    params: [
      [0.49000006914138794, -1.2400000095367432, 1.9900000095367432, -0.009900989942252636, 0.012999996542930603],
      [0.4833493232727051, -1.2397119998931885, 1.9810218811035156, -0.00337099377065897, 0.018108002841472626],
      [0.47522372007369995, -1.2406150102615356, 1.9753926992416382, 0.004695776849985123, 0.021411217749118805],
    ],
    expAvg: [
      0.03689349442720413, 0.00611787848174572, 0.04822021350264549, -0.00019671885820571333, -0.26467761397361755,
    ],
    expAvgSq: [
      8.412626630160958e-5, 0.00018729407747741789, 0.00029944482957944274, 2.421447486966599e-9, 0.026200449094176292,
    ],
  },
  "AdamW lr 1e-2, betas (0.9, 0.99), weight decay 0.05 (decoupled)": {
    opts: { lr: 1e-2, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0.05 },
    w: true,
    params: [
      [0.4897499978542328, -1.2393749952316284, 1.9889999628067017, -0.00999900046736002, 0.01299850083887577],
      [0.48683813214302063, -1.2424112558364868, 1.9812896251678467, -0.019632140174508095, 0.018112972378730774],
      [0.4800305664539337, -1.246982455253601, 1.9811575412750244, -0.015034753829240799, 0.021425435319542885],
    ],
    expAvg: [
      0.023600000888109207, 0.039799999445676804, -0.005700001958757639, -7.390000973828137e-5, -0.26499998569488525,
    ],
    expAvgSq: [
      0.0005227600340731442, 0.0023760402109473944, 0.0017820901703089476, 1.0494010993511438e-8, 0.2574249804019928,
    ],
  },
};

/** float32 results of torch vs ours: a few float32 ulps of the value (torch rounds every intermediate to float32). */
function close(a: ArrayLike<number>, b: number[], what: string): void {
  for (let i = 0; i < b.length; i++) {
    const tol = 4 * 2 ** -23 * Math.max(Math.abs(b[i]), 1e-3) + 1e-12;
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs torch ${b[i]} (tol ${tol})`);
  }
}

describe("engine/optim: Adam and AdamW match torch.optim", () => {
  for (const [title, t] of Object.entries(TORCH)) {
    it(title, () => {
      const p = { w: Float32Array.from(P0) };
      const opt = t.w ? new AdamW(p, t.opts) : new Adam(p, t.opts);
      GRADS.forEach((g, k) => {
        opt.step({ w: g });
        close(p.w, t.params[k], `step ${k + 1} params`);
      });
      const s = opt.toState();
      assert.strictEqual(s.step, 3);
      close(s.expAvg.w, t.expAvg, "exp_avg");
      close(s.expAvgSq.w, t.expAvgSq, "exp_avg_sq");
    });
  }

  it("toState/fromState: a restored optimiser continues exactly like the original", () => {
    const a = { w: Float32Array.from(P0) };
    const opt = new AdamW(a, { lr: 1e-2, weightDecay: 0.05 });
    opt.step({ w: GRADS[0] });
    const saved = opt.toState();
    const b = { w: a.w.slice() };
    const restored = Adam.fromState(b, saved);
    assert.ok(restored instanceof AdamW);
    opt.step({ w: GRADS[1] });
    restored.step({ w: GRADS[1] });
    assert.deepStrictEqual([...b.w], [...a.w]);
    assert.notDeepStrictEqual([...saved.expAvg.w], [...opt.toState().expAvg.w], "the saved state is a copy");
  });

  it("state survives a safetensors round trip (moments as F32 tensors, settings as metadata)", () => {
    const a = { "seg_adapters.0.fc1.0.weight": Float32Array.from(P0), other: Float32Array.of(1, 2) };
    const opt = new Adam(a, { lr: 1e-3, betas: [0.5, 0.999] });
    opt.step({ "seg_adapters.0.fc1.0.weight": GRADS[0], other: [0.5, -0.5] });
    const { tensors, metadata } = adamStateToTensors(opt.toState());
    const file = path.join(tempDir(), "optim.safetensors");
    writeSafetensors(file, tensors, metadata);
    const st = SafetensorsFile.open(file);
    const state = adamStateFromTensors(st.names(), (n) => st.readFloat32(n).data, st.metadata);
    st.close();
    const b = { "seg_adapters.0.fc1.0.weight": a["seg_adapters.0.fc1.0.weight"].slice(), other: a.other.slice() };
    const restored = Adam.fromState(b, state);
    opt.step({ "seg_adapters.0.fc1.0.weight": GRADS[1], other: [0.1, 0.1] });
    restored.step({ "seg_adapters.0.fc1.0.weight": GRADS[1], other: [0.1, 0.1] });
    assert.deepStrictEqual(
      [...b["seg_adapters.0.fc1.0.weight"], ...b.other],
      [...a["seg_adapters.0.fc1.0.weight"], ...a.other],
    );
    assert.strictEqual(restored.steps, 2);
    assert.throws(() => adamStateFromTensors([], () => new Float32Array(), {}), /metadata "optim.kind" is missing/);
  });

  it("rejects mismatched gradients, unknown names and state for another model", () => {
    const p = { w: new Float32Array(3) };
    const opt = new Adam(p, { lr: 1e-3 });
    assert.throws(() => opt.step({ w: [1, 2] }), /has 2 elements, the parameter 3/);
    assert.throws(() => opt.step({ x: [1, 2, 3] }), /unknown parameter "x"/);
    assert.throws(() => Adam.fromState({ w: new Float32Array(4) }, opt.toState()), /parameter "w"/);
    assert.throws(() => new Adam(p, { lr: 1e-3, betas: [1, 0.9] }), /invalid Adam settings/);
  });
});
