// Shape inference that autodiff relies on: broadcasting with symbolic dims, Reshape's -1 with cancelling symbols,
// and constant propagation through the dynamic-batch CLS expansion (Shape → Slice → Concat → Expand).
import * as assert from "assert";
import { broadcastShapes, inferShapes } from "../../../../kernel/engine/autodiff/shapes";
import { GraphBuilder } from "../../../../kernel/engine/ir/builder";

describe("engine/autodiff: shape inference", () => {
  it("broadcasts numbers and symbols, and rejects incompatible sizes", () => {
    assert.deepStrictEqual(broadcastShapes(["batch", 1, 4], [3, 1]), ["batch", 3, 4]);
    assert.deepStrictEqual(broadcastShapes([2, 3], [3]), [2, 3]);
    assert.throws(() => broadcastShapes([2, 3], [4]), /do not broadcast/);
  });

  it("Reshape -1 cancels symbolic dims; the CLS Expand resolves to [batch, 1, D]", () => {
    const b = new GraphBuilder("s");
    const x = b.input("x", "float32", ["batch", 1, 8, 8]);
    const flat = b.reshape(x, [0, -1]);
    const rows = b.reshape(x, [-1, 8]);
    const batchDim = b.slice(b.shape(x), [0], [1], [0]);
    const cls = b.expand(
      b.constF32("cls", new Float32Array(5), [1, 1, 5]),
      b.concat([batchDim, b.constI64("d", [1, 5])], 0),
    );
    b.output(b.mul(flat, flat), "a", "float32", ["batch", 64]);
    b.output(rows, "r", "float32", ["?", 8]);
    b.output(cls, "c", "float32", ["batch", 1, 5]);
    const s = inferShapes(b.build());
    assert.deepStrictEqual(s.meta.get(flat.name)!.shape, ["batch", 64]);
    assert.strictEqual(typeof s.meta.get(rows.name)!.shape[0], "string", "batch·8 is not a named dim");
    assert.deepStrictEqual(s.meta.get(cls.name)!.shape, ["batch", 1, 5]);
  });
});
