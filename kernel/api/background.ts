import { AbortError } from "../util/cancellation";
import { JobRunner } from "../worker/jobRunner";
import type { JobProgress } from "../worker/protocol";
import { cellSignal } from "./cellSignal";
import { progressBar } from "./progressBar";

let runner: JobRunner | undefined;

/** The kernel's one background worker queue (created on first use; the worker exits with the kernel). */
export function backgroundJobs(): JobRunner {
  return (runner ??= new JobRunner());
}

/**
 * Runs a job in the background worker with a live progress bar in the running cell; the cell's stop button
 * cancels it (within a second). Resolves to the job's result.
 */
export async function runInBackground<T>(
  kind: string,
  params: unknown,
  title: string,
  signal: AbortSignal = cellSignal(),
  onProgress?: (p: JobProgress) => void,
): Promise<T> {
  const bar = progressBar(title);
  const started = Date.now();
  try {
    const value = await backgroundJobs().run<T>(kind, params, {
      onProgress: (p) => {
        bar.update(p);
        onProgress?.(p);
      },
      onLog: (t) => process.stderr.write(t),
      signal,
    });
    bar.finish(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  } catch (err) {
    bar.finish(err instanceof AbortError ? "stopped" : "failed", true);
    throw err;
  }
}
