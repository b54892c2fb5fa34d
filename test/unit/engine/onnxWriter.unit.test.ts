import * as assert from "assert";
import { attr, GraphBuilder, GraphError } from "../../../kernel/engine/ir/builder";
import { varintBytes } from "../../../kernel/engine/onnx/protobuf";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession } from "../../../kernel/engine/runtime/session";
import { decode, str } from "./protoDecode";

function smallGraph() {
  const b = new GraphBuilder("small");
  const x = b.input("x", "float32", ["batch", 3]);
  const w = b.constF32("w", [1, 2, 3, 4, 5, 6], [3, 2]);
  const y = b.add(b.matmul(x, w), b.scalar(0.5));
  b.output(b.softmax(y, -1), "p", "float32", ["batch", 2]);
  b.output(y, "y", "float32", ["batch", 2]);
  return b.build();
}

describe("engine/onnx: protobuf + ONNX writer", () => {
  it("encodes varints, including int64 negatives as 10-byte two's complement", () => {
    assert.deepStrictEqual([...varintBytes(0)], [0]);
    assert.deepStrictEqual([...varintBytes(300)], [0xac, 0x02]);
    assert.deepStrictEqual([...varintBytes(2 ** 35)], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    assert.deepStrictEqual([...varintBytes(-1)], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.deepStrictEqual([...varintBytes(-2n)], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it("writes IR 8, opset 17 and the graph under the ONNX field numbers", () => {
    const model = decode(encodeModel(smallGraph()).model);
    assert.strictEqual(model.get(1)![0].varint, 8n); // ir_version
    const opset = decode(model.get(8)![0].bytes!);
    assert.strictEqual(str(opset.get(1)?.[0]), "");
    assert.strictEqual(opset.get(2)![0].varint, 17n);
    const graph = decode(model.get(7)![0].bytes!);
    assert.strictEqual(str(graph.get(2)![0]), "small");
    const ops = graph.get(1)!.map((n) => str(decode(n.bytes!).get(4)![0]));
    assert.deepStrictEqual(ops, ["MatMul", "Add", "Softmax", "Identity", "Identity"]);
    const softmax = decode(graph.get(1)![2].bytes!);
    const axisAttr = decode(softmax.get(5)![0].bytes!);
    assert.strictEqual(str(axisAttr.get(1)![0]), "axis");
    assert.strictEqual(axisAttr.get(3)![0].varint, BigInt.asUintN(64, -1n)); // i = -1
    assert.strictEqual(axisAttr.get(20)![0].varint, 2n); // type INT
    // Initializer w: dims [3, 2], FLOAT, raw_data little-endian.
    const inits = graph.get(5)!.map((t) => decode(t.bytes!));
    const w = inits.find((t) => str(t.get(8)![0]).startsWith("w_"))!;
    assert.deepStrictEqual(
      w.get(1)!.map((f) => f.varint),
      [3n, 2n],
    );
    assert.strictEqual(w.get(2)![0].varint, 1n);
    const raw = w.get(9)![0].bytes!;
    assert.deepStrictEqual([...new Float32Array(raw.slice().buffer)], [1, 2, 3, 4, 5, 6]);
    // Input with a symbolic batch dimension (dim_param).
    const input = decode(graph.get(11)![0].bytes!);
    assert.strictEqual(str(input.get(1)![0]), "x");
    const tensorType = decode(decode(input.get(2)![0].bytes!).get(1)![0].bytes!);
    const dims = decode(tensorType.get(2)![0].bytes!)
      .get(1)!
      .map((d) => decode(d.bytes!));
    assert.strictEqual(str(dims[0].get(2)![0]), "batch");
    assert.strictEqual(dims[1].get(1)![0].varint, 3n);
  });

  it("runs in onnxruntime with the expected values", async () => {
    const s = await createSession(encodeModel(smallGraph()), { intraOpThreads: 1 });
    const r = await s.run({ x: { data: Float32Array.of(1, 0, 0, 0, 1, 1), dims: [2, 3] } });
    assert.deepStrictEqual([...r.y.data], [1.5, 2.5, 8.5, 10.5]);
    const p = r.p.data as Float32Array;
    assert.ok(Math.abs(p[1] - 1 / (1 + Math.exp(-1))) < 1e-6);
    await s.release();
  });

  it("writes float, ints and string attributes that ORT accepts", async () => {
    const b = new GraphBuilder("attrs");
    const x = b.input("x", "float32", [1, 1, 4]);
    const ln = b.layerNorm(x, b.constF32("g", [1, 1, 1, 1], [4]), b.constF32("b", [0, 0, 0, 0], [4]), 0.25); // float attr
    const t = b.transpose(ln, [2, 0, 1]); // ints attr
    const lrelu = b.op("LeakyRelu", [t], { alpha: attr.f(0.5) });
    const padded = b.op("Pad", [lrelu, b.constI64("pads", [0, 0, 0, 0, 0, 0])], { mode: attr.s("constant") }); // string attr
    b.output(padded, "y", "float32", [4, 1, 1]);
    const s = await createSession(encodeModel(b.build()), { intraOpThreads: 1 });
    const r = await s.run({ x: { data: Float32Array.of(-1, 0, 1, 2), dims: [1, 1, 4] } });
    // LN with eps 0.25: mean 0.5, var 1.25 → (x − 0.5)/√1.5; negatives halved by LeakyRelu.
    const expect = [-1, 0, 1, 2].map((v) => (v - 0.5) / Math.sqrt(1.5)).map((v) => (v < 0 ? 0.5 * v : v));
    (r.y.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-6, `${v} vs ${expect[i]}`));
  });

  it("moves weights to external data when the model would pass the protobuf limit, and ORT still loads it", async () => {
    const g = smallGraph();
    const enc = encodeModel(g, { maxProtoBytes: 1 });
    assert.ok(enc.externalData, "expected external data");
    assert.strictEqual(enc.externalData!.tensors.length, g.initializers.length);
    const inlineRaw = decode(decode(decode(enc.model).get(7)![0].bytes!).get(5)![0].bytes!);
    assert.strictEqual(inlineRaw.get(9), undefined, "no raw_data when external");
    assert.strictEqual(inlineRaw.get(14)![0].varint, 1n); // data_location = EXTERNAL
    const s = await createSession(enc, { intraOpThreads: 1 });
    const r = await s.run({ x: { data: Float32Array.of(1, 0, 0, 0, 1, 1), dims: [2, 3] } });
    assert.deepStrictEqual([...r.y.data], [1.5, 2.5, 8.5, 10.5]);
    assert.strictEqual(encodeModel(g).externalData, undefined, "small models stay in memory");
  });

  it("builder rejects undefined inputs, duplicate outputs, wrong initializer sizes and empty graphs", () => {
    const b = new GraphBuilder("bad");
    const x = b.input("x", "float32", [2]);
    assert.throws(
      () => b.add(x, { name: "nope" }),
      (e: Error) => e instanceof GraphError && /"nope" is not defined/.test(e.message),
    );
    assert.throws(() => b.initializer("w", "float32", [2, 2], new Float32Array(3)), /need 4 elements, got 3/);
    assert.throws(() => b.input("x", "float32", [2]), /defined twice/);
    assert.throws(() => new GraphBuilder("empty").build(), /no outputs/);
    b.output(x, "y", "float32", [2]);
    assert.throws(() => b.output(x, "y", "float32", [2]), /defined twice|declared twice/);
  });
});
