import type { JobProgress } from "./protocol";

/** What a job handler may use inside the worker. */
export interface JobContext {
  progress(progress: JobProgress): void;
  log(text: string): void;
  /** Aborted when the user stops the cell; handlers check it between steps (batches, epochs). */
  signal: AbortSignal;
}

export type JobHandler = (params: unknown, ctx: JobContext) => Promise<unknown>;

/** Thrown by a handler that noticed the signal; the worker reports the job as cancelled, not failed. */
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
