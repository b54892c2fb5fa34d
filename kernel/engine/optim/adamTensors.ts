// Adam state ↔ safetensors entries, for checkpoints: moments as F32 tensors `exp_avg/<param>` and `exp_avg_sq/<param>`,
// hyper-parameters and the step count as string metadata (safetensors metadata is string → string).
import type { StTensorIn } from "../weights/safetensorsWrite";
import type { AdamState } from "./adam";

export function adamStateToTensors(s: AdamState): {
  tensors: Record<string, StTensorIn>;
  metadata: Record<string, string>;
} {
  const tensors: Record<string, StTensorIn> = {};
  for (const [name, m] of Object.entries(s.expAvg))
    tensors[`exp_avg/${name}`] = { dtype: "F32", shape: [m.length], data: m };
  for (const [name, v] of Object.entries(s.expAvgSq))
    tensors[`exp_avg_sq/${name}`] = { dtype: "F32", shape: [v.length], data: v };
  const metadata = {
    "optim.kind": s.kind,
    "optim.step": String(s.step),
    "optim.lr": String(s.lr),
    "optim.betas": JSON.stringify(s.betas),
    "optim.eps": String(s.eps),
    "optim.weight_decay": String(s.weightDecay),
  };
  return { tensors, metadata };
}

/** `read(name)` returns a stored F32 tensor (e.g. `(n) => file.readFloat32(n).data`); names come from `names`. */
export function adamStateFromTensors(
  names: readonly string[],
  read: (name: string) => Float32Array,
  metadata: Record<string, string>,
): AdamState {
  const need = (k: string) => {
    const v = metadata[k];
    if (v === undefined)
      throw new Error(
        `optimizer state: metadata "${k}" is missing; the checkpoint was not written by adamStateToTensors`,
      );
    return v;
  };
  const kind = need("optim.kind");
  if (kind !== "adam" && kind !== "adamw")
    throw new Error(`optimizer state: unknown kind "${kind}" (expected adam or adamw)`);
  const expAvg: Record<string, Float32Array> = {};
  const expAvgSq: Record<string, Float32Array> = {};
  for (const n of names) {
    if (n.startsWith("exp_avg/")) expAvg[n.slice(8)] = read(n);
    else if (n.startsWith("exp_avg_sq/")) expAvgSq[n.slice(11)] = read(n);
  }
  const betas = JSON.parse(need("optim.betas")) as [number, number];
  return {
    kind,
    step: Number(need("optim.step")),
    lr: Number(need("optim.lr")),
    betas,
    eps: Number(need("optim.eps")),
    weightDecay: Number(need("optim.weight_decay")),
    expAvg,
    expAvgSq,
  };
}
