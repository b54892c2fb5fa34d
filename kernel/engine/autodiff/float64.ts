// Converts a float32 graph to float64 for finite-difference checks of its gradient: central differences need ~1e-12
// precision to check a rule to 1e-8. Float initializers, inputs, outputs, Casts and ConstantOfShape values become
// double. ORT's CPU provider has no double kernel for Erf, Conv and InstanceNormalization (measured with
// onnxruntime-node 1.30): those nodes are refused here — check them in float32 with a looser tolerance instead.
// Softplus (no double kernel either) is rewritten as Relu(x) + Log(1 + Exp(−|x|)): the same function, whose
// composite gradient equals σ(x) everywhere except exactly at x = 0 — fine for random-input checks of the rest.
import type { Attribute, Graph, NodeDef, TensorData } from "../ir/types";

export const NO_DOUBLE_KERNEL = new Set(["Erf", "Softplus", "Conv", "InstanceNormalization"]);
const REWRITTEN = new Set(["Softplus"]);

function tensor64(t: TensorData): TensorData {
  if (t.dtype !== "float32") return t;
  return { ...t, dtype: "float64", data: Float64Array.from(t.data as Float32Array) };
}

function node64(n: NodeDef): NodeDef {
  if (NO_DOUBLE_KERNEL.has(n.opType) && !REWRITTEN.has(n.opType))
    throw new Error(`toFloat64: ${n.opType} (node ${n.name}) has no float64 kernel in ONNX Runtime's CPU provider`);
  const attributes: Record<string, Attribute> = { ...n.attributes };
  if (n.opType === "Cast" && attributes.to?.kind === "int" && attributes.to.value === 1)
    attributes.to = { kind: "int", value: 11 };
  const v = attributes.value;
  if (v && v.kind === "tensor") attributes.value = { kind: "tensor", value: tensor64(v.value) };
  // LayerNormalization's Mean/InvStdDev stay float32 in ORT even for double inputs; only output 0 is kept.
  const outputs = n.opType === "LayerNormalization" ? n.outputs.slice(0, 1) : n.outputs;
  return { ...n, attributes, outputs };
}

/** softplus(x) = relu(x) + log(1 + exp(−|x|)) in ops that have double kernels. */
function softplus64(n: NodeDef, one: string): NodeDef[] {
  const [x] = n.inputs;
  const y = n.outputs[0];
  const t = (s: string) => `${y}/f64_${s}`;
  const node = (opType: string, inputs: string[], out: string): NodeDef => ({
    name: `${out}/node`,
    opType,
    domain: "",
    inputs,
    outputs: [out],
    attributes: {},
  });
  return [
    node("Relu", [x], t("relu")),
    node("Abs", [x], t("abs")),
    node("Neg", [t("abs")], t("neg")),
    node("Exp", [t("neg")], t("exp")),
    node("Add", [t("exp"), one], t("onep")),
    node("Log", [t("onep")], t("log")),
    node("Add", [t("relu"), t("log")], y),
  ];
}

/** x → Cast f32 → op → Cast f64: keeps a float32-only op (Erf) in a double graph, at float32 precision. */
function inFloat32(n: NodeDef): NodeDef[] {
  const cast = (input: string, out: string, to: number): NodeDef => ({
    name: `${out}/cast_node`,
    opType: "Cast",
    domain: "",
    inputs: [input],
    outputs: [out],
    attributes: { to: { kind: "int", value: to } },
  });
  const x32 = `${n.outputs[0]}/f32_in`;
  const y32 = `${n.outputs[0]}/f32_out`;
  return [
    cast(n.inputs[0], x32, 1),
    { ...n, inputs: [x32, ...n.inputs.slice(1)], outputs: [y32] },
    cast(y32, n.outputs[0], 11),
  ];
}

export interface Float64Options {
  /** Unary ops to run in float32 between Casts (e.g. ["Erf"] for exact-GELU trunks); FD tolerances must allow ~1e-7 noise. */
  float32Ops?: string[];
}

export function toFloat64(graph: Graph, opts: Float64Options = {}): Graph {
  const io = (v: Graph["inputs"][number]) => (v.dtype === "float32" ? { ...v, dtype: "float64" as const } : v);
  const one: TensorData = { name: "f64_softplus_one", dtype: "float64", dims: [], data: Float64Array.of(1) };
  const f32 = new Set(opts.float32Ops ?? []);
  const nodes = graph.nodes.flatMap((n) =>
    f32.has(n.opType) ? inFloat32(n) : REWRITTEN.has(n.opType) ? softplus64(n, one.name) : [node64(n)],
  );
  const usesOne = nodes.some((n) => n.inputs.includes(one.name));
  return {
    ...graph,
    nodes,
    initializers: [...graph.initializers.map(tensor64), ...(usesOne ? [one] : [])],
    inputs: graph.inputs.map(io),
    outputs: graph.outputs.map(io),
  };
}
