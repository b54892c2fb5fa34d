import type { TableData } from "../protocol/table";
import type { GridManifest } from "./manifest";
import { gridStatus } from "./merge";
import { latestTask, readSubmissions, taskStates } from "./slurm";
import type { GridCell } from "./spec";

export type CellPhase = "done" | "running" | "pending" | "failed" | "todo";

export interface CellProgress {
  cell: GridCell;
  phase: CellPhase;
  /** Slurm's state, the failure message, why a result is stale… */
  detail: string;
  /** The array task's log, when the cell was submitted. */
  log?: string;
}

const ACTIVE = new Set(["RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "REQUEUED", "RESIZING"]);
const WAITING = new Set(["PENDING", "REQUEUE_HOLD", "REQUEUE_FED"]);

/**
 * Where each cell stands: a current result is done whatever Slurm says; otherwise the latest array task that ran
 * it decides (queued, running, or ended without a result = failed, with its log). Without Slurm (local runs) only
 * the results folder speaks.
 */
export function gridProgress(dir: string, manifest: GridManifest, useSlurm: boolean): CellProgress[] {
  const status = gridStatus(dir, manifest);
  const submissions = useSlurm ? readSubmissions(dir) : [];
  const { states, accounting } = useSlurm
    ? taskStates([...new Set(submissions.map((s) => s.jobId))])
    : { states: new Map<string, string>(), accounting: true };
  return status.cells.map(({ cell, state }) => {
    if (state.state === "done") return { cell, phase: "done", detail: `on ${state.record.host}` };
    const task = latestTask(dir, submissions, states, cell.index);
    const failure = state.state === "failed" ? state.failure.message : state.state === "stale" ? state.reason : "";
    if (!task) return { cell, phase: failure ? "failed" : "todo", detail: failure || "not submitted" };
    const s = task.state;
    if (s && ACTIVE.has(s)) return { cell, phase: "running", detail: `job ${task.jobId}_${cell.index}`, log: task.log };
    if (s && WAITING.has(s))
      return { cell, phase: "pending", detail: `job ${task.jobId}_${cell.index}`, log: task.log };
    const why = s
      ? `${s}${failure ? `: ${failure}` : s === "COMPLETED" ? " without a result" : ""}`
      : `${failure || "left the queue without a result"}${accounting ? "" : " (no Slurm accounting to say more)"}`;
    return { cell, phase: "failed", detail: why, log: task.log };
  });
}

export function progressCounts(rows: CellProgress[]): Record<CellPhase, number> {
  const counts: Record<CellPhase, number> = { done: 0, running: 0, pending: 0, failed: 0, todo: 0 };
  for (const r of rows) counts[r.phase]++;
  return counts;
}

export function progressTable(rows: CellProgress[], title?: string): TableData {
  const c = progressCounts(rows);
  return {
    title:
      title ?? `grid: ${c.done}/${rows.length} done, ${c.running} running, ${c.pending} pending, ${c.failed} failed`,
    columns: ["#", "cell", "method", "shots", "seed", "state", "detail", "log"],
    rows: rows.map((r) => [
      r.cell.index,
      r.cell.id,
      r.cell.method,
      r.cell.shots,
      r.cell.seed,
      r.phase,
      r.detail,
      r.log ?? "",
    ]),
  };
}
