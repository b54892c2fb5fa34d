import * as fs from "fs";
import { checkAbort } from "../../util/cancellation";
import { acquireFileLock } from "../../util/fileLock";
import type { Adam } from "../optim";
import {
  CheckpointError,
  firstNonFinite,
  identityDifferences,
  loadCheckpoint,
  saveCheckpoint,
  type NamedTensor,
} from "./checkpoint";

export interface TrainLoopOptions {
  method: string;
  modelHash: string;
  epochs: number;
  stepsPerEpoch: number;
  /** Trainable parameters; `optimizer` must have been built on the same arrays (`new Adam(data of params)`). */
  params: Record<string, NamedTensor>;
  optimizer: Adam;
  /** One training step: loss and gradients for the current parameters. */
  step(epoch: number, step: number): Promise<{ loss: number; grads: Record<string, Float32Array> }>;
  /** Written atomically after every epoch; when it exists at start, training resumes from it. */
  checkpointFile?: string;
  meta?: Record<string, unknown>;
  /**
   * Every setting that changes the trajectory up to a given epoch (the epoch count itself is not one: the schedule is
   * constant, so a longer run continues a shorter one). Saved in the checkpoint; resuming from a checkpoint with
   * another identity is refused unless `resume` is "force".
   */
  identity?: Record<string, unknown>;
  /** "force": resume even when the checkpoint's identity differs from this run's (the differences are reported). */
  resume?: "force";
  /** Told once, before training, when `resume: "force"` overrides differences. */
  warn?(message: string): void;
  signal: AbortSignal;
  /** Called after every step; `trainWithGradients` (kernel/methods/training.ts) turns it into the method's onProgress. */
  progress(p: TrainLoopProgress): void;
  /** After each epoch's checkpoint: e.g. epoch selection scoring held-out images (kernel/methods/selection). */
  afterEpoch?(epoch: number, meanLoss: number): Promise<void>;
}

/** What the loop reports after each step (counts are over the steps of this call, resumed epochs excluded). */
export interface TrainLoopProgress {
  phase: "train";
  done: number;
  total: number;
  epoch: number;
  epochs: number;
  step: number;
  loss: number;
  /** Steps per second so far. */
  throughput: number;
  /** Seconds left, from the throughput. */
  etaS: number;
}

/** Training stopped because the loss or the parameters stopped being numbers; the last good checkpoint is kept. */
export class TrainingDiverged extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDiverged";
  }
}

export interface TrainLoopResult {
  /** Mean loss of each epoch run in this call (resumed epochs are not repeated). */
  epochLosses: number[];
  resumedFromEpoch: number;
}

/**
 * The epoch/step loop shared by the trained methods: progress with loss, throughput and ETA; cancellation
 * between steps; an atomic checkpoint after each epoch; resume from that checkpoint; and a clear stop when the
 * loss becomes NaN or infinite (parameters are not updated with such gradients).
 */
export async function trainLoop(o: TrainLoopOptions): Promise<TrainLoopResult> {
  const file = o.checkpointFile;
  // One writer per checkpoint: two runs saving to one file would each resume from the other's epochs.
  const release = file
    ? acquireFileLock(
        `${file}.lock`,
        (pid) =>
          `${file}: another training run (pid ${pid}) is using this checkpoint; wait for it to finish or give this ` +
          `run its own checkpoint: path (delete ${file}.lock only if that process is not MedAD Lab)`,
      )
    : () => undefined;
  try {
    return await loop(o, file);
  } finally {
    release();
  }
}

function resumeRefused(file: string, differences: string[]): CheckpointError {
  return new CheckpointError(
    file,
    `was written by a run with other settings, so this run does not resume from it:\n  ${differences.join("\n  ")}\n` +
      `Either give this run its own file (a new checkpoint: path), or set resume: force to continue from it anyway.`,
  );
}

async function loop(o: TrainLoopOptions, file: string | undefined): Promise<TrainLoopResult> {
  let startEpoch = 0;
  if (file && fs.existsSync(file)) {
    const ckpt = loadCheckpoint(file, { method: o.method, modelHash: o.modelHash });
    if (o.identity) {
      const diff = identityDifferences(ckpt.identity, o.identity);
      if (diff.length && o.resume !== "force") throw resumeRefused(file, diff);
      if (diff.length) o.warn?.(`${file}: resuming despite other settings (resume: force):\n  ${diff.join("\n  ")}`);
    }
    if (ckpt.epoch > o.epochs)
      throw new CheckpointError(
        file,
        `is at epoch ${ckpt.epoch}, past this run's epochs: ${o.epochs}; a run cannot be untrained. ` +
          `Set epochs: ${ckpt.epoch} (or more) to use it, or give a new checkpoint: path to train ${o.epochs} epochs afresh.`,
      );
    for (const [name, t] of Object.entries(ckpt.params)) {
      const target = o.params[name];
      if (!target || target.data.length !== t.data.length)
        throw new CheckpointError(
          file,
          `parameter ${name} does not match this run's adapters; delete the checkpoint or give a new checkpoint: path`,
        );
      target.data.set(t.data);
    }
    o.optimizer.loadState(ckpt.optimizer);
    startEpoch = ckpt.epoch;
  }
  const lastGood = (epoch: number): string =>
    file && fs.existsSync(file)
      ? ` The last good checkpoint (epoch ${epoch}) is kept at ${file}; it was made with these settings, so to try ` +
        `a lower learning rate delete it or give a new checkpoint: path.`
      : " No checkpoint was written.";
  const epochLosses: number[] = [];
  const totalSteps = (o.epochs - startEpoch) * o.stepsPerEpoch;
  const started = Date.now();
  let done = 0;
  for (let epoch = startEpoch + 1; epoch <= o.epochs; epoch++) {
    let sum = 0;
    for (let step = 1; step <= o.stepsPerEpoch; step++) {
      checkAbort(o.signal);
      const { loss, grads } = await o.step(epoch, step);
      if (!Number.isFinite(loss)) {
        throw new TrainingDiverged(
          `The loss became ${loss} at epoch ${epoch}, step ${step}; training stopped.${lastGood(epoch - 1)} ` +
            `Try a lower learning rate.`,
        );
      }
      o.optimizer.step(grads);
      sum += loss;
      done++;
      const rate = done / Math.max(1e-3, (Date.now() - started) / 1000);
      o.progress({
        phase: "train",
        done,
        total: totalSteps,
        epoch,
        epochs: o.epochs,
        step,
        loss,
        throughput: rate,
        etaS: (totalSteps - done) / rate,
      });
    }
    epochLosses.push(sum / o.stepsPerEpoch);
    // A finite loss does not mean finite weights: the epoch's last update can overflow them. Never save those.
    const bad = firstNonFinite(o.params);
    if (bad) {
      throw new TrainingDiverged(
        `The parameters became non-finite in epoch ${epoch} (${bad.count} values of ${bad.name}); training stopped ` +
          `and epoch ${epoch} was not saved.${lastGood(epoch - 1)} Try a lower learning rate.`,
      );
    }
    if (file) {
      saveCheckpoint(file, {
        method: o.method,
        modelHash: o.modelHash,
        epoch,
        params: o.params,
        optimizer: o.optimizer.toState(),
        meta: o.meta ?? {},
        identity: o.identity,
      });
    }
    await o.afterEpoch?.(epoch, sum / o.stepsPerEpoch);
  }
  return { epochLosses, resumedFromEpoch: startEpoch };
}
