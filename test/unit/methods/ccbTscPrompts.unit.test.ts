// MVFA's prompts "ccb-tsc" (text/ccbTscPrompts.ts): the normal column is the learnable CoOp column alone, the
// abnormal column is L2norm(learnable + manual) — checked against coopTextMatrix and the manual vector in float64.
import * as assert from "assert";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { COOP_ABNORMAL, COOP_NORMAL, coopLayout, coopTextMatrix } from "../../../kernel/methods/madclip/coop";
import type { MethodContext } from "../../../kernel/methods/method";
import { ccbTscPrompts } from "../../../kernel/methods/text/ccbTscPrompts";
import { ClipTokenizer } from "../../../kernel/tokenizer";
import { Rng } from "../../../kernel/util/random/rng";
import { tinyClipModel } from "../../helpers/fixturePaths";

describe("methods/text: CCB + TSC prompts (abnormal = manual + learnable, normal = learnable)", function () {
  this.timeout(60_000);
  const model = ClipModel.load(tinyClipModel);
  after(() => model.close());

  it("T = [c_n, L2norm(c_ab + m_ab)] with c the CoOp columns and m_ab the manual abnormal vector", async () => {
    const ctx = { model, modelDir: tinyClipModel, device: "cpu" } as unknown as MethodContext;
    const proj = model.textWeights().projection.shape[1];
    const rng = new Rng(3);
    const manual = new Float32Array(2 * proj);
    let n = 0;
    for (let d = 0; d < proj; d++) n += (manual[2 * d + 1] = rng.normal()) ** 2;
    for (let d = 0; d < proj; d++) manual[2 * d + 1] /= Math.sqrt(n);
    const p = ccbTscPrompts(ctx, "Brain", manual, 5);
    const got = await p.textMatrix(p.init);

    const tw = model.textWeights();
    const tcfg = model.config.text!;
    const tok = ClipTokenizer.fromDirectory(tinyClipModel);
    const layouts = {
      normal: coopLayout(tok, tw, tcfg.contextLength, COOP_NORMAL, "Brain"),
      abnormal: coopLayout(tok, tw, tcfg.contextLength, COOP_ABNORMAL, "Brain"),
    };
    const coop = await coopTextMatrix(tw, tcfg, layouts, p.init, { device: "cpu" });
    const mixed = Array.from({ length: proj }, (_, d) => coop[2 * d + 1] + manual[2 * d + 1]);
    const norm = Math.sqrt(mixed.reduce((a, v) => a + v * v, 0));
    for (let d = 0; d < proj; d++) {
      assert.ok(Math.abs(got[2 * d] - coop[2 * d]) < 1e-6, `normal column, row ${d}`);
      assert.ok(Math.abs(got[2 * d + 1] - mixed[d] / norm) < 1e-6, `abnormal column, row ${d}`);
    }
    // Not the learnable column alone: the manual part moves it.
    assert.ok(Array.from({ length: proj }, (_, d) => Math.abs(got[2 * d + 1] - coop[2 * d + 1])).some((x) => x > 1e-3));
    assert.match(p.label, /our design/);
  });
});
