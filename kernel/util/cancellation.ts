// Cooperative cancellation of a long job: loops check the job's AbortSignal between steps and throw JobCancelled,
// which the background worker reports as "cancelled" rather than "failed". It lives here, not in kernel/worker/, so
// that in-process libraries (the training loop) can stop the same way without depending on the worker.

/** Thrown by a job that noticed its signal; the worker reports the job as cancelled, not failed. */
export class JobCancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "JobCancelled";
  }
}

/** Throws JobCancelled if the job was stopped; call it between steps. */
export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelled();
}
