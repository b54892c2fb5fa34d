// Finite-difference checks (float64, central differences, all coordinates of small inputs) of the elementwise,
// broadcasting and MatMul backward rules. Ops without a double kernel in ORT (Erf, Softplus) and float32
// LayerNorm are checked through float32 Casts with a looser tolerance (float32 rounding / h ≈ 1e-4 relative).
import { attr } from "../../../../kernel/engine/ir/builder";
import { Case, FdOptions, inFloat32, runCases } from "./fdCheck";

const pos = (n: number, lo = 0.5, hi = 2) =>
  Float64Array.from({ length: n }, (_, i) => lo + ((i * 0.618034) % 1) * (hi - lo));
const F32: FdOptions = { h: 1e-3, rtol: 2e-3, atol: 1e-6 };

const unary = (op: string, a: Record<string, ReturnType<typeof attr.f>> = {}, data?: Float64Array): Case => [
  op,
  [{ name: "x", shape: [3, 4], data }],
  (b, [x]) => ({ y: b.op(op, [x], a), shape: [3, 4] }),
];

runCases("engine/autodiff: unary rules vs finite differences", [
  unary("Sigmoid"),
  unary("Exp"),
  unary("Log", {}, pos(12)),
  unary("Sqrt", {}, pos(12)),
  unary("Tanh"),
  unary("Neg"),
  unary("Abs"),
  unary("Reciprocal", {}, pos(12)),
  unary("Identity"),
  unary("Relu"),
  unary("LeakyRelu", { alpha: attr.f(0.01) }),
  unary("LeakyRelu", { alpha: attr.f(0.2) }),
  [
    "Erf (float32)",
    [{ name: "x", shape: [3, 4] }],
    (b, [x]) => ({ y: inFloat32(b, x, (v) => b.erf(v)), shape: [3, 4] }),
    F32,
  ],
  [
    "Softplus (float32)",
    [{ name: "x", shape: [3, 4], data: pos(12, -6, 6) }],
    (b, [x]) => ({ y: inFloat32(b, x, (v) => b.op("Softplus", [v])), shape: [3, 4] }),
    F32,
  ],
  [
    "Clip to [−0.5, 0.3] (constant bounds)",
    [{ name: "x", shape: [3, 4] }],
    (b, [x]) => ({
      y: b.op("Clip", [
        x,
        b.initializer("lo", "float64", [], Float64Array.of(-0.5)),
        b.initializer("hi", "float64", [], Float64Array.of(0.3)),
      ]),
      shape: [3, 4],
    }),
  ],
  [
    "Pow x^2.5 and x^2",
    [{ name: "x", shape: [2, 3], data: pos(6) }],
    (b, [x]) => {
      const p = b.initializer("p", "float64", [], Float64Array.of(2.5));
      const two = b.initializer("two", "float64", [], Float64Array.of(2));
      return { y: b.add(b.op("Pow", [x, p]), b.op("Pow", [x, two])), shape: [2, 3] };
    },
  ],
  [
    "QuickGELU x·σ(1.702x) (composite)",
    [{ name: "x", shape: [3, 4], data: pos(12, -3, 3) }],
    (b, [x]) => {
      const k = b.initializer("k", "float64", [], Float64Array.of(1.702));
      return { y: b.mul(x, b.sigmoid(b.mul(x, k))), shape: [3, 4] };
    },
  ],
  [
    "exact GELU ½x(1+erf(x/√2)) (composite, float32)",
    [{ name: "x", shape: [3, 4], data: pos(12, -3, 3) }],
    (b, [x]) => ({
      y: inFloat32(b, x, (v) =>
        b.mul(b.mul(v, b.add(b.erf(b.mul(v, b.scalar(Math.SQRT1_2))), b.scalar(1))), b.scalar(0.5)),
      ),
      shape: [3, 4],
    }),
    F32,
  ],
]);

runCases("engine/autodiff: broadcasting binary rules vs finite differences", [
  [
    "Add/Sub/Mul/Div with [2,3,4], [4], [3,1], [1] and a scalar",
    [
      { name: "a", shape: [2, 3, 4] },
      { name: "b", shape: [4] },
      { name: "c", shape: [3, 1] },
      { name: "d", shape: [1] },
      { name: "e", shape: [], data: Float64Array.of(0.7) },
    ],
    (g, [a, b, c, d, e]) => {
      const denom = g.add(g.op("Abs", [c]), g.initializer("one", "float64", [], Float64Array.of(1)));
      return { y: g.div(g.sub(g.mul(g.add(a, b), c), g.mul(d, e)), denom), shape: [2, 3, 4] };
    },
  ],
  [
    "Div: both operands broadcast ([2,1,4] / [3,1])",
    [
      { name: "a", shape: [2, 1, 4] },
      { name: "c", shape: [3, 1], data: pos(3) },
    ],
    (g, [a, c]) => ({ y: g.div(a, c), shape: [2, 3, 4] }),
  ],
  [
    "Where(cond, a, b) with broadcast b",
    [
      { name: "a", shape: [2, 3] },
      { name: "b", shape: [3] },
    ],
    (g, [a, b]) => {
      const cond = g.op("Greater", [a, g.initializer("z", "float64", [], Float64Array.of(0))]);
      return { y: g.op("Where", [cond, g.mul(a, a), b]), shape: [2, 3] };
    },
  ],
  [
    "Sum of three (fan-out of one input)",
    [
      { name: "a", shape: [2, 3] },
      { name: "b", shape: [3] },
    ],
    (g, [a, b]) => ({ y: g.op("Sum", [a, g.mul(a, a), b]), shape: [2, 3] }),
  ],
]);

runCases("engine/autodiff: MatMul rules vs finite differences", [
  [
    "activations [2,3,4] · weight [4,5] (weight gradient as one GEMM)",
    [
      { name: "x", shape: [2, 3, 4] },
      { name: "w", shape: [4, 5] },
    ],
    (b, [x, w]) => ({ y: b.matmul(x, w), shape: [2, 3, 5] }),
  ],
  [
    "batched [2,3,4] · [2,4,5]",
    [
      { name: "a", shape: [2, 3, 4] },
      { name: "c", shape: [2, 4, 5] },
    ],
    (b, [a, c]) => ({ y: b.matmul(a, c), shape: [2, 3, 5] }),
  ],
  [
    "broadcast batch [2,1,3,4] · [1,2,4,5]",
    [
      { name: "a", shape: [2, 1, 3, 4] },
      { name: "c", shape: [1, 2, 4, 5] },
    ],
    (b, [a, c]) => ({ y: b.matmul(a, c), shape: [2, 2, 3, 5] }),
  ],
  [
    "matrix [3,4] · batch [2,4,5] (left operand broadcast)",
    [
      { name: "a", shape: [3, 4] },
      { name: "c", shape: [2, 4, 5] },
    ],
    (b, [a, c]) => ({ y: b.matmul(a, c), shape: [2, 3, 5] }),
  ],
  [
    "attention Q·Kᵀ with Transpose",
    [
      { name: "q", shape: [2, 3, 4] },
      { name: "k", shape: [2, 3, 4] },
    ],
    (b, [q, k]) => ({ y: b.matmul(q, b.transpose(k, [0, 2, 1])), shape: [2, 3, 3] }),
  ],
]);
