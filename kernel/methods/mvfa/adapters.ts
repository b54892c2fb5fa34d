// MVFA's residual dual adapters (methods.md §2.1; reference CLIP/adapter.py): after each tapped block, a seg and a
// det adapter each compute med = LeakyReLU(x·W1ᵀ) (width → proj, no bias) and out = LeakyReLU(med·W2ᵀ)
// (proj → width), and the residual stream becomes x ← 0.8·x + 0.1·seg_out + 0.1·det_out before the next block.
// The `med` tokens (CLS included) are the features the losses and scores use.
// Weights are graph inputs in torch layout [out, in] named like the reference state dict, so the same arrays serve
// as trainable parameters (gradients come back in that layout) and as checkpoint tensors.
import type { AfterBlockHook } from "../../engine/clip/vision";
import { attr, GraphBuilder, Value } from "../../engine/ir/builder";

export const LEAKY_SLOPE = 0.01;

export interface AdapterWeights {
  fc1: Value;
  fc2: Value;
}

export interface MvfaAdapters {
  seg: AdapterWeights[];
  det: AdapterWeights[];
  /** Input names in declaration order with their [out, in] shapes. */
  params: { name: string; shape: [number, number] }[];
}

/** Reference parameter name, e.g. `seg_adapters.0.fc1.0.weight`. */
export function mvfaParamName(head: "seg" | "det", level: number, fc: "fc1" | "fc2"): string {
  return `${head}_adapters.${level}.${fc}.0.weight`;
}

/** Declares the 2 × levels × 2 adapter weights as float32 graph inputs. */
export function declareMvfaAdapters(b: GraphBuilder, levels: number, width: number, proj: number): MvfaAdapters {
  const params: MvfaAdapters["params"] = [];
  const make = (head: "seg" | "det") =>
    Array.from({ length: levels }, (_, l) => {
      const w = (fc: "fc1" | "fc2", shape: [number, number]) => {
        const name = mvfaParamName(head, l, fc);
        params.push({ name, shape });
        return b.input(name, "float32", shape);
      };
      return { fc1: w("fc1", [proj, width]), fc2: w("fc2", [width, proj]) };
    });
  const seg = make("seg");
  const det = make("det");
  return { seg, det, params };
}

/** Linear without bias for a torch-layout weight [out, in]: x · Wᵀ. */
export function linearNoBias(b: GraphBuilder, x: Value, weight: Value): Value {
  return b.matmul(x, b.transpose(weight, [1, 0]));
}

export function leakyRelu(b: GraphBuilder, x: Value): Value {
  return b.op("LeakyRelu", [x], { alpha: attr.f(LEAKY_SLOPE) });
}

/** One adapter: returns the med tokens [B, N, proj] and the output [B, N, width]. */
export function mvfaAdapter(b: GraphBuilder, x: Value, w: AdapterWeights): { med: Value; out: Value } {
  const med = leakyRelu(b, linearNoBias(b, x, w.fc1));
  return { med, out: leakyRelu(b, linearNoBias(b, med, w.fc2)) };
}

export interface MvfaHookResult {
  hook: AfterBlockHook;
  /** Filled while the vision graph is emitted: med tokens per level, in tap order. */
  segMed: Value[];
  detMed: Value[];
}

/**
 * The `afterBlock` hook that inserts the adapters after the given 1-indexed blocks (e.g. 6/12/18/24 for ViT-L,
 * 2/4/6/8 for the tiny fixture model). `keep`/`mix` = the residual ratios (reference 0.8 / 0.1).
 */
export function mvfaAfterBlock(taps: number[], adapters: MvfaAdapters, keep = 0.8, mix = 0.1): MvfaHookResult {
  const segMed: Value[] = [];
  const detMed: Value[] = [];
  const hook: AfterBlockHook = (index, x, b) => {
    const level = taps.indexOf(index + 1);
    if (level < 0) return x;
    return b.scope(`mvfa_adapter${level}`, () => {
      const seg = mvfaAdapter(b, x, adapters.seg[level]);
      const det = mvfaAdapter(b, x, adapters.det[level]);
      segMed.push(seg.med);
      detMed.push(det.med);
      const kept = b.mul(x, b.scalar(keep, "residual_keep"));
      const adapted = b.mul(b.add(seg.out, det.out), b.scalar(mix, "residual_mix"));
      return b.add(kept, adapted);
    });
  };
  return { hook, segMed, detMed };
}
