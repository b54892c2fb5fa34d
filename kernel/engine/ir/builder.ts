// Builder API for the graph IR: creates uniquely named values, records nodes in topological order (each op is added
// after its inputs exist), and checks the graph before handing it to the writer.
import {
  Attribute,
  DType,
  Dim,
  Graph,
  NodeDef,
  TensorArray,
  TensorData,
  ValueInfo,
  numElements,
  onnxDataType,
} from "./types";

/** A handle to a value (tensor) in the graph under construction. */
export interface Value {
  readonly name: string;
}

export type AttrInput = Attribute | undefined;

export const attr = {
  f: (value: number): Attribute => ({ kind: "float", value }),
  i: (value: number): Attribute => ({ kind: "int", value }),
  s: (value: string): Attribute => ({ kind: "string", value }),
  fs: (value: number[]): Attribute => ({ kind: "floats", value }),
  is: (value: number[]): Attribute => ({ kind: "ints", value }),
};

export class GraphError extends Error {}

export class GraphBuilder {
  private readonly nodes: NodeDef[] = [];
  private readonly initializers: TensorData[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly defined = new Set<string>();
  private readonly opsets: Record<string, number> = { "": 17 };
  private readonly scopes: string[] = [];
  private counter = 0;

  constructor(readonly name = "graph") {}

  /**
   * A builder that continues an existing graph (used by autodiff to append backward nodes): nodes, initializers and
   * inputs are kept; outputs only when `keepOutputs` (default true).
   */
  static fromGraph(graph: Graph, keepOutputs = true): GraphBuilder {
    const b = new GraphBuilder(graph.name);
    for (const v of graph.inputs) b.input(v.name, v.dtype, v.shape);
    for (const t of graph.initializers) {
      b.define(t.name);
      b.initializers.push(t);
    }
    for (const n of graph.nodes) {
      for (const o of n.outputs) if (o !== "") b.define(o);
      b.nodes.push(n);
    }
    if (keepOutputs) b.outputs.push(...graph.outputs.map((o) => ({ ...o, shape: [...o.shape] })));
    Object.assign(b.opsets, graph.opsets);
    return b;
  }

  /** Runs `fn` with names prefixed by `scope/` (readable names in profiles and errors). */
  scope<T>(scope: string, fn: () => T): T {
    this.scopes.push(scope);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A fresh name under the current scope. */
  fresh(hint: string): string {
    const prefix = this.scopes.length > 0 ? this.scopes.join("/") + "/" : "";
    let name: string;
    do name = `${prefix}${hint}_${this.counter++}`;
    while (this.defined.has(name));
    return name;
  }

  private define(name: string): void {
    if (name === "") throw new GraphError("graph values need a non-empty name");
    if (this.defined.has(name)) throw new GraphError(`graph value "${name}" is defined twice`);
    this.defined.add(name);
  }

  has(name: string): boolean {
    return this.defined.has(name);
  }

  input(name: string, dtype: DType, shape: Dim[]): Value {
    this.define(name);
    this.inputs.push({ name, dtype, shape: [...shape] });
    return { name };
  }

  /** Declares `v` as a graph output called `name` (an Identity is inserted when the names differ). */
  output(v: Value, name: string, dtype: DType, shape: Dim[]): Value {
    let outName = v.name;
    if (name !== v.name) {
      this.define(name);
      this.nodes.push({
        name: `${name}/identity`,
        opType: "Identity",
        domain: "",
        inputs: [v.name],
        outputs: [name],
        attributes: {},
      });
      outName = name;
    }
    if (this.outputs.some((o) => o.name === outName))
      throw new GraphError(`graph output "${outName}" is declared twice`);
    this.outputs.push({ name: outName, dtype, shape: [...shape] });
    return { name: outName };
  }

  /** A frozen tensor stored in the model (raw_data). `data` is referenced, not copied. */
  initializer(hint: string, dtype: DType, dims: number[], data: TensorArray): Value {
    if (numElements(dims) !== data.length) {
      throw new GraphError(
        `initializer "${hint}": dims [${dims.join(", ")}] need ${numElements(dims)} elements, got ${data.length}`,
      );
    }
    const name = this.fresh(hint);
    this.define(name);
    this.initializers.push({ name, dtype, dims: [...dims], data });
    return { name };
  }

  constF32(hint: string, data: ArrayLike<number>, dims: number[]): Value {
    return this.initializer(hint, "float32", dims, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  /** float32 scalar (rank 0) — broadcasts against anything. */
  scalar(value: number, hint = "scalar"): Value {
    return this.initializer(hint, "float32", [], Float32Array.of(value));
  }

  constI64(hint: string, values: readonly number[], dims: number[] = [values.length]): Value {
    return this.initializer(hint, "int64", dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** Adds a node and returns its outputs. Empty strings in `inputs` mark omitted optional inputs. */
  opN(
    opType: string,
    inputs: (Value | null)[],
    nOutputs: number,
    attributes: Record<string, AttrInput> = {},
    domain = "",
  ): Value[] {
    for (const v of inputs) {
      if (v !== null && !this.defined.has(v.name)) {
        throw new GraphError(
          `${opType}: input "${v.name}" is not defined yet (nodes must be added after their inputs)`,
        );
      }
    }
    if (domain !== "" && this.opsets[domain] === undefined) this.opsets[domain] = 1;
    const outputs: string[] = [];
    for (let k = 0; k < nOutputs; k++) {
      const name = this.fresh(opType);
      this.define(name);
      outputs.push(name);
    }
    const attrs: Record<string, Attribute> = {};
    for (const [k, a] of Object.entries(attributes)) if (a !== undefined) attrs[k] = a;
    this.nodes.push({
      name: outputs[0] + "/node",
      opType,
      domain,
      inputs: inputs.map((v) => (v === null ? "" : v.name)),
      outputs,
      attributes: attrs,
    });
    return outputs.map((name) => ({ name }));
  }

  op(opType: string, inputs: (Value | null)[], attributes: Record<string, AttrInput> = {}, domain = ""): Value {
    return this.opN(opType, inputs, 1, attributes, domain)[0];
  }

  // ---- Thin helpers for the ops the CLIP graphs use (opset 17 signatures). ----
  add(a: Value, b: Value): Value {
    return this.op("Add", [a, b]);
  }
  sub(a: Value, b: Value): Value {
    return this.op("Sub", [a, b]);
  }
  mul(a: Value, b: Value): Value {
    return this.op("Mul", [a, b]);
  }
  div(a: Value, b: Value): Value {
    return this.op("Div", [a, b]);
  }
  matmul(a: Value, b: Value): Value {
    return this.op("MatMul", [a, b]);
  }
  erf(x: Value): Value {
    return this.op("Erf", [x]);
  }
  sigmoid(x: Value): Value {
    return this.op("Sigmoid", [x]);
  }
  identity(x: Value): Value {
    return this.op("Identity", [x]);
  }
  softmax(x: Value, axis = -1): Value {
    return this.op("Softmax", [x], { axis: attr.i(axis) });
  }
  transpose(x: Value, perm: number[]): Value {
    return this.op("Transpose", [x], { perm: attr.is(perm) });
  }
  /** Reshape; 0 copies the input dim, -1 is inferred (ONNX semantics, allowzero = 0). */
  reshape(x: Value, shape: number[]): Value {
    return this.op("Reshape", [x, this.constI64("shape", shape)]);
  }
  concat(xs: Value[], axis: number): Value {
    return this.op("Concat", xs, { axis: attr.i(axis) });
  }
  gather(data: Value, indices: Value, axis = 0): Value {
    return this.op("Gather", [data, indices], { axis: attr.i(axis) });
  }
  shape(x: Value): Value {
    return this.op("Shape", [x]);
  }
  expand(x: Value, shape: Value): Value {
    return this.op("Expand", [x, shape]);
  }
  unsqueeze(x: Value, axes: number[]): Value {
    return this.op("Unsqueeze", [x, this.constI64("axes", axes)]);
  }
  cast(x: Value, to: DType): Value {
    return this.op("Cast", [x], { to: attr.i(onnxDataType(to)) });
  }
  slice(x: Value, starts: number[], ends: number[], axes: number[]): Value {
    return this.op("Slice", [
      x,
      this.constI64("starts", starts),
      this.constI64("ends", ends),
      this.constI64("axes", axes),
    ]);
  }
  split(x: Value, sizes: number[], axis: number): Value[] {
    return this.opN("Split", [x, this.constI64("split", sizes)], sizes.length, { axis: attr.i(axis) });
  }
  layerNorm(x: Value, scale: Value, bias: Value, epsilon: number, axis = -1): Value {
    return this.op("LayerNormalization", [x, scale, bias], { axis: attr.i(axis), epsilon: attr.f(epsilon) });
  }

  /** Checks the graph and returns it. The builder must not be used afterwards. */
  build(): Graph {
    if (this.outputs.length === 0) throw new GraphError(`graph "${this.name}" has no outputs`);
    const known = new Set<string>([...this.inputs.map((i) => i.name), ...this.initializers.map((t) => t.name)]);
    for (const n of this.nodes) {
      for (const i of n.inputs) {
        if (i !== "" && !known.has(i))
          throw new GraphError(`node ${n.name} (${n.opType}) reads "${i}" before it is produced`);
      }
      for (const o of n.outputs) known.add(o);
    }
    for (const o of this.outputs)
      if (!known.has(o.name)) throw new GraphError(`graph output "${o.name}" is never produced`);
    return {
      name: this.name,
      nodes: [...this.nodes],
      initializers: [...this.initializers],
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      opsets: { ...this.opsets },
    };
  }
}
