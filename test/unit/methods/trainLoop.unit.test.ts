// The pieces together: one gradient session, reused for every step (weights are inputs, so no session is rebuilt),
// Adam (MadCLIP settings: lr 1e-3, betas (0.5, 0.999)) on the returned gradients. On a fixed image the loss must fall.
import * as assert from "assert";
import { buildGradientGraph } from "../../../kernel/engine/autodiff/gradient";
import { GradientSession } from "../../../kernel/engine/autodiff/gradientSession";
import { Adam } from "../../../kernel/engine/optim/adam";
import type { Feed } from "../../../kernel/engine/runtime/session";
import { buildMadclipTrainGraph } from "../../../kernel/methods/madclip/trainGraph";
import { readRef } from "../engine/clipLoad";

describe("methods: training loop (MadCLIP adapters, tiny CLIP, Adam)", () => {
  it("10 Adam steps on test_2 lower the loss, and the session is reused across steps", async () => {
    const pre = readRef("pre.safetensors");
    const backbone = readRef("backbone.safetensors");
    const ref = readRef("madclip.safetensors");
    const g = buildMadclipTrainGraph({
      levels: 4,
      width: 64,
      proj: 32,
      grid: 7,
      imageSize: 56,
      textT: ref.readFloat32("T").data,
      seg: true,
      batch: 1,
    });
    const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt: g.params.map((p) => p.name), keepOutputs: [] });
    const session = await GradientSession.create(grad, g.params, { intraOpThreads: 1 });
    const params: Record<string, Float32Array> = {};
    for (const p of g.params) params[p.name] = ref.readFloat32(p.name).data.slice();
    const opt = new Adam(params, { lr: 1e-3, betas: [0.5, 0.999] });
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
    const losses: number[] = [];
    for (let step = 0; step < 10; step++) {
      const r = await session.run(feeds, params);
      losses.push(r.loss);
      opt.step(r.gradients);
    }
    await session.release();
    assert.ok(
      Math.abs(losses[0] - ref.readFloat64("loss_abn").data[0]) < 1e-3 * losses[0],
      "step 0 = the reference loss",
    );
    assert.ok(losses[9] < losses[0] - 0.05, `loss falls: ${losses.map((l) => l.toFixed(4)).join(" → ")}`);
    for (let i = 1; i < losses.length; i++)
      assert.ok(losses[i] < losses[i - 1], `monotone on a single image at lr 1e-3: ${losses.join(", ")}`);
  });
});
