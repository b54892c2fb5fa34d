// MediCLIP's adapters (methods.md §4.1; reference models/Necker.py, models/Adapter.py): per tapped block, the frozen
// residual stream without CLS (Necker reshapes it to width×g×g; its resize is the identity at the native size) goes
// through a 1×1 Conv2d width → proj with bias — a per-token linear layer — and is L2-normalised over channels.
// Weights are graph inputs in torch layout (conv weight [proj, width, 1, 1] stored as [proj, width]).
import { GraphBuilder, Value } from "../../engine/ir/builder";
import { l2Normalize } from "../../engine/ops/normalize";
import { linearNoBias } from "../mvfa/adapters";

export interface MediclipAdapter {
  weight: Value;
  bias: Value;
}

export interface MediclipAdapters {
  levels: MediclipAdapter[];
  params: { name: string; shape: number[] }[];
}

export function mediclipParamName(level: number, kind: "weight" | "bias"): string {
  return `adapters.${level}.${kind}`;
}

export function declareMediclipAdapters(
  b: GraphBuilder,
  levels: number,
  width: number,
  proj: number,
): MediclipAdapters {
  const params: MediclipAdapters["params"] = [];
  const input = (name: string, shape: number[]) => {
    params.push({ name, shape });
    return b.input(name, "float32", shape);
  };
  const out = Array.from({ length: levels }, (_, l) => ({
    weight: input(mediclipParamName(l, "weight"), [proj, width]),
    bias: input(mediclipParamName(l, "bias"), [proj]),
  }));
  return { levels: out, params };
}

/** tap [B, tokens, width] → L2norm(x[:, 1:]·Wᵀ + b) [B, g², proj]. */
export function mediclipAdapter(b: GraphBuilder, tap: Value, w: MediclipAdapter, tokens: number): Value {
  const patches = b.slice(tap, [1], [tokens], [1]);
  return l2Normalize(b, b.add(linearNoBias(b, patches, w.weight), w.bias));
}

/**
 * MapMaker's logits: per level f·T (cosine, no temperature in the code; `tau` divides, the paper's τ = 0.07), then the
 * mean over levels → [B, g², 2].
 */
export function mediclipLogits(b: GraphBuilder, adapted: Value[], textT: Value, tau?: number): Value {
  const per = adapted.map((f) => b.matmul(f, textT));
  const sum = per.length > 1 ? b.op("Sum", per) : per[0];
  return b.mul(sum, b.scalar(1 / (per.length * (tau ?? 1)), "level_mean"));
}
