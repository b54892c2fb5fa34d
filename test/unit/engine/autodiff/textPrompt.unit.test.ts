// Learnable prompts: gradients w.r.t. the text encoder's input embeddings (CoOp path: no causal mask, EOT pooling by
// GatherND, ln_final, projection) of the tiny fixture text tower, by central differences on the float64 graph
// (Erf kept in float32 between Casts, so h = 1e-3 and a 2e-3 tolerance).
import * as assert from "assert";
import { toFloat64 } from "../../../../kernel/engine/autodiff/float64";
import { buildTextGraph } from "../../../../kernel/engine/clip/text";
import { attr, GraphBuilder } from "../../../../kernel/engine/ir/builder";
import type { Graph } from "../../../../kernel/engine/ir/types";
import { SeededRandom } from "../../../../kernel/util/random/xoshiro128";
import { loadTinyClip } from "../clipLoad";
import { checkGraph, uniform } from "./fdCheck";

/** Appends loss = Σ text_embeds ⊙ R to a built text graph. */
function withLoss(g: Graph, rows: number, proj: number): Graph {
  const b = GraphBuilder.fromGraph(g, false);
  const r = b.constF32("R", Float32Array.from(uniform(new SeededRandom(8), rows * proj)), [rows, proj]);
  const loss = b.op("ReduceSum", [b.mul({ name: "text_embeds" }, r), b.constI64("axes", [0, 1])], {
    keepdims: attr.i(0),
  });
  b.output(loss, "loss", "float32", []);
  return b.build();
}

describe("engine/autodiff: learnable prompt embeddings through the text tower", () => {
  it("d loss / d input_embeds (no causal mask, 2 prompts) vs central differences", async function () {
    const model = loadTinyClip();
    const text = model.config.text!;
    const t = buildTextGraph(model.text, text, { input: "embeddings", causalMask: false, batch: 2 });
    const g = withLoss(t.graph, 2, model.text.projection.shape[1]);
    const random = new SeededRandom(21);
    const feeds = {
      input_embeds: { data: uniform(random, 2 * 77 * text.hiddenSize), dims: [2, 77, text.hiddenSize] },
      eot_index: { data: BigInt64Array.of(9n, 12n), dims: [2] },
    };
    const r = await checkGraph(toFloat64(g, { float32Ops: ["Erf"] }), "loss", feeds, ["input_embeds"], {
      maxCoords: 30,
      h: 1e-3,
      rtol: 2e-3,
    });
    this.test!.title += ` — max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
    // Without the causal mask every position (padding included) influences the EOT output.
    const grad = r.gradients.input_embeds;
    const row = (p: number) => grad.subarray(p * text.hiddenSize, (p + 1) * text.hiddenSize).some((v) => v !== 0);
    assert.ok(row(70) && row(0), "positions before and after EOT receive gradient");
  });

  it("with the causal mask (−inf above the diagonal), positions after EOT get exactly zero gradient", async function () {
    const model = loadTinyClip();
    const text = model.config.text!;
    const t = buildTextGraph(model.text, text, { input: "embeddings", causalMask: true, batch: 1 });
    const g = withLoss(t.graph, 1, model.text.projection.shape[1]);
    const feeds = {
      input_embeds: { data: uniform(new SeededRandom(4), 77 * text.hiddenSize), dims: [1, 77, text.hiddenSize] },
      eot_index: { data: BigInt64Array.of(6n), dims: [1] },
    };
    const r = await checkGraph(toFloat64(g, { float32Ops: ["Erf"] }), "loss", feeds, ["input_embeds"], {
      maxCoords: 20,
      h: 1e-3,
      rtol: 2e-3,
    });
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
    const grad = r.gradients.input_embeds;
    const w = text.hiddenSize;
    assert.ok(
      grad.subarray(7 * w).every((v) => v === 0),
      "no gradient after EOT",
    );
    assert.ok(
      grad.subarray(0, 7 * w).some((v) => v !== 0),
      "gradient up to EOT",
    );
  });
});
