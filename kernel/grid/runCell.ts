import type { FewshotResult } from "../methods/result";
import type { Progress } from "../methods/progress";
import { cellState, writeCellFailure, writeCellResult } from "./results";
import type { GridCell } from "./spec";
import type * as RunFewshot from "../methods/runFewshot";

export interface RunCellOptions {
  /** Run even when a matching result exists. */
  force?: boolean;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface RunCellOutcome {
  cell: GridCell;
  skipped: boolean;
  file: string;
  result: FewshotResult;
}

/**
 * Runs one grid cell in this process with the runner `%%compare` uses (`methods/runFewshot`, which the background
 * worker's fewshot job calls) and writes its result atomically. A cell whose result exists and matches its spec and
 * the code version is not run again. The result is passed through JSON, as the worker's IPC passes it, so a merged
 * grid equals an in-process `%%compare` value for value.
 */
export async function runGridCell(dir: string, cell: GridCell, options: RunCellOptions = {}): Promise<RunCellOutcome> {
  const before = cellState(dir, cell);
  if (before.state === "done" && !options.force) return { cell, skipped: true, file: "", result: before.record.result };
  // Loaded here so that planning, merging and status never load ONNX Runtime.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fewshot } = require("../methods/runFewshot") as typeof RunFewshot;
  let result: FewshotResult;
  try {
    const raw = await fewshot({ ...cell.params, onProgress: options.onProgress, signal: options.signal });
    result = JSON.parse(JSON.stringify(raw)) as FewshotResult;
  } catch (err) {
    if (!options.signal?.aborted) writeCellFailure(dir, cell, (err as Error).message);
    throw err;
  }
  return { cell, skipped: false, file: writeCellResult(dir, cell, result), result };
}
