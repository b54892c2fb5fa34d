// Finite-difference check of generated gradient graphs. The test builds a small forward graph; the harness adds
// loss = Σ y ⊙ R (R random, so every output element gets a distinct upstream gradient), builds the gradient graph,
// runs it once in ONNX Runtime and compares each trainable input's gradient with central differences of the loss,
// evaluated by running the forward graph in ORT as well.
import * as assert from "assert";
import { buildGradientGraph } from "../../../../kernel/engine/autodiff/gradient";
import { GraphBuilder, Value } from "../../../../kernel/engine/ir/builder";
import type { DType, Graph } from "../../../../kernel/engine/ir/types";
import { encodeModel } from "../../../../kernel/engine/onnx/writer";
import { createSession, EngineSession, Feed } from "../../../../kernel/engine/runtime/session";
import { SeededRandom } from "../../../../kernel/util/random/xoshiro128";

export interface FdInput {
  name: string;
  shape: number[];
  /** Defaults to uniform(−1, 1) values. */
  data?: number[] | Float64Array;
  /** Differentiate w.r.t. this input (default true). */
  trainable?: boolean;
  /** int64 inputs (indices) are fed as given and never trained. */
  dtype?: DType;
}

export interface FdOptions {
  /** Central-difference step (default 1e-6 for float64 graphs). */
  h?: number;
  /** Pass when max|fd − analytic| ≤ rtol · max|analytic| + atol. */
  rtol?: number;
  atol?: number;
  /** At most this many coordinates per input are perturbed (chosen at random beyond it). */
  maxCoords?: number;
  seed?: number;
}

export interface FdResult {
  maxAbs: number;
  maxRel: number;
  ok: boolean;
  graph: Graph;
  gradients: Record<string, Float64Array>;
}

export function uniform(random: SeededRandom, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * random.nextFloat());
}

/**
 * Builds y = build(b, inputs) in float64 (ops without double kernels must be wrapped in Casts by the test) and
 * checks dLoss/dInput for every trainable input.
 */
export async function fdCheck(
  inputs: FdInput[],
  build: (b: GraphBuilder, x: Value[]) => { y: Value; shape: number[] },
  opts: FdOptions = {},
): Promise<FdResult> {
  const random = new SeededRandom(opts.seed ?? 1234);
  const b = new GraphBuilder("fd");
  const values = inputs.map((i) => b.input(i.name, i.dtype ?? "float64", i.shape));
  const { y, shape } = build(b, values);
  const n = shape.reduce((p, q) => p * q, 1);
  const weights = b.initializer("upstream", "float64", shape, uniform(random, n));
  const loss = b.op(
    "ReduceSum",
    [
      b.mul(y, weights),
      b.constI64(
        "axes",
        shape.map((_, i) => i),
      ),
    ],
    { keepdims: { kind: "int", value: 0 } },
  );
  b.output(loss, "loss", "float64", []);
  const forward = b.build();
  const wrt = inputs.filter((i) => (i.dtype ?? "float64") === "float64" && i.trainable !== false).map((i) => i.name);

  const feeds: Record<string, Feed> = {};
  for (const i of inputs) {
    const count = i.shape.reduce((p, q) => p * q, 1);
    if (i.dtype === "int64")
      feeds[i.name] = { data: BigInt64Array.from((i.data ?? []) as number[], (v) => BigInt(v)), dims: i.shape };
    else feeds[i.name] = { data: Float64Array.from(i.data ?? uniform(random, count)), dims: i.shape };
  }
  return checkGraph(forward, "loss", feeds, wrt, opts, random);
}

/**
 * Central differences of the scalar `loss` of a float64 graph w.r.t. the float64 feeds named in `wrt`, against the
 * generated gradient graph.
 */
export async function checkGraph(
  forward: Graph,
  loss: string,
  feeds: Record<string, Feed>,
  wrt: string[],
  opts: FdOptions = {},
  random = new SeededRandom(opts.seed ?? 99),
): Promise<FdResult> {
  const grad = buildGradientGraph(forward, { loss, wrt, keepOutputs: [], lossOutput: loss });
  // "basic": no contrib fusions (QuickGelu, FusedMatMul) — they have float32 kernels only.
  const fs = await createSession(encodeModel(forward), { intraOpThreads: 1, graphOptimizationLevel: "basic" });
  const gs = await createSession(encodeModel(grad.graph), { intraOpThreads: 1, graphOptimizationLevel: "basic" });
  const lossOf = async (s: EngineSession) => Number((await s.run(feeds, [loss]))[loss].data[0]);
  try {
    const out = await gs.run(feeds);
    const gradients: Record<string, Float64Array> = {};
    let maxAbs = 0;
    let maxRef = 0;
    const base = await lossOf(fs);
    if (Math.abs(Number(out[loss].data[0]) - base) > 1e-12 * Math.max(1, Math.abs(base)))
      throw new Error(`gradient graph loss ${out[loss].data[0]} ≠ forward loss ${base}`);
    for (const name of wrt) {
      const g = out[grad.gradients[name]].data as Float64Array;
      gradients[name] = g;
      const x = feeds[name].data as Float64Array;
      const count = x.length;
      const maxCoords = opts.maxCoords ?? 40;
      const coords =
        count <= maxCoords
          ? [...Array(count).keys()]
          : Array.from({ length: maxCoords }, () => Math.floor(random.nextFloat() * count));
      for (const c of coords) {
        const keep = x[c];
        const h = (opts.h ?? 1e-6) * Math.max(1, Math.abs(keep));
        x[c] = keep + h;
        const up = await lossOf(fs);
        x[c] = keep - h;
        const down = await lossOf(fs);
        x[c] = keep;
        const fd = (up - down) / (2 * h);
        maxAbs = Math.max(maxAbs, Math.abs(fd - g[c]));
      }
      for (const v of g) maxRef = Math.max(maxRef, Math.abs(v));
    }
    const rtol = opts.rtol ?? 1e-7;
    const atol = opts.atol ?? 1e-9;
    return {
      maxAbs,
      maxRel: maxRef > 0 ? maxAbs / maxRef : maxAbs,
      ok: maxRef > 0 && maxAbs <= rtol * maxRef + atol,
      graph: grad.graph,
      gradients,
    };
  } finally {
    await fs.release();
    await gs.release();
  }
}

/** Wraps a float32-only op: x (float64) → Cast f32 → op → Cast f64. */
export function inFloat32(b: GraphBuilder, x: Value, op: (x32: Value) => Value): Value {
  return b.cast(op(b.cast(x, "float32")), "float64");
}

export type Case = [string, FdInput[], (b: GraphBuilder, x: Value[]) => { y: Value; shape: number[] }, FdOptions?];

/** One mocha test per case; the title reports the measured max abs / relative error. */
export function runCases(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const [name, inputs, build, opts] of cases) {
      it(name, async function () {
        const r = await fdCheck(inputs, build, opts);
        this.test!.title += ` — max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
        assert.ok(r.ok, `finite differences disagree: max abs ${r.maxAbs}, rel ${r.maxRel}`);
      });
    }
  });
}
