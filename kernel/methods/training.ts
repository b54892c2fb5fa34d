// What MVFA and MadCLIP share around their training graphs: the settings read from `options` (recorded in the
// result), seeded PyTorch-default initialisation of the adapter weights, and one call that runs trainLoop with Adam
// while turning its progress into the method's `onProgress` (phase "train") and honouring the run's signal.
import { Rng } from "../util/random/rng";
import { Adam } from "../engine/optim";
import type { NamedTensor } from "../engine/train/checkpoint";
import { trainLoop, TrainLoopResult } from "../engine/train/trainLoop";
import { checkpointIdentity } from "./checkpointIdentity";
import type { MethodContext } from "./method";

export interface TrainSettings {
  /** Fixed epoch count (honest: no selection on the test split). */
  epochs: number;
  lr: number;
  betas: [number, number];
  /** Images per step. */
  batch: number;
  /** Seeds the adapter initialisation and the per-epoch shuffles. */
  seed: number;
  /** Use the reference's augmented versions of each support image (false: originals only, for quick checks). */
  augment: boolean;
  /** Safetensors checkpoint written after every epoch; training resumes from it when it exists. */
  checkpoint?: string;
  /** "force": resume a checkpoint whose settings differ from this run's (checkpointIdentity.ts). */
  resume?: "force";
}

function wholeNumber(v: unknown, name: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new Error(`option ${name} must be a whole number ≥ ${min}, got ${String(v)}`);
  return v;
}

/** Reads the training options; `defaults` are the reference's (MVFA: 50 epochs, batch 1; MadCLIP: 60, 16). */
export function trainSettings(ctx: MethodContext, defaults: { epochs: number; batch: number }): TrainSettings {
  const o = ctx.options;
  const lr = o.lr ?? 1e-3;
  if (typeof lr !== "number" || !(lr > 0)) throw new Error(`option lr must be a positive number, got ${String(lr)}`);
  if (o.checkpoint !== undefined && typeof o.checkpoint !== "string")
    throw new Error("option checkpoint must be a file path");
  if (o.resume !== undefined && o.resume !== "force")
    throw new Error(`option resume must be "force" (or left out), got ${JSON.stringify(o.resume)}`);
  if (o.augment !== undefined && typeof o.augment !== "boolean")
    throw new Error(`option augment must be true or false, got ${String(o.augment)}`);
  return {
    epochs: wholeNumber(o.epochs ?? defaults.epochs, "epochs", 0),
    lr,
    betas: [0.5, 0.999],
    batch: wholeNumber(o.trainBatch ?? defaults.batch, "trainBatch", 1),
    // The references seed everything with 111; a seeded support draw is just as reproducible, so reuse it.
    seed: wholeNumber(o.trainSeed ?? ctx.support?.record.seed ?? 111, "trainSeed", 0),
    augment: (o.augment as boolean | undefined) ?? true,
    checkpoint: o.checkpoint as string | undefined,
    resume: o.resume as "force" | undefined,
  };
}

/** torch.nn.Linear's default weight init (kaiming_uniform with a = √5) = U(±1/√fan_in), seeded. */
export function initLinear(shape: readonly [number, number], rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(shape[1]);
  const w = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-bound, bound);
  return w;
}

export function initParams(
  params: readonly { name: string; shape: [number, number] }[],
  seed: number,
): Record<string, NamedTensor> {
  // One fork per parameter, so adding a parameter does not shift the others' values.
  const root = new Rng(seed);
  return Object.fromEntries(
    params.map((p, i) => [p.name, { shape: [...p.shape], data: initLinear(p.shape, root.fork(i)) }]),
  );
}

/** Seeded Fisher–Yates permutation of 0..n-1. */
export function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface TrainRun extends TrainLoopResult {
  steps: number;
  ms: number;
}

/**
 * Trains `params` in place with Adam (betas 0.5/0.999, as both references) through trainLoop: progress per step
 * (phase "train", with epoch and loss), cancellation between steps, a checkpoint per epoch and resume from it.
 */
export async function trainAdapters(
  ctx: MethodContext,
  o: {
    method: string;
    settings: TrainSettings;
    params: Record<string, NamedTensor>;
    stepsPerEpoch: number;
    step(epoch: number, step: number): Promise<{ loss: number; grads: Record<string, Float32Array> }>;
    meta: Record<string, unknown>;
    /** Per-epoch hook (epoch selection, kernel/methods/selection/epochSelector.ts). */
    afterEpoch?(epoch: number, meanLoss: number): Promise<void>;
  },
): Promise<TrainRun> {
  const started = Date.now();
  const optimizer = new Adam(Object.fromEntries(Object.entries(o.params).map(([n, t]) => [n, t.data])), {
    lr: o.settings.lr,
    betas: o.settings.betas,
  });
  let steps = 0;
  const result = await trainLoop({
    method: o.method,
    modelHash: ctx.modelHash,
    epochs: o.settings.epochs,
    stepsPerEpoch: o.stepsPerEpoch,
    params: o.params,
    optimizer,
    step: (e, s) => {
      steps++;
      return o.step(e, s);
    },
    checkpointFile: o.settings.checkpoint,
    meta: o.meta,
    identity: checkpointIdentity(ctx, o.method, o.settings, o.stepsPerEpoch, o.meta),
    resume: o.settings.resume,
    warn: (m) => ctx.warn?.(m),
    afterEpoch: o.afterEpoch,
    signal: ctx.signal ?? new AbortController().signal,
    progress: (p) => ctx.onProgress?.(p.done, p.total, "train", { epoch: p.epoch, epochs: p.epochs, loss: p.loss }),
  });
  return { ...result, steps, ms: Date.now() - started };
}
