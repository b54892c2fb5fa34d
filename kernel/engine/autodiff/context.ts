// What a backward rule gets: the builder that continues the forward graph, the inferred shapes, and helpers that
// emit constants in the graph's float type (float32 graphs for training, float64 graphs for finite-difference checks).
import { attr, GraphBuilder, Value } from "../ir/builder";
import type { DType, Dim, NodeDef } from "../ir/types";
import { ShapeError, ShapeInfo, ValueMeta } from "./shapes";

/** Gradient w.r.t. each input (null: none or not needed), given the gradients of the outputs (null: no gradient). */
export type Rule = (ctx: GradContext, node: NodeDef, dOut: (Value | null)[], need: boolean[]) => (Value | null)[];

export class GradContext {
  private readonly scalars = new Map<string, Value>();

  constructor(
    readonly b: GraphBuilder,
    private readonly shapes: ShapeInfo,
  ) {}

  meta(v: Value | string): ValueMeta {
    const name = typeof v === "string" ? v : v.name;
    const m = this.shapes.meta.get(name);
    if (!m) throw new ShapeError(`no shape known for "${name}"`);
    return m;
  }

  /** Records the shape of a value the rules created (so later rules can reason about it). */
  note(v: Value, dtype: DType, shape: Dim[]): Value {
    this.shapes.meta.set(v.name, { dtype, shape });
    return v;
  }

  constInts(name: string): Dim[] | undefined {
    return this.shapes.consts.get(name);
  }

  /** A rank-0 constant of `dtype`, shared across rules. */
  scalar(value: number, dtype: DType): Value {
    const key = `${dtype}:${value}`;
    let v = this.scalars.get(key);
    if (!v) {
      const data = dtype === "float64" ? Float64Array.of(value) : Float32Array.of(value);
      v = this.b.initializer("grad_const", dtype, [], data);
      this.shapes.meta.set(v.name, { dtype, shape: [] });
      this.scalars.set(key, v);
    }
    return v;
  }

  ints(values: number[]): Value {
    const v = this.b.constI64("grad_ints", values);
    this.shapes.meta.set(v.name, { dtype: "int64", shape: [values.length] });
    this.shapes.consts.set(v.name, [...values]);
    return v;
  }

  reduceSum(x: Value, axes: number[], keepdims: boolean): Value {
    return this.b.op("ReduceSum", [x, this.ints(axes)], { keepdims: attr.i(keepdims ? 1 : 0) });
  }

  /** Zeros with the shape of `like` (dynamic, so symbolic dims work). */
  zerosLike(like: Value): Value {
    const dtype = this.meta(like).dtype;
    const data = dtype === "float64" ? Float64Array.of(0) : Float32Array.of(0);
    return this.b.op("ConstantOfShape", [this.b.shape(like)], {
      value: { kind: "tensor", value: { name: "zero", dtype, dims: [1], data } },
    });
  }

  /**
   * Sums a gradient `g` (shaped like the op's output `outShape`) back to the shape of the operand `operand` that was
   * broadcast: over leading axes the operand lacks and over axes where it has size 1.
   */
  reduceTo(g: Value, outShape: readonly Dim[], operand: Value): Value {
    const target = this.meta(operand).shape;
    const k = outShape.length - target.length;
    if (k < 0) throw new ShapeError(`gradient of rank ${outShape.length} cannot reduce to rank ${target.length}`);
    const axes: number[] = [];
    for (let i = 0; i < k; i++) axes.push(i);
    target.forEach((d, i) => {
      const o = outShape[k + i];
      if (d === o || (typeof d === "number" && d !== 1)) return; // equal, or a static size > 1 that cannot have broadcast
      if (d === 1) axes.push(k + i);
      else
        throw new ShapeError(
          `cannot tell whether dim ${i} of "${operand.name}" ([${target.join(", ")}]) was broadcast to ${o}; give the graph static shapes`,
        );
    });
    if (axes.length === 0) return g;
    const r = this.reduceSum(g, axes, true);
    return k > 0 ? this.b.op("Reshape", [r, this.b.shape(operand)]) : r;
  }
}
