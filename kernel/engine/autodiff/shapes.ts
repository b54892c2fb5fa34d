// Static dtype/shape inference over the IR, for the ops our graphs use. Autodiff needs it to know which axes a
// broadcasting op expanded (their gradients are summed back over those axes) and the sizes of Concat/Slice pieces.
// Dims may be symbolic ("batch"); unknown dims get fresh "?n" names. Small int64 tensors (Shape outputs, reshape
// targets, slice bounds) are propagated as constants so dynamic-batch shape computations still resolve.
import type { DType, Dim, Graph, NodeDef, TensorArray } from "../ir/types";

export interface ValueMeta {
  dtype: DType;
  shape: Dim[];
}

export interface ShapeInfo {
  meta: Map<string, ValueMeta>;
  /** Known values of small int64 tensors (scalars and vectors), possibly symbolic. */
  consts: Map<string, Dim[]>;
}

export class ShapeError extends Error {}

const FLOAT_TYPES: Record<number, DType> = {
  1: "float32",
  11: "float64",
  10: "float16",
  7: "int64",
  6: "int32",
  9: "bool",
  2: "uint8",
  3: "int8",
};

const UNARY_SAME = new Set([
  "Erf",
  "Sigmoid",
  "Exp",
  "Log",
  "Sqrt",
  "Relu",
  "LeakyRelu",
  "Tanh",
  "Softplus",
  "Neg",
  "Abs",
  "Reciprocal",
  "Identity",
  "Sign",
  "Softmax",
  "Clip",
  "InstanceNormalization",
  "ScatterND",
  "ScatterElements",
  "Not",
  "Floor",
  "Ceil",
  "Round",
]);
const BROADCAST = new Set([
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Max",
  "Min",
  "Sum",
  "Where",
  "Equal",
  "Greater",
  "Less",
  "GreaterOrEqual",
  "LessOrEqual",
  "And",
  "Or",
  "Mod",
]);
const BOOL_OUT = new Set(["Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Not"]);

let unknownCounter = 0;
const unknown = (): Dim => `?${unknownCounter++}`;

function normAxis(a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) throw new ShapeError(`axis ${a} is out of range for rank ${rank}`);
  return r;
}

/** Numpy broadcasting of two shapes; symbolic dims equal only by name. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
    const y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else if (typeof x === "number" && typeof y === "number")
      throw new ShapeError(`shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`);
    else out.push(typeof x === "number" ? x : typeof y === "number" ? y : unknown());
  }
  return out;
}

function tensorConsts(dtype: DType, dims: number[], data: TensorArray): Dim[] | undefined {
  if ((dtype !== "int64" && dtype !== "int32") || dims.length > 1 || data.length > 64) return undefined;
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}

export function inferShapes(graph: Graph): ShapeInfo {
  const meta = new Map<string, ValueMeta>();
  const consts = new Map<string, Dim[]>();
  for (const v of graph.inputs) meta.set(v.name, { dtype: v.dtype, shape: [...v.shape] });
  for (const t of graph.initializers) {
    meta.set(t.name, { dtype: t.dtype, shape: [...t.dims] });
    const c = tensorConsts(t.dtype, t.dims, t.data);
    if (c) consts.set(t.name, c);
  }
  for (const n of graph.nodes) {
    try {
      inferNode(n, meta, consts);
    } catch (e) {
      throw new ShapeError(`shape inference failed at node ${n.name} (${n.opType}): ${(e as Error).message}`);
    }
  }
  return { meta, consts };
}

function intsAttr(n: NodeDef, name: string): number[] | undefined {
  const a = n.attributes[name];
  return a && a.kind === "ints" ? a.value : undefined;
}

function intAttr(n: NodeDef, name: string, dflt: number): number {
  const a = n.attributes[name];
  return a && a.kind === "int" ? a.value : dflt;
}

function inferNode(n: NodeDef, meta: Map<string, ValueMeta>, consts: Map<string, Dim[]>): void {
  const m = (i: number): ValueMeta => {
    const v = meta.get(n.inputs[i]);
    if (!v) throw new ShapeError(`input ${i} ("${n.inputs[i]}") has no known shape`);
    return v;
  };
  const c = (i: number): Dim[] => {
    const v = n.inputs[i] === undefined || n.inputs[i] === "" ? undefined : consts.get(n.inputs[i]);
    if (!v) throw new ShapeError(`input ${i} ("${n.inputs[i]}") must be a constant int64 tensor`);
    return v;
  };
  const has = (i: number) => n.inputs[i] !== undefined && n.inputs[i] !== "";
  const set = (k: number, dtype: DType, shape: Dim[], value?: Dim[]) => {
    if (n.outputs[k] === undefined || n.outputs[k] === "") return;
    meta.set(n.outputs[k], { dtype, shape });
    if (value) consts.set(n.outputs[k], value);
  };
  const op = n.opType;
  if (UNARY_SAME.has(op)) return set(0, m(0).dtype, [...m(0).shape]);
  if (BROADCAST.has(op)) {
    const ins = n.inputs.map((_, i) => m(i));
    const shape = ins.map((v) => v.shape).reduce((a, b) => broadcastShapes(a, b));
    const dtype = BOOL_OUT.has(op) ? "bool" : op === "Where" ? ins[1].dtype : ins[0].dtype;
    return set(0, dtype, shape);
  }
  switch (op) {
    case "Cast": {
      const to = FLOAT_TYPES[intAttr(n, "to", 1)];
      const v = consts.get(n.inputs[0]);
      return set(0, to, [...m(0).shape], v && (to === "int64" || to === "int32") ? v : undefined);
    }
    case "MatMul":
    case "FusedMatMul":
    case "DynamicQuantizeMatMul": {
      const a = m(0).shape;
      const b = m(1).shape;
      if (a.length < 2 || b.length < 2) throw new ShapeError("MatMul with rank-1 operands is not supported here");
      const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
      return set(0, m(0).dtype, [...batch, a[a.length - 2], b[b.length - 1]]);
    }
    case "LayerNormalization": {
      const x = m(0);
      const axis = normAxis(intAttr(n, "axis", -1), x.shape.length);
      const stash = FLOAT_TYPES[intAttr(n, "stash_type", 1)];
      set(0, x.dtype, [...x.shape]);
      const reduced = x.shape.map((d, i) => (i >= axis ? 1 : d));
      set(1, stash, reduced);
      return set(2, stash, [...reduced]);
    }
    case "Shape": {
      const s = m(0).shape;
      return set(0, "int64", [s.length], [...s]);
    }
    case "Size":
      return set(0, "int64", []);
    case "Reshape": {
      const target = c(1);
      const src = m(0).shape;
      const out: Dim[] = target.map((d, i) => (d === 0 ? src[i] : d));
      const inferIdx = out.indexOf(-1);
      if (inferIdx >= 0)
        out[inferIdx] = inferredDim(
          src,
          out.filter((_, i) => i !== inferIdx),
        );
      return set(0, m(0).dtype, out);
    }
    case "Transpose": {
      const s = m(0).shape;
      const perm = intsAttr(n, "perm") ?? s.map((_, i) => s.length - 1 - i);
      return set(
        0,
        m(0).dtype,
        perm.map((p) => s[p]),
      );
    }
    case "Concat": {
      const ins = n.inputs.map((_, i) => m(i));
      const axis = normAxis(intAttr(n, "axis", 0), ins[0].shape.length);
      const shape = [...ins[0].shape];
      const sizes = ins.map((v) => v.shape[axis]);
      shape[axis] = sizes.every((d) => typeof d === "number")
        ? (sizes as number[]).reduce((a, b) => a + b, 0)
        : unknown();
      const vals = n.inputs.map((name) => consts.get(name));
      return set(0, ins[0].dtype, shape, vals.every((v) => v !== undefined) ? vals.flatMap((v) => v!) : undefined);
    }
    case "Slice": {
      const x = m(0);
      const starts = c(1) as number[];
      const ends = c(2) as number[];
      const axes = has(3) ? (c(3) as number[]) : starts.map((_, i) => i);
      const steps = has(4) ? (c(4) as number[]) : starts.map(() => 1);
      const shape = [...x.shape];
      axes.forEach((a, k) => {
        const ax = normAxis(a, shape.length);
        const dim = shape[ax];
        if (typeof dim !== "number") {
          shape[ax] = unknown();
          return;
        }
        const [s, e] = sliceBounds(starts[k], ends[k], steps[k], dim);
        shape[ax] =
          steps[k] > 0 ? Math.max(0, Math.ceil((e - s) / steps[k])) : Math.max(0, Math.ceil((s - e) / -steps[k]));
      });
      const v = consts.get(n.inputs[0]);
      let value: Dim[] | undefined;
      if (v && x.shape.length === 1 && steps[0] === 1) {
        const [s, e] = sliceBounds(starts[0], ends[0], 1, v.length);
        value = v.slice(s, e);
      }
      return set(0, x.dtype, shape, value);
    }
    case "Split": {
      const x = m(0);
      const axis = normAxis(intAttr(n, "axis", 0), x.shape.length);
      const sizes = has(1) ? (c(1) as number[]) : undefined;
      const count = n.outputs.length;
      n.outputs.forEach((_, k) => {
        const shape = [...x.shape];
        const dim = x.shape[axis];
        shape[axis] = sizes ? sizes[k] : typeof dim === "number" ? dim / count : unknown();
        set(k, x.dtype, shape);
      });
      return;
    }
    case "Gather": {
      const x = m(0);
      const idx = m(1);
      const axis = normAxis(intAttr(n, "axis", 0), x.shape.length);
      const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
      const v = consts.get(n.inputs[0]);
      const iv = consts.get(n.inputs[1]);
      let value: Dim[] | undefined;
      if (v && iv && x.shape.length === 1)
        value = iv.map((i) => v[(i as number) < 0 ? (i as number) + v.length : (i as number)]);
      return set(0, x.dtype, shape, value);
    }
    case "GatherND": {
      const x = m(0).shape;
      const idx = m(1).shape;
      const bd = intAttr(n, "batch_dims", 0);
      const last = idx[idx.length - 1];
      if (typeof last !== "number") throw new ShapeError("GatherND needs a static last index dimension");
      return set(0, m(0).dtype, [...idx.slice(0, -1), ...x.slice(bd + last)]);
    }
    case "Expand":
      return set(0, m(0).dtype, broadcastShapes(m(0).shape, c(1)));
    case "Unsqueeze": {
      const x = m(0).shape;
      const rank = x.length + c(1).length;
      const axes = (c(1) as number[]).map((a) => normAxis(a, rank));
      const out: Dim[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : x[k++]);
      const v = consts.get(n.inputs[0]);
      return set(0, m(0).dtype, out, v && x.length === 0 ? v : undefined);
    }
    case "Squeeze": {
      const x = m(0).shape;
      const axes = has(1)
        ? (c(1) as number[]).map((a) => normAxis(a, x.length))
        : x.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
      const v = consts.get(n.inputs[0]);
      return set(
        0,
        m(0).dtype,
        x.filter((_, i) => !axes.includes(i)),
        v,
      );
    }
    case "ReduceSum":
    case "ReduceMean":
    case "ReduceMax":
    case "ReduceMin":
    case "ReduceProd":
    case "ReduceL2": {
      const x = m(0).shape;
      const axesList = op === "ReduceSum" ? (has(1) ? (c(1) as number[]) : undefined) : intsAttr(n, "axes");
      const axes = axesList ? axesList.map((a) => normAxis(a, x.length)) : x.map((_, i) => i);
      const keep = intAttr(n, "keepdims", 1) === 1;
      const out: Dim[] = [];
      x.forEach((d, i) => {
        if (!axes.includes(i)) out.push(d);
        else if (keep) out.push(1);
      });
      return set(0, m(0).dtype, out);
    }
    case "ArgMax":
    case "ArgMin": {
      const x = m(0).shape;
      const axis = normAxis(intAttr(n, "axis", 0), x.length);
      const keep = intAttr(n, "keepdims", 1) === 1;
      return set(0, "int64", keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis));
    }
    case "Conv": {
      const x = m(0).shape;
      const w = m(1).shape;
      const strides = intsAttr(n, "strides") ?? w.slice(2).map(() => 1);
      const pads = intsAttr(n, "pads") ?? w.slice(2).flatMap(() => [0, 0]);
      const spatial = x.slice(2).map((d, i) => {
        const k = w[2 + i] as number;
        const r = pads.length / 2;
        return typeof d === "number" ? Math.floor((d + pads[i] + pads[i + r] - k) / strides[i]) + 1 : unknown();
      });
      return set(0, m(0).dtype, [x[0], w[0], ...spatial]);
    }
    case "ConstantOfShape": {
      const a = n.attributes.value;
      const dtype = a && a.kind === "tensor" ? a.value.dtype : "float32";
      return set(0, dtype, [...c(0)]);
    }
    case "Pad": {
      const x = m(0).shape;
      const pads = c(1) as number[];
      return set(
        0,
        m(0).dtype,
        x.map((d, i) => (typeof d === "number" ? d + pads[i] + pads[i + x.length] : unknown())),
      );
    }
    case "Constant": {
      const a = n.attributes.value;
      if (!a || a.kind !== "tensor") throw new ShapeError("Constant without a tensor value");
      return set(0, a.value.dtype, [...a.value.dims], tensorConsts(a.value.dtype, a.value.dims, a.value.data));
    }
    case "Range":
      return set(0, m(0).dtype, [unknown()]);
  }
  throw new ShapeError(`no shape rule for op ${op}`);
}

/** ONNX Slice bounds for a positive step: clamps like the spec. */
export function sliceBounds(start: number, end: number, step: number, dim: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    s = clamp(s, 0, dim - 1);
    e = clamp(e, -1, dim - 1);
  }
  return [s, e];
}

/**
 * The -1 of a Reshape: product(src) / product(known). Symbolic dims cancel by name ([batch, 1, 56, 56] → [0, -1]
 * gives 3136); a symbol left over, or a ratio that is not an integer, gives a fresh unknown dim.
 */
function inferredDim(src: readonly Dim[], known: readonly Dim[]): Dim {
  const symbols = src.filter((d): d is string => typeof d === "string");
  let num = src.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  let den = 1;
  for (const d of known) {
    if (typeof d === "number") den *= d;
    else {
      const k = symbols.indexOf(d);
      if (k < 0) return unknown();
      symbols.splice(k, 1);
    }
  }
  if (symbols.length === 1 && den === num) return symbols[0];
  if (symbols.length > 0 || den === 0 || num % den !== 0) return unknown();
  num /= den;
  return num;
}
