import * as path from "path";
import { planGrid, writeManifest } from "../grid/manifest";
import { gridStatus, mergeGrid } from "../grid/merge";
import { gridProgress, progressCounts, progressTable, type CellProgress } from "../grid/progress";
import { cancelTask, submitArray, type SlurmOptions } from "../grid/slurm";
import type { GridSpec } from "../grid/spec";
import type { CompareResult } from "../grid/summary";
import { displayHandle } from "./display";

/** Where `backend: slurm` keeps a grid when `grid_dir` is not given: one folder per spec, under the working folder. */
export function defaultGridDir(manifestId: string): string {
  return path.resolve("medad-grid", manifestId);
}

function failureReport(dir: string, failed: CellProgress[]): string {
  const lines = failed.map(
    (r) =>
      `  #${r.cell.index} ${r.cell.method} · ${r.cell.shots}-shot · seed ${r.cell.seed}: ${r.detail}` +
      (r.log ? ` (log ${r.log})` : ""),
  );
  return (
    `${failed.length} grid cell(s) failed:\n${lines.join("\n")}\n` +
    `Run the cell again to resubmit only these (finished results in ${path.join(dir, "results")} are kept), ` +
    `or: medad grid submit ${dir} --slurm`
  );
}

/**
 * `%%compare` with `backend: slurm`: plans the grid into its folder, submits the cells that have no current
 * result as one array job, shows a live table (results folder + squeue/sacct) and merges when every cell is in.
 * Stopping the cell cancels the array tasks it submitted.
 */
export async function compareOnSlurm(
  spec: GridSpec,
  o: SlurmOptions & { dir?: string; pollMs?: number },
  signal: AbortSignal,
): Promise<CompareResult> {
  const manifest = planGrid(spec);
  const dir = path.resolve(o.dir ?? defaultGridDir(manifest.id));
  writeManifest(dir, manifest);
  const todo = gridStatus(dir, manifest).todo;
  const submitted =
    todo.length > 0
      ? submitArray(
          dir,
          manifest,
          todo.map((c) => c.index),
          o,
        )
      : undefined;
  const handle = displayHandle();
  const pollMs = o.pollMs ?? 2000;
  let lastFailedView = "";
  for (;;) {
    const rows = gridProgress(dir, manifest, true);
    handle.table(progressTable(rows));
    const c = progressCounts(rows);
    if (c.done === rows.length) break;
    if (c.running + c.pending + c.todo === 0) {
      // Seen twice in a row: a task that just ended may not have its result visible yet on a network filesystem.
      const view = rows.map((r) => r.phase).join();
      if (view === lastFailedView)
        throw new Error(
          failureReport(
            dir,
            rows.filter((r) => r.phase === "failed"),
          ),
        );
      lastFailedView = view;
    } else {
      lastFailedView = "";
    }
    if (signal.aborted) {
      if (submitted) for (const i of submitted.indices) if (rows[i].phase !== "done") cancelQuietly(submitted.jobId, i);
      throw new Error(`stopped; the array tasks still queued or running were cancelled (${dir})`);
    }
    await sleep(pollMs, signal);
  }
  return mergeGrid(dir, manifest).result;
}

function cancelQuietly(jobId: string, index: number): void {
  try {
    cancelTask(jobId, index);
  } catch {
    // already finished
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
