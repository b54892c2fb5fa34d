import type { TableData } from "../protocol/table";
import type { GridManifest } from "./manifest";
import { cellState, type CellState } from "./results";
import type { GridCell } from "./spec";
import { compareTable, summariseRuns, type CompareResult } from "./summary";

export interface GridStatus {
  cells: Array<{ cell: GridCell; state: CellState }>;
  done: number;
  /** Cells without a reusable result (missing, failed or stale). */
  todo: GridCell[];
}

export function gridStatus(dir: string, manifest: GridManifest): GridStatus {
  const cells = manifest.cells.map((cell) => ({ cell, state: cellState(dir, cell) }));
  return {
    cells,
    done: cells.filter((c) => c.state.state === "done").length,
    todo: cells.filter((c) => c.state.state !== "done").map((c) => c.cell),
  };
}

/**
 * The table and CompareResult `%%compare` shows, from the results folder: runs in manifest order (the order the
 * in-process loop runs them), summarised by the same function. Every cell must have a current result.
 */
export function mergeGrid(dir: string, manifest: GridManifest): { result: CompareResult; table: TableData } {
  const status = gridStatus(dir, manifest);
  if (status.todo.length > 0) {
    const first = status.todo
      .slice(0, 5)
      .map((c) => `${c.index} (${c.id}: ${c.method} · ${c.shots}-shot · seed ${c.seed})`);
    throw new Error(
      `${dir}: ${status.todo.length} of ${manifest.cells.length} cells have no current result: ${first.join(", ")}` +
        `${status.todo.length > 5 ? ", …" : ""}; run them ('medad grid run --index N' or 'medad grid submit')`,
    );
  }
  const runs = status.cells.map((c) => (c.state as Extract<CellState, { state: "done" }>).record.result);
  const { methods, shots, seeds } = manifest.spec;
  const cells = summariseRuns(runs, methods, shots);
  return { result: { cells, runs }, table: compareTable(cells, seeds) };
}
