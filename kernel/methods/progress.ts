// Progress and cancellation shared by every method: long loops report (done, total, phase) and check the signal
// between batches, so a notebook cell can show progress and stop promptly without killing the kernel.

export type Phase = "text" | "support" | "train" | "calibration" | "test" | "evaluate";

/** Extra facts of a training step (phase "train"): which epoch and the step's loss. */
export interface ProgressDetail {
  epoch?: number;
  epochs?: number;
  loss?: number;
}

export type Progress = (done: number, total: number, phase: Phase, detail?: ProgressDetail) => void;

export class AbortError extends Error {
  constructor(message = "the run was aborted") {
    super(message);
    this.name = "AbortError";
  }
}

/** Throws when the signal has fired; called between batches, never inside one. */
export function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(typeof signal.reason === "string" ? signal.reason : undefined);
}
