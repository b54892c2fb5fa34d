import type { GridCell } from "../grid/spec";
import type { FewshotResult } from "../methods/result";
import { JobRunner } from "../worker/jobRunner";
import { progressBar } from "./progressBar";

/**
 * `%%compare` with `parallel: N`: the cells go to N fresh worker processes (each the same worker and fewshot job
 * as the kernel's own queue), a free worker taking the next cell in grid order. Results keep the grid order, so
 * the summary is the one a one-worker run gives. The workers exit when the grid is done or stopped.
 */
export async function compareInWorkers(
  cells: GridCell[],
  parallel: number,
  signal: AbortSignal,
): Promise<FewshotResult[]> {
  const workers = Array.from({ length: Math.min(parallel, cells.length) }, () => new JobRunner());
  const results: FewshotResult[] = new Array<FewshotResult>(cells.length);
  const bar = progressBar(`${cells.length} runs in ${workers.length} workers`);
  const started = Date.now();
  let next = 0;
  let done = 0;
  let stop = false; // a failed cell stops the others from taking new ones
  const running = new Set<string>();
  const show = () =>
    bar.update({ phase: "runs", done, total: cells.length, message: [...running].join(", ") || undefined });
  const drain = async (runner: JobRunner): Promise<void> => {
    while (next < cells.length && !signal.aborted && !stop) {
      const cell = cells[next++];
      const label = `${cell.method}/${cell.shots}/${cell.seed}`;
      running.add(label);
      show();
      try {
        results[cell.index] = await runner.run<FewshotResult>("fewshot", cell.params, {
          signal,
          onLog: (t) => process.stderr.write(t),
        });
      } catch (err) {
        stop = true;
        throw err;
      }
      running.delete(label);
      done++;
      show();
    }
  };
  try {
    // allSettled first so that one failing cell does not leave the other workers running after we return.
    const settled = await Promise.allSettled(workers.map(drain));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    bar.finish(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return results;
  } catch (err) {
    bar.finish(signal.aborted ? "stopped" : "failed", true);
    throw err;
  } finally {
    await Promise.all(workers.map((w) => w.dispose()));
  }
}
