import type { JobProgress } from "./protocol";

/** What a job handler may use inside the worker. */
export interface JobContext {
  progress(progress: JobProgress): void;
  log(text: string): void;
  /** Aborted when the user stops the cell; handlers check it between steps (batches, epochs) with checkAbort. */
  signal: AbortSignal;
}

export type JobHandler = (params: unknown, ctx: JobContext) => Promise<unknown>;
