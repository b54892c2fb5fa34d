// Finite-difference checks of the data-movement, reduction and normalisation rules (float64 unless noted).
import * as assert from "assert";
import { attr } from "../../../../kernel/engine/ir/builder";
import { fdCheck, inFloat32, runCases } from "./fdCheck";

const F32 = { h: 1e-3, rtol: 2e-3, atol: 1e-6 };

runCases("engine/autodiff: data-movement rules vs finite differences", [
  [
    "Reshape [2,3,4] → [0,-1] and Transpose",
    [{ name: "x", shape: [2, 3, 4] }],
    (b, [x]) => ({ y: b.transpose(b.reshape(x, [0, -1]), [1, 0]), shape: [12, 2] }),
  ],
  [
    "Transpose [0,2,3,1] of a rank-4 tensor",
    [{ name: "x", shape: [2, 3, 2, 2] }],
    (b, [x]) => ({ y: b.transpose(x, [0, 2, 3, 1]), shape: [2, 2, 2, 3] }),
  ],
  [
    "Concat of three along axis 1 (one input used twice)",
    [
      { name: "a", shape: [2, 1, 3] },
      { name: "c", shape: [2, 2, 3] },
    ],
    (b, [a, c]) => ({ y: b.concat([a, c, a], 1), shape: [2, 4, 3] }),
  ],
  [
    "Slice drops CLS (axis 1, 1:) and a negative-index slice",
    [{ name: "x", shape: [2, 5, 3] }],
    (b, [x]) => ({
      y: b.add(b.slice(x, [1], [5], [1]), b.slice(x, [-4, 0], [1000, 3], [1, 2])),
      shape: [2, 4, 3],
    }),
  ],
  [
    "Split into three, middle output unused",
    [{ name: "x", shape: [2, 6] }],
    (b, [x]) => {
      const [p, , r] = b.split(x, [2, 3, 1], 1);
      return { y: b.mul(p, r), shape: [2, 2] };
    },
  ],
  [
    "Gather: scalar index on axis 1 (CLS pooling)",
    [{ name: "x", shape: [2, 4, 3] }],
    (b, [x]) => ({ y: b.gather(x, b.initializer("i", "int64", [], BigInt64Array.of(0n)), 1), shape: [2, 3] }),
  ],
  [
    "Gather: repeated and negative indices on axis 0",
    [{ name: "x", shape: [5, 3] }],
    (b, [x]) => ({ y: b.gather(x, b.constI64("i", [1, 3, 1, -1], [2, 2]), 0), shape: [2, 2, 3] }),
  ],
  [
    "GatherND batch_dims 1 (EOT pooling) with index input",
    [
      { name: "x", shape: [2, 5, 3] },
      { name: "eot", shape: [2, 1], dtype: "int64", data: [3, 1] },
    ],
    (b, [x, eot]) => ({
      y: b.op("GatherND", [x, eot], { batch_dims: attr.i(1) }),
      shape: [2, 3],
    }),
  ],
  [
    "Expand [1,1,3] → [2,4,3] (class embedding)",
    [{ name: "x", shape: [1, 1, 3] }],
    (b, [x]) => ({ y: b.expand(x, b.constI64("s", [2, 4, 3])), shape: [2, 4, 3] }),
  ],
  [
    "Unsqueeze / Squeeze",
    [{ name: "x", shape: [2, 3] }],
    (b, [x]) => ({
      y: b.op("Squeeze", [b.mul(b.unsqueeze(x, [1]), b.unsqueeze(x, [1])), b.constI64("a", [1])]),
      shape: [2, 3],
    }),
  ],
]);

runCases("engine/autodiff: reduction rules vs finite differences", [
  [
    "ReduceSum axes [1] keepdims 0 and [0, 2] keepdims 1",
    [{ name: "x", shape: [2, 3, 4] }],
    (b, [x]) => {
      const s1 = b.op("ReduceSum", [x, b.constI64("a", [1])], { keepdims: attr.i(0) }); // [2, 4]
      const s2 = b.op("ReduceSum", [b.mul(x, x), b.constI64("a2", [0, 2])], { keepdims: attr.i(1) }); // [1, 3, 1]
      return { y: b.add(b.unsqueeze(s1, [1]), s2), shape: [2, 3, 4] };
    },
  ],
  [
    "ReduceMean over the last axis and over all",
    [{ name: "x", shape: [2, 3, 4] }],
    (b, [x]) => {
      const m = b.op("ReduceMean", [x], { axes: attr.is([-1]), keepdims: attr.i(1) });
      const all = b.op("ReduceMean", [b.mul(x, x)], { keepdims: attr.i(0) });
      return { y: b.add(b.mul(m, x), all), shape: [2, 3, 4] };
    },
  ],
  [
    "ReduceMax over axis 1 (distinct values)",
    [{ name: "x", shape: [2, 5, 3] }],
    (b, [x]) => ({ y: b.op("ReduceMax", [x], { axes: attr.is([1]), keepdims: attr.i(0) }), shape: [2, 3] }),
  ],
]);

runCases("engine/autodiff: normalisation rules vs finite differences", [
  [
    "Softmax over the last axis",
    [{ name: "x", shape: [2, 3, 4] }],
    (b, [x]) => ({ y: b.softmax(x, -1), shape: [2, 3, 4] }),
  ],
  [
    "Softmax over axis 1 (channels of a map)",
    [{ name: "x", shape: [2, 3, 2, 2] }],
    (b, [x]) => ({ y: b.softmax(x, 1), shape: [2, 3, 2, 2] }),
  ],
  [
    "LayerNormalization, float64 (stats recomputed), trainable γ and β",
    [
      { name: "x", shape: [2, 3, 5] },
      { name: "g", shape: [5] },
      { name: "be", shape: [5] },
    ],
    (b, [x, g, be]) => ({
      y: b.layerNorm(x, g, be, 1e-5),
      shape: [2, 3, 5],
    }),
  ],
  [
    "LayerNormalization, float32 (Mean/InvStdDev outputs reused)",
    [
      { name: "x", shape: [2, 3, 5] },
      { name: "g", shape: [5] },
      { name: "be", shape: [5] },
    ],
    (b, [x, g, be]) => ({
      y: b.cast(b.layerNorm(b.cast(x, "float32"), b.cast(g, "float32"), b.cast(be, "float32"), 1e-5), "float64"),
      shape: [2, 3, 5],
    }),
    F32,
  ],
  [
    "InstanceNorm over channels per token = LayerNorm without affine (γ = 1, β = 0)",
    [{ name: "x", shape: [2, 3, 6] }],
    (b, [x]) => ({
      y: b.layerNorm(
        x,
        b.initializer("one", "float64", [6], new Float64Array(6).fill(1)),
        b.initializer("zero", "float64", [6], new Float64Array(6)),
        1e-5,
      ),
      shape: [2, 3, 6],
    }),
  ],
  [
    "Softplus-based log-sigmoid through Cast (float32)",
    [{ name: "x", shape: [4] }],
    (b, [x]) => ({ y: inFloat32(b, x, (v) => b.op("Neg", [b.op("Softplus", [b.op("Neg", [v])])])), shape: [4] }),
    F32,
  ],
]);

describe("engine/autodiff: ReduceMax ties", () => {
  it("splits the gradient evenly among tied maxima (torch amax convention)", async () => {
    const r = await fdCheck([{ name: "x", shape: [1, 4], data: Float64Array.of(0.5, 2, 2, -1) }], (b, [x]) => ({
      y: b.op("ReduceMax", [x], { axes: attr.is([1]), keepdims: attr.i(0) }),
      shape: [1],
    }));
    const g = r.gradients.x;
    assert.ok(g[0] === 0 && g[3] === 0, `non-maxima get no gradient: ${[...g]}`);
    assert.ok(Math.abs(g[1] - g[2]) < 1e-15 && g[1] !== 0, `tied maxima share equally: ${[...g]}`);
  });
});
