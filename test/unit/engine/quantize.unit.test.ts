import * as assert from "assert";
import { buildVisionGraph } from "../../../kernel/engine/clip/vision";
import { int8MatMulBias, quantizeColumns } from "../../../kernel/engine/clip/quantize";
import { GraphBuilder } from "../../../kernel/engine/ir/builder";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession } from "../../../kernel/engine/runtime/session";
import { loadTinyClip, readRef } from "./clipLoad";

function cosineRows(a: ArrayLike<number>, b: ArrayLike<number>, dim: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < a.length / dim; r++) {
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let j = r * dim; j < (r + 1) * dim; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    out.push(ab / Math.sqrt(aa * bb));
  }
  return out;
}

describe("engine/clip: optional int8 weights (DynamicQuantizeMatMul)", () => {
  it("quantises per output column symmetrically to 7 bits: |error| ≤ scale/2 and the column maximum maps to ±63", () => {
    const w = Float32Array.of(0.5, -2, 0.25, 1, -0.1, 0.3); // [K=3, N=2]
    const { q, scale } = quantizeColumns(w, 3, 2);
    assert.deepStrictEqual([...scale], [Math.fround(0.5 / 63), Math.fround(2 / 63)]);
    assert.strictEqual(q[0], 63);
    assert.strictEqual(q[1], -63);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(q[i] * scale[i % 2] - w[i]) <= scale[i % 2] / 2 + 1e-9);
  });

  it("one int8 MatMul is within 2 % RMS of float (guards the AVX2 int16-saturation problem of 8-bit weights)", async function () {
    const [m, k, n] = [50, 64, 48];
    let seed = 1;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), (seed / 2147483648) * 2 - 1);
    const w = new Float32Array(k * n).map((_, i) => r() * ((i % n) + 1));
    const bias = new Float32Array(n).map(() => r());
    const x = new Float32Array(m * k).map(() => r());
    const b = new GraphBuilder("q");
    b.output(int8MatMulBias(b, b.input("x", "float32", [m, k]), w, k, n, bias, "l"), "y", "float32", [m, n]);
    const s = await createSession(encodeModel(b.build()), { intraOpThreads: 1 });
    const y = (await s.run({ x: { data: x, dims: [m, k] } })).y.data as Float32Array;
    let num = 0,
      den = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = bias[j];
        for (let t = 0; t < k; t++) acc += x[i * k + t] * w[t * n + j];
        num += (y[i * n + j] - acc) ** 2;
        den += acc * acc;
      }
    const rel = Math.sqrt(num / den);
    this.test!.title += ` — ${(rel * 100).toFixed(2)} %`;
    assert.ok(rel < 0.02 && rel > 0, `relative RMS error ${rel}`);
  });

  it("the int8 tiny-CLIP pooled embedding stays close to the float reference (cosine ≥ 0.99)", async function () {
    const model = loadTinyClip();
    const g = buildVisionGraph(model.vision, model.config.vision!, { int8: true });
    assert.strictEqual(
      g.graph.nodes.filter((n) => n.opType === "DynamicQuantizeMatMul" && n.domain === "com.microsoft").length,
      4 * 8,
    );
    const inits = new Set(g.graph.initializers.map((t) => t.name));
    const weightMatMuls = g.graph.nodes.filter((n) => n.opType === "MatMul" && inits.has(n.inputs[1]));
    assert.strictEqual(weightMatMuls.length, 1, "only the pooled projection stays float");
    const s = await createSession(encodeModel(g.graph), { intraOpThreads: 1 });
    const pixels = readRef("pre.safetensors")
      .readFloat32("pixels_mvfa")
      .data.subarray(0, 3 * 3 * 56 * 56);
    const r = await s.run({ pixels: { data: pixels, dims: [3, 3, 56, 56] } });
    const cos = cosineRows(
      r.pooled.data as Float32Array,
      readRef("backbone.safetensors").readFloat64("pooled_gelu_mvfa_f64").data,
      32,
    );
    this.test!.title += ` — cosines ${cos.map((c) => c.toFixed(5)).join(", ")}`;
    for (const c of cos) assert.ok(c >= 0.99 && c < 1 - 1e-9, `cosine ${c}`); // close, but genuinely quantised
  });
});
