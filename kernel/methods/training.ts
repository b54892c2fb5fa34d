// What the trained methods share around their training graphs: the settings read from `options` (recorded in the
// result), seeded PyTorch-default initialisation of the adapter weights, and trainWithGradients, which runs the
// gradient session through trainLoop with Adam while turning its progress into the method's `onProgress` (phase
// "train") and honouring the run's signal.
import { Rng } from "../util/random/rng";
import { buildGradientGraph } from "../engine/autodiff/gradient";
import { GradientSession } from "../engine/autodiff/gradientSession";
import type { Graph } from "../engine/ir/types";
import { Adam } from "../engine/optim";
import type { Feed } from "../engine/runtime/session";
import type { NamedTensor } from "../engine/train/checkpoint";
import { trainLoop, TrainLoopResult } from "../engine/train/trainLoop";
import { checkpointIdentity } from "./checkpointIdentity";
import type { MethodContext } from "./method";
import type { EpochSelector } from "./selection/epochSelector";
import type { SelectionRecord } from "./selection/record";

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
function shuffled(n: number, rng: Rng): number[] {
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

/** What a trained method configures; trainWithGradients does the rest. */
export interface GradientTraining {
  method: string;
  settings: TrainSettings;
  /** Forward graph ending in the scalar `loss`; gradients are taken for `trainable`. */
  graph: Graph;
  loss: string;
  trainable: readonly { name: string; shape: readonly number[] }[];
  /** Current values of every trainable parameter, updated in place (and restored to the chosen epoch's). */
  params: Record<string, NamedTensor>;
  /** Number of training examples; an epoch visits them in a seeded order in batches of `settings.batch`. */
  examples: number;
  /** The graph's non-parameter inputs for one batch of example indices. */
  feeds(idx: number[], epoch: number): Record<string, Feed> | Promise<Record<string, Feed>>;
  /** Recorded in the checkpoint and its identity. */
  meta: Record<string, unknown>;
  /** Epoch selection (kernel/methods/selection/); without it the last epoch is kept. */
  selector?: EpochSelector;
}

/**
 * The training half of every trained method (MVFA, MadCLIP, MediCLIP, SD-MAD): one gradient session over the
 * method's graph, Adam (betas from the settings), an epoch order that depends only on (seed, epoch) so a resumed
 * run sees the same batches, progress per step (phase "train", with epoch and loss), cancellation between steps, a
 * checkpoint per epoch and resume from it (trainLoop), then the selected epoch's parameters.
 */
export async function trainWithGradients(
  ctx: MethodContext,
  t: GradientTraining & { selector: EpochSelector },
): Promise<{ run: TrainRun; selection: SelectionRecord }>;
export async function trainWithGradients(ctx: MethodContext, t: GradientTraining): Promise<{ run: TrainRun }>;
export async function trainWithGradients(
  ctx: MethodContext,
  t: GradientTraining,
): Promise<{ run: TrainRun; selection?: SelectionRecord }> {
  const run = await ctx.time("train", async () => {
    const grad = await GradientSession.create(
      buildGradientGraph(t.graph, { loss: t.loss, wrt: t.trainable.map((p) => p.name), keepOutputs: [] }),
      [...t.trainable],
      { device: ctx.device },
    );
    try {
      const values = Object.fromEntries(Object.entries(t.params).map(([n, p]) => [n, p.data]));
      const optimizer = new Adam(values, { lr: t.settings.lr, betas: t.settings.betas });
      const B = t.settings.batch;
      const started = Date.now();
      let steps = 0;
      let order: number[] = [];
      const result = await trainLoop({
        method: t.method,
        modelHash: ctx.modelHash,
        epochs: t.settings.epochs,
        stepsPerEpoch: Math.ceil(t.examples / B),
        params: t.params,
        optimizer,
        step: async (epoch, step) => {
          steps++;
          if (step === 1) order = shuffled(t.examples, new Rng(t.settings.seed).fork(epoch));
          const r = await grad.run(await t.feeds(order.slice((step - 1) * B, step * B), epoch), values);
          return { loss: r.loss, grads: r.gradients };
        },
        checkpointFile: t.settings.checkpoint,
        meta: t.meta,
        identity: checkpointIdentity(ctx, t.method, t.settings, Math.ceil(t.examples / B), t.meta),
        resume: t.settings.resume,
        warn: (m) => ctx.warn?.(m),
        afterEpoch: t.selector?.afterEpoch,
        signal: ctx.signal ?? new AbortController().signal,
        progress: (p) => ctx.onProgress?.(p.done, p.total, "train", { epoch: p.epoch, epochs: p.epochs, loss: p.loss }),
      });
      return { ...result, steps, ms: Date.now() - started };
    } finally {
      await grad.release();
    }
  });
  return { run, selection: t.selector?.finish(run, t.settings.epochs) };
}
