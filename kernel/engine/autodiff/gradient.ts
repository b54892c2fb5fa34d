// Reverse-mode differentiation over the graph IR. Given a forward graph that computes a scalar loss from trainable
// graph inputs (adapter weights, prompt vectors), emits ONE graph that returns the loss, the kept forward outputs and
// dLoss/dInput for every trainable input. Frozen weights stay initializers; only nodes that lie on a path from a
// trainable input to the loss get backward nodes (everything else is pure forward).
import { GraphBuilder, Value } from "../ir/builder";
import type { Graph, NodeDef } from "../ir/types";
import { GradContext, Rule } from "./context";
import { elementwiseRules } from "./rules/elementwise";
import { matmulRules } from "./rules/matmul";
import { normRules } from "./rules/norm";
import { reduceRules } from "./rules/reduce";
import { shapeRules } from "./rules/shape";
import { unaryRules } from "./rules/unary";
import { inferShapes, ShapeInfo } from "./shapes";

export const RULES: Record<string, Rule> = {
  ...elementwiseRules,
  ...unaryRules,
  ...matmulRules,
  ...normRules,
  ...shapeRules,
  ...reduceRules,
};

/** Ops whose output carries no gradient (piecewise-constant or integer-valued). */
const NON_DIFFERENTIABLE = new Set([
  "Shape",
  "Size",
  "ArgMax",
  "ArgMin",
  "Equal",
  "Greater",
  "Less",
  "GreaterOrEqual",
  "LessOrEqual",
  "Not",
  "And",
  "Or",
  "Sign",
  "Floor",
  "Ceil",
  "Round",
  "ConstantOfShape",
  "Range",
]);

export interface GradientOptions {
  /** Name of the scalar loss value (one element, e.g. shape [] or [1]). */
  loss: string;
  /** Graph inputs to differentiate with respect to. */
  wrt: string[];
  /** Forward outputs to keep (default: all outputs of the forward graph). */
  keepOutputs?: string[];
  /** Output name of the loss (default "loss"). */
  lossOutput?: string;
  /** Output name of each gradient (default `grad.<input>`). */
  gradName?: (input: string) => string;
}

export interface GradientGraph {
  graph: Graph;
  lossOutput: string;
  /** Trainable input → gradient output name (same shape as the input). */
  gradients: Record<string, string>;
  /** Trainable inputs with no path to the loss; their gradient outputs are zeros (torch would give None). */
  unreachable: string[];
  /** Forward values that received a gradient (the differentiated subgraph), for inspection and tests. */
  differentiated: string[];
}

const isFloat = (dtype: string) => dtype === "float32" || dtype === "float64" || dtype === "float16";

/** Values that depend on a trainable input (through differentiable ops) and reach the loss. */
function neededValues(graph: Graph, shapes: ShapeInfo, wrt: Set<string>, loss: string): Set<string> {
  const fwd = new Set(wrt);
  for (const n of graph.nodes) {
    if (NON_DIFFERENTIABLE.has(n.opType) || !n.inputs.some((i) => fwd.has(i))) continue;
    for (const o of n.outputs) if (o && isFloat(shapes.meta.get(o)?.dtype ?? "")) fwd.add(o);
  }
  const bwd = new Set([loss]);
  for (let k = graph.nodes.length - 1; k >= 0; k--) {
    const n = graph.nodes[k];
    if (n.outputs.some((o) => bwd.has(o))) for (const i of n.inputs) if (i) bwd.add(i);
  }
  return new Set([...fwd].filter((v) => bwd.has(v)));
}

/** Float32 LayerNorms on the gradient path also emit Mean/InvStdDev, which their backward rule reuses. */
function withNormStats(graph: Graph, shapes: ShapeInfo, needed: Set<string>): Graph {
  const nodes = graph.nodes.map((n): NodeDef => {
    if (n.opType !== "LayerNormalization" || !needed.has(n.outputs[0]) || n.outputs.length >= 3) return n;
    if (shapes.meta.get(n.inputs[0])?.dtype !== "float32") return n;
    return { ...n, outputs: [n.outputs[0], `${n.outputs[0]}/mean`, `${n.outputs[0]}/inv_std`] };
  });
  return { ...graph, nodes };
}

export function buildGradientGraph(forward: Graph, opts: GradientOptions): GradientGraph {
  const lossOutput = opts.lossOutput ?? "loss";
  const gradName = opts.gradName ?? ((i: string) => `grad.${i}`);
  const inputNames = new Set(forward.inputs.map((i) => i.name));
  for (const w of opts.wrt)
    if (!inputNames.has(w))
      throw new Error(
        `autodiff: "${w}" is not an input of graph "${forward.name}" (trainable tensors must be graph inputs)`,
      );
  const shapes0 = inferShapes(forward);
  if (lossOutput !== opts.loss && shapes0.meta.has(lossOutput))
    throw new Error(`autodiff: graph "${forward.name}" already has a value named "${lossOutput}"; pass lossOutput`);
  const lossMeta = shapes0.meta.get(opts.loss);
  if (!lossMeta) throw new Error(`autodiff: loss "${opts.loss}" is not a value of graph "${forward.name}"`);
  if (!lossMeta.shape.every((d) => d === 1))
    throw new Error(`autodiff: loss "${opts.loss}" must have one element, has shape [${lossMeta.shape.join(", ")}]`);

  const needed = neededValues(forward, shapes0, new Set(opts.wrt), opts.loss);
  const graph = withNormStats(forward, shapes0, needed);
  const shapes = inferShapes(graph);
  const b = GraphBuilder.fromGraph(graph, false);
  const ctx = new GradContext(b, shapes);

  const contribs = new Map<string, Value[]>();
  const push = (name: string, g: Value) => {
    const list = contribs.get(name);
    if (list) list.push(g);
    else contribs.set(name, [g]);
  };
  const total = (name: string): Value | null => {
    const list = contribs.get(name);
    if (!list || list.length === 0) return null;
    if (list.length === 1) return list[0];
    const s = b.op("Sum", list);
    contribs.set(name, [s]);
    return s;
  };

  const seed =
    lossMeta.shape.length === 0
      ? ctx.scalar(1, lossMeta.dtype)
      : b.expand(ctx.scalar(1, lossMeta.dtype), b.shape({ name: opts.loss }));
  push(opts.loss, seed);

  b.scope("grad", () => {
    for (let k = graph.nodes.length - 1; k >= 0; k--) {
      const n = graph.nodes[k];
      if (!n.outputs.some((o) => needed.has(o) && contribs.has(o))) continue;
      const rule = RULES[n.opType];
      if (!rule)
        throw new Error(
          `autodiff: no backward rule for ${n.opType} (node ${n.name}), which lies between a trainable input and the loss`,
        );
      const dOut = n.outputs.map((o) => (needed.has(o) ? total(o) : null));
      const need = n.inputs.map((i) => i !== "" && needed.has(i));
      const dIn = rule(ctx, n, dOut, need);
      dIn.forEach((g, i) => {
        if (g && need[i]) push(n.inputs[i], g);
      });
    }
  });

  const keep = opts.keepOutputs ? forward.outputs.filter((o) => opts.keepOutputs!.includes(o.name)) : forward.outputs;
  if (opts.keepOutputs)
    for (const name of opts.keepOutputs)
      if (!keep.some((o) => o.name === name))
        throw new Error(`autodiff: "${name}" is not an output of graph "${forward.name}"`);
  for (const o of keep) if (o.name !== lossOutput) b.output({ name: o.name }, o.name, o.dtype, o.shape);
  b.output({ name: opts.loss }, lossOutput, lossMeta.dtype, lossMeta.shape);

  const gradients: Record<string, string> = {};
  const unreachable: string[] = [];
  for (const w of opts.wrt) {
    const info = forward.inputs.find((i) => i.name === w)!;
    let g = total(w);
    if (!g) {
      unreachable.push(w);
      g = ctx.zerosLike({ name: w });
    }
    gradients[w] = b.output(g, gradName(w), info.dtype, info.shape).name;
  }
  return {
    graph: b.build(),
    lossOutput,
    gradients,
    unreachable,
    differentiated: [...needed].filter((v) => contribs.has(v)),
  };
}
