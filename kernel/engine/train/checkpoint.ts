import * as fs from "fs";
import { adamStateFromTensors, adamStateToTensors, type AdamState } from "../optim";
import { SafetensorsFile } from "../weights/safetensors";
import { writeSafetensors, type StTensorIn } from "../weights/safetensorsWrite";

/** A named float32 array with its shape (adapter weights, prompt vectors, cached features). */
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
  optimizer: AdamState;
  /** Small JSON-able facts (seed, shots, lr, …). */
  meta: Record<string, unknown>;
}

export const CHECKPOINT_FORMAT = "medad-checkpoint/1";

export class CheckpointError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "CheckpointError";
  }
}

/** Atomic (temp file + rename): a crash or a full disk while saving leaves the previous checkpoint intact. */
export function saveCheckpoint(file: string, ckpt: Checkpoint): void {
  const tensors: Record<string, StTensorIn> = {};
  for (const [name, t] of Object.entries(ckpt.params)) {
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1))
      throw new Error(
        `checkpoint parameter ${name}: shape ${t.shape.join("x")} does not match ${t.data.length} values`,
      );
    tensors[`param/${name}`] = { dtype: "F32", shape: t.shape, data: t.data };
  }
  const optim = adamStateToTensors(ckpt.optimizer);
  for (const [name, t] of Object.entries(optim.tensors)) tensors[`optim/${name}`] = t;
  writeSafetensors(file, tensors, {
    ...optim.metadata,
    format: CHECKPOINT_FORMAT,
    method: ckpt.method,
    modelHash: ckpt.modelHash,
    epoch: String(ckpt.epoch),
    meta: JSON.stringify(ckpt.meta),
  });
}

function readTensor(st: SafetensorsFile, file: string, name: string): { shape: number[]; data: Float32Array } {
  try {
    const t = st.readFloat32(name);
    return { shape: [...t.shape], data: t.data };
  } catch (err) {
    throw new CheckpointError(file, `tensor ${name} cannot be read (truncated?): ${(err as Error).message}`);
  }
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
    if (m.format !== CHECKPOINT_FORMAT)
      throw new CheckpointError(file, `not a MedAD Lab checkpoint (format '${m.format ?? "none"}')`);
    if (m.method !== expect.method)
      throw new CheckpointError(file, `saved by method '${m.method}', not '${expect.method}'`);
    if (m.modelHash !== expect.modelHash) {
      throw new CheckpointError(
        file,
        `made for other model weights (hash ${m.modelHash.slice(0, 12)}…, this model is ${expect.modelHash.slice(0, 12)}…); start training afresh or load the model it was made with`,
      );
    }
    const params: Record<string, NamedTensor> = {};
    for (const name of st.names().filter((n) => n.startsWith("param/")))
      params[name.slice(6)] = readTensor(st, file, name);
    const optimNames = st
      .names()
      .filter((n) => n.startsWith("optim/"))
      .map((n) => n.slice(6));
    const optimizer = adamStateFromTensors(optimNames, (n) => readTensor(st, file, `optim/${n}`).data, m);
    return {
      method: m.method,
      modelHash: m.modelHash,
      epoch: Number(m.epoch),
      params,
      optimizer,
      meta: JSON.parse(m.meta ?? "{}") as Record<string, unknown>,
    };
  } finally {
    st.close();
  }
}
