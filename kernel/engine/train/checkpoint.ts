import * as fs from "fs";
import { adamStateFromTensors, adamStateToTensors, type AdamState } from "../optim";
import { SafetensorsFile } from "../weights/safetensors";
import { writeSafetensors, type StTensorIn } from "../weights/safetensorsWrite";
import { fsFix } from "../../util/fsErrors";

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
  /**
   * Every setting that changes the training trajectory (seed, support files, lr, options, code version, …); a run
   * resumes only from a checkpoint whose identity equals its own (`identityDifferences`). Absent in old files.
   */
  identity?: Record<string, unknown>;
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

/** The first tensor holding NaN or ±Inf, with how many such values; null when all are finite. */
export function firstNonFinite(
  tensors: Record<string, { data: Float32Array }>,
): { name: string; count: number } | null {
  for (const [name, t] of Object.entries(tensors)) {
    let count = 0;
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) count++;
    if (count) return { name, count };
  }
  return null;
}

/**
 * Atomic (temp file + rename): a crash or a full disk while saving leaves the previous checkpoint intact.
 * Refuses non-finite parameters, so a file on disk is always one a run can resume from.
 */
export function saveCheckpoint(file: string, ckpt: Checkpoint): void {
  const bad = firstNonFinite(ckpt.params);
  if (bad) throw new CheckpointError(file, `not saved: parameter ${bad.name} has ${bad.count} non-finite values`);
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
  try {
    writeSafetensors(file, tensors, {
      ...optim.metadata,
      format: CHECKPOINT_FORMAT,
      method: ckpt.method,
      modelHash: ckpt.modelHash,
      epoch: String(ckpt.epoch),
      meta: JSON.stringify(ckpt.meta),
      ...(ckpt.identity ? { identity: JSON.stringify(ckpt.identity) } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CheckpointError(
      file,
      `cannot be written (${e.code ?? "error"}: ${e.message}); the previous checkpoint, if any, is unchanged. ` +
        `${fsFix(e.code)} (A new path goes in the run's checkpoint: option.)`,
    );
  }
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value ?? null));
}

function shortValue(v: string | undefined): string {
  if (v === undefined) return "(not set)";
  return v.length > 60 ? `${v.slice(0, 57)}…` : v;
}

/** "seed: 0 in the checkpoint, 1 in this run" for every setting that differs (nested keys dotted). */
export function identityDifferences(
  saved: Record<string, unknown> | undefined,
  current: Record<string, unknown>,
): string[] {
  if (!saved) return ["identity: not recorded (a checkpoint from an older MedAD Lab)"];
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(saved, "", a);
  flatten(current, "", b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${k}: ${shortValue(a.get(k))} in the checkpoint, ${shortValue(b.get(k))} in this run`);
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
    if (fs.statSync(file).isDirectory())
      throw new CheckpointError(file, "is a folder; checkpoint: takes a file path such as run1.ckpt.safetensors");
    st = SafetensorsFile.open(file);
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
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
    const bad = firstNonFinite(params);
    if (bad)
      throw new CheckpointError(
        file,
        `parameter ${bad.name} holds ${bad.count} non-finite values (saved by a run that diverged); delete it to start afresh`,
      );
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
      ...(m.identity ? { identity: JSON.parse(m.identity) as Record<string, unknown> } : {}),
    };
  } finally {
    st.close();
  }
}
