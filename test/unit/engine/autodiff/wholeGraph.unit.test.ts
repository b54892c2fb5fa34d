// Whole-graph gradient checks: a 2-block CLIP trunk (the fixture's real block weights: random, non-trivial biases)
// with MVFA-style residual adapters after each block and MVFA's full loss head (L2 norm, 100·f·T, softmax,
// bilinear upsample as MatMuls, focal + dice + BCE-on-probability). Gradients w.r.t. the adapter weights AND the
// input tokens (which exercises every trunk rule: LayerNorm, attention MatMuls, Softmax, Split, Reshape, Transpose,
// GELU) by central differences on the float64 version of the graph.
import * as assert from "assert";
import { toFloat64 } from "../../../../kernel/engine/autodiff/float64";
import { buildGradientGraph } from "../../../../kernel/engine/autodiff/gradient";
import { transformerBlock } from "../../../../kernel/engine/clip/block";
import { GraphBuilder } from "../../../../kernel/engine/ir/builder";
import type { Graph } from "../../../../kernel/engine/ir/types";
import type { Activation } from "../../../../kernel/engine/weights/clipConfig";
import { declareMvfaAdapters, mvfaAfterBlock } from "../../../../kernel/methods/mvfa/adapters";
import { mvfaLoss } from "../../../../kernel/methods/mvfa/loss";
import type { Feed } from "../../../../kernel/engine/runtime/session";
import { SeededRandom } from "../../../../kernel/util/random/xoshiro128";
import { loadTinyClip } from "../clipLoad";
import { checkGraph, uniform } from "./fdCheck";

const N = 10,
  GRID = 3,
  D = 64,
  PROJ = 32,
  S = 8;

function trunkGraph(activation: Activation): { graph: Graph; params: string[] } {
  const model = loadTinyClip();
  const b = new GraphBuilder("tiny_trunk");
  let x = b.input("tokens", "float32", [1, N, D]);
  const mask = b.input("mask", "float32", [1, 1, S, S]);
  const label = b.input("label", "float32", [1]);
  const adapters = declareMvfaAdapters(b, 2, D, PROJ);
  const hook = mvfaAfterBlock([1, 2], adapters);
  for (let i = 0; i < 2; i++) {
    x = b.scope(`block${i + 1}`, () =>
      transformerBlock(b, x, model.vision.blocks[i], { numHeads: 4, layerNormEps: 1e-5, activation }),
    );
    x = hook.hook(i, x, b, { tokens: N, width: D });
  }
  const random = new SeededRandom(3);
  const t = uniform(random, PROJ * 2);
  const loss = mvfaLoss(b, hook.segMed, hook.detMed, b.constF32("T", Float32Array.from(t), [PROJ, 2]), mask, label, {
    grid: GRID,
    imageSize: S,
    seg: true,
  });
  b.output(loss.total, "loss", "float32", []);
  return { graph: b.build(), params: adapters.params.map((p) => p.name) };
}

function feeds(params: string[]): Record<string, Feed> {
  const random = new SeededRandom(11);
  const f: Record<string, Feed> = {
    tokens: { data: uniform(random, N * D, -2, 2), dims: [1, N, D] },
    mask: { data: Float64Array.from({ length: S * S }, (_, i) => (i % 5 < 2 ? 1 : 0)), dims: [1, 1, S, S] },
    label: { data: Float64Array.of(1), dims: [1] },
  };
  // Adapter weights ×3 the PyTorch Linear init scale, so the residual re-entry changes block 2's input noticeably.
  for (const p of params) {
    const shape = p.includes("fc1") ? [PROJ, D] : [D, PROJ];
    f[p] = {
      data: uniform(random, shape[0] * shape[1], -3 / Math.sqrt(shape[1]), 3 / Math.sqrt(shape[1])),
      dims: shape,
    };
  }
  return f;
}

describe("engine/autodiff: whole-graph gradients (2-block trunk + residual adapters + MVFA loss)", () => {
  it("QuickGELU trunk, float64: adapter weights and input tokens vs central differences", async function () {
    const { graph, params } = trunkGraph("quick_gelu");
    const r = await checkGraph(toFloat64(graph), "loss", feeds(params), [...params, "tokens"], {
      maxCoords: 24,
      rtol: 1e-6,
    });
    this.test!.title += ` — max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
  });

  it("exact-GELU trunk (Erf kept in float32 between Casts): vs central differences with h 1e-3", async function () {
    const { graph, params } = trunkGraph("gelu");
    const r = await checkGraph(
      toFloat64(graph, { float32Ops: ["Erf"] }),
      "loss",
      feeds(params),
      [...params, "tokens"],
      { maxCoords: 24, h: 1e-3, rtol: 2e-3 },
    );
    this.test!.title += ` — max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
    assert.ok(r.ok, `max abs ${r.maxAbs}, rel ${r.maxRel}`);
  });

  it("frozen parts get no backward nodes: training only the level-2 adapter never differentiates the blocks", () => {
    const { graph, params } = trunkGraph("quick_gelu");
    const level2 = params.filter((p) => p.includes("adapters.1."));
    const g = buildGradientGraph(graph, { loss: "loss", wrt: level2 });
    assert.deepStrictEqual(
      g.differentiated.filter((v) => v.startsWith("block")),
      [],
    );
    assert.ok(g.differentiated.length > 0);
    const all = buildGradientGraph(graph, { loss: "loss", wrt: params });
    assert.ok(
      all.differentiated.some((v) => v.startsWith("block2/")),
      "level-1 adapters do backpropagate through block 2",
    );
    assert.ok(!all.differentiated.some((v) => v.startsWith("block1/")), "nothing trainable precedes block 1");
  });
});
