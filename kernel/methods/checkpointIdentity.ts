// What makes two training runs the same run, for resuming a checkpoint: the one place every trained method's
// identity is assembled (trainWithGradients passes it to trainLoop, which saves it and compares it on resume).
import { codeVersion } from "../util/codeVersion";
import type { MethodContext } from "./method";
import type { TrainSettings } from "./training";

/**
 * Options that select files or the run's bookkeeping, not the trajectory: where the checkpoint lives, whether a
 * mismatch is forced, the epoch count (a constant schedule makes a longer run continue a shorter one; a checkpoint
 * past `epochs` is refused by trainLoop), and the base method of a plug-in run (plug-ins change scoring only).
 */
const NOT_IDENTITY = new Set(["checkpoint", "resume", "epochs", "base"]);

export function checkpointIdentity(
  ctx: MethodContext,
  method: string,
  settings: TrainSettings,
  stepsPerEpoch: number,
  meta: Record<string, unknown>,
): Record<string, unknown> {
  const code = codeVersion();
  const options = Object.fromEntries(Object.entries(ctx.options).filter(([k]) => !NOT_IDENTITY.has(k)));
  return {
    method,
    model: ctx.modelHash,
    // The commit (or package version), not its -dirty flag: editing a notebook in the checkout would flip it.
    code: code.commit ?? code.version,
    category: ctx.category,
    support: ctx.support
      ? { k: ctx.support.record.k, normal: ctx.support.record.normal, abnormal: ctx.support.record.abnormal }
      : null,
    imageSize: ctx.imageSize,
    taps: ctx.taps ?? null,
    activation: ctx.activation ?? null,
    preprocess: ctx.preprocess,
    seed: settings.seed,
    lr: settings.lr,
    betas: settings.betas,
    schedule: "constant",
    batch: settings.batch,
    augment: settings.augment,
    stepsPerEpoch,
    options,
    meta,
  };
}

/** "trained for 5 epochs", "trained from epoch 2 for 5 epochs", or, with nothing left to run, "loaded at epoch 5". */
export function trainedPhrase(run: { resumedFromEpoch: number; steps: number }, epochs: number): string {
  if (run.resumedFromEpoch && run.steps === 0) return `loaded from the checkpoint at epoch ${epochs}, no training left`;
  return `trained ${run.resumedFromEpoch ? `from epoch ${run.resumedFromEpoch} ` : ""}for ${epochs} epochs`;
}
