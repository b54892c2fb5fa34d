import * as fs from "fs";
import { checkCancelled } from "../../util/cancellation";
import type { Adam } from "../optim";
import { loadCheckpoint, saveCheckpoint, type NamedTensor } from "./checkpoint";

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
  signal: AbortSignal;
  /** Called after every step; `trainAdapters` (kernel/methods/training.ts) turns it into the method's onProgress. */
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

/** Training stopped because the loss stopped being a number; the last good checkpoint is kept. */
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
  let startEpoch = 0;
  if (o.checkpointFile && fs.existsSync(o.checkpointFile)) {
    const ckpt = loadCheckpoint(o.checkpointFile, { method: o.method, modelHash: o.modelHash });
    for (const [name, t] of Object.entries(ckpt.params)) {
      const target = o.params[name];
      if (!target || target.data.length !== t.data.length)
        throw new Error(
          `${o.checkpointFile}: parameter ${name} does not match this run's adapters; delete the checkpoint to start afresh`,
        );
      target.data.set(t.data);
    }
    o.optimizer.loadState(ckpt.optimizer);
    startEpoch = ckpt.epoch;
  }
  const epochLosses: number[] = [];
  const totalSteps = (o.epochs - startEpoch) * o.stepsPerEpoch;
  const started = Date.now();
  let done = 0;
  for (let epoch = startEpoch + 1; epoch <= o.epochs; epoch++) {
    let sum = 0;
    for (let step = 1; step <= o.stepsPerEpoch; step++) {
      checkCancelled(o.signal);
      const { loss, grads } = await o.step(epoch, step);
      if (!Number.isFinite(loss)) {
        const kept =
          o.checkpointFile && fs.existsSync(o.checkpointFile)
            ? ` The last good checkpoint (epoch ${epoch - 1}) is kept at ${o.checkpointFile}.`
            : "";
        throw new TrainingDiverged(
          `The loss became ${loss} at epoch ${epoch}, step ${step}; training stopped.${kept} Try a lower learning rate.`,
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
    if (o.checkpointFile) {
      saveCheckpoint(o.checkpointFile, {
        method: o.method,
        modelHash: o.modelHash,
        epoch,
        params: o.params,
        optimizer: o.optimizer.toState(),
        meta: o.meta ?? {},
      });
    }
    await o.afterEpoch?.(epoch, sum / o.stepsPerEpoch);
  }
  return { epochLosses, resumedFromEpoch: startEpoch };
}
