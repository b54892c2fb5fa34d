// Progress and cancellation shared by every method: long loops report (done, total, phase) and check the signal
// between batches, so a notebook cell can show progress and stop promptly without killing the kernel.

export type Phase = "text" | "support" | "calibration" | "test" | "evaluate";

export type Progress = (done: number, total: number, phase: Phase) => void;

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
