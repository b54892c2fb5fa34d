/**
 * The memory branch's nearest-neighbour search as one ONNX Runtime session per bank: max over the bank of q·m is a
 * MatMul [n, D]×[D, M] followed by ReduceMax, which ORT's GEMM runs tens of times faster than a JavaScript loop
 * (a ViT-L 4-shot bank is 1,160 tokens × 1,024 dims per tap; MVFA's augmented bank 11× that). Products are float32
 * sums instead of branches.ts's float64 ones (differences ~1e-7 in distance). Leave-one-out queries stay in
 * branches.ts, which can skip an owner's tokens.
 */
import { attr, GraphBuilder } from "../engine/ir/builder";
import { encodeModel } from "../engine/onnx/writer";
import type { Device } from "../engine/runtime/device";
import { createSession, EngineSession } from "../engine/runtime/session";
import { l2NormalizedRows, MemoryBank, TokenGrid } from "./branches";

export interface MemoryScorer {
  /** Per patch (tokens 1..g²): 1 − max cos over the bank. */
  distances(tokens: TokenGrid): Promise<Float64Array>;
  release(): Promise<void>;
}

export async function createMemoryScorer(bank: MemoryBank, device: Device = "cpu"): Promise<MemoryScorer> {
  const { dim, count } = bank;
  if (count === 0) throw new RangeError("the memory bank is empty");
  const bankT = new Float32Array(dim * count);
  for (let j = 0; j < count; j++) for (let d = 0; d < dim; d++) bankT[d * count + j] = bank.data[j * dim + d];
  const b = new GraphBuilder("memory_bank");
  const q = b.input("queries", "float32", ["n", dim]);
  const sims = b.matmul(q, b.initializer("bank_t", "float32", [dim, count], bankT));
  b.output(b.op("ReduceMax", [sims], { axes: attr.is([1]), keepdims: attr.i(0) }), "max_cos", "float32", ["n"]);
  const session: EngineSession = await createSession(encodeModel(b.build()), { device });
  return {
    async distances(tokens) {
      if (tokens.dim !== dim)
        throw new RangeError(`feature width ${tokens.dim} does not match the memory bank's ${dim}`);
      const n = tokens.grid * tokens.grid;
      const qn = Float32Array.from(l2NormalizedRows(tokens.data, dim, 1));
      const out = (await session.run({ queries: { data: qn, dims: [n, dim] } })).max_cos.data as Float32Array;
      const dist = new Float64Array(n);
      for (let p = 0; p < n; p++) dist[p] = 1 - out[p];
      return dist;
    },
    release: () => session.release(),
  };
}
