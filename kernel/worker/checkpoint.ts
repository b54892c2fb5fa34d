import * as fs from "fs";
import { SafetensorsFile } from "../engine/weights/safetensors";
import { writeSafetensors, type StTensorIn } from "../engine/weights/safetensorsWrite";

/** A named float32 array with its shape (adapter weights, prompt vectors, optimizer moments). */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * What training saves after every epoch: the trainable parameters, the optimizer's state, where it was, and the
 * identity of the frozen model it belongs to, so a checkpoint is never loaded onto another model.
 */
export interface Checkpoint {
  method: string;
  modelHash: string;
  epoch: number;
  params: Record<string, NamedTensor>;
  optimizer: Record<string, NamedTensor>;
  /** Small JSON-able facts (seed, shots, lr, …). */
  meta: Record<string, unknown>;
}

export const CHECKPOINT_FORMAT = "medad-checkpoint/1";

export class CheckpointError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = "CheckpointError";
  }
}

/** Atomic (temp file + rename): a crash or a full disk while saving leaves the previous checkpoint intact. */
export function saveCheckpoint(file: string, ckpt: Checkpoint): void {
  const tensors: Record<string, StTensorIn> = {};
  for (const [group, entries] of [["param", ckpt.params], ["optim", ckpt.optimizer]] as const) {
    for (const [name, t] of Object.entries(entries)) {
      if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error(`checkpoint tensor ${group}/${name}: shape ${t.shape.join("x")} does not match ${t.data.length} values`);
      tensors[`${group}/${name}`] = { dtype: "F32", shape: t.shape, data: t.data };
    }
  }
  writeSafetensors(file, tensors, {
    format: CHECKPOINT_FORMAT,
    method: ckpt.method,
    modelHash: ckpt.modelHash,
    epoch: String(ckpt.epoch),
    meta: JSON.stringify(ckpt.meta),
  });
}

/**
 * Loads a checkpoint and refuses, naming the reason, one that is truncated, not ours, of another method, or
 * made for other frozen weights.
 */
export function loadCheckpoint(file: string, expect: { method: string; modelHash: string }): Checkpoint {
  if (!fs.existsSync(file)) throw new CheckpointError(file, "no such checkpoint");
  let st: SafetensorsFile;
  try {
    st = SafetensorsFile.open(file);
  } catch (err) {
    throw new CheckpointError(file, `unreadable (truncated or not a checkpoint): ${(err as Error).message}`);
  }
  try {
    const m = st.metadata;
    if (m.format !== CHECKPOINT_FORMAT) throw new CheckpointError(file, `not a MedAD Lab checkpoint (format '${m.format ?? "none"}')`);
    if (m.method !== expect.method) throw new CheckpointError(file, `saved by method '${m.method}', not '${expect.method}'`);
    if (m.modelHash !== expect.modelHash) {
      throw new CheckpointError(file, `made for other model weights (hash ${m.modelHash.slice(0, 12)}…, this model is ${expect.modelHash.slice(0, 12)}…); start training afresh or load the model it was made with`);
    }
    const params: Record<string, NamedTensor> = {};
    const optimizer: Record<string, NamedTensor> = {};
    for (const name of st.names()) {
      const slash = name.indexOf("/");
      const target = name.slice(0, slash) === "param" ? params : name.slice(0, slash) === "optim" ? optimizer : undefined;
      if (!target) continue;
      let t;
      try {
        t = st.readFloat32(name);
      } catch (err) {
        throw new CheckpointError(file, `tensor ${name} cannot be read (truncated?): ${(err as Error).message}`);
      }
      target[name.slice(slash + 1)] = { shape: [...t.shape], data: t.data };
    }
    return { method: m.method, modelHash: m.modelHash, epoch: Number(m.epoch), params, optimizer, meta: JSON.parse(m.meta ?? "{}") as Record<string, unknown> };
  } finally {
    st.close();
  }
}
