/**
 * Messages between the kernel and the background adaptation worker (a separate Node process, so a long or
 * crashing job never blocks or kills the notebook's kernel).
 */

/** Live progress of a job; the kernel turns it into the cell's progress bar. */
export interface JobProgress {
  /** What is happening: "features", "train", "evaluate", … */
  phase: string;
  done: number;
  total: number;
  epoch?: number;
  epochs?: number;
  step?: number;
  loss?: number;
  /** Items per second over the phase so far. */
  throughput?: number;
  /** Seconds left in the phase, from the throughput. */
  etaS?: number;
  message?: string;
}

export type KernelToWorker =
  | { type: "start"; jobId: number; kind: string; params: unknown }
  | { type: "cancel"; jobId: number };

export type WorkerToKernel =
  | { type: "ready"; pid: number }
  | { type: "progress"; jobId: number; progress: JobProgress }
  | { type: "log"; jobId: number; text: string }
  | { type: "result"; jobId: number; value: unknown }
  | { type: "failed"; jobId: number; name: string; message: string; stack?: string }
  | { type: "cancelled"; jobId: number };

export function isWorkerMessage(value: unknown): value is WorkerToKernel {
  const type = (value as { type?: unknown } | null)?.type;
  return (
    type === "ready" ||
    type === "progress" ||
    type === "log" ||
    type === "result" ||
    type === "failed" ||
    type === "cancelled"
  );
}

export function isKernelToWorker(value: unknown): value is KernelToWorker {
  const msg = value as { type?: unknown; jobId?: unknown } | null;
  return (msg?.type === "start" || msg?.type === "cancel") && typeof msg.jobId === "number";
}
