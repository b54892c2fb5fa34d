import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { FewshotResult } from "../methods/result";
import { writeFileAtomic } from "../util/atomicWrite";
import { codeVersion } from "../util/codeVersion";
import type { FewshotJobParams } from "../worker/fewshotJob";
import { cellId, type GridCell } from "./spec";

/** What `medad grid run` leaves for one cell: the run's result, the spec it answers and the code that made it. */
export interface CellRecord {
  schema: "medad.grid-cell/1";
  id: string;
  /** The run's normalised options; `id` is their hash. */
  spec: FewshotJobParams;
  codeVersion: string;
  host: string;
  finishedAt: string;
  result: FewshotResult;
}

/** A cell whose last attempt threw: kept beside the results so a status view can say why. */
export interface CellFailure {
  schema: "medad.grid-failure/1";
  id: string;
  message: string;
  host: string;
  failedAt: string;
}

export type CellState =
  | { state: "done"; record: CellRecord }
  | { state: "stale"; reason: string }
  | { state: "failed"; failure: CellFailure }
  | { state: "missing" };

export function resultFile(dir: string, id: string): string {
  return path.join(dir, "results", `${id}.json`);
}

export function failureFile(dir: string, id: string): string {
  return path.join(dir, "results", `${id}.failed.json`);
}

/** done (reusable), stale (a result from other code or for another spec), failed, or missing. */
export function cellState(dir: string, cell: GridCell): CellState {
  const file = resultFile(dir, cell.id);
  if (fs.existsSync(file)) {
    let record: CellRecord | undefined;
    try {
      record = JSON.parse(fs.readFileSync(file, "utf8")) as CellRecord;
    } catch {
      return { state: "stale", reason: `${file} is not valid JSON` };
    }
    if (record.schema !== "medad.grid-cell/1" || record.id !== cell.id)
      return { state: "stale", reason: `${file} is not this cell's result` };
    if (cellId(cell.params) !== cell.id)
      return { state: "stale", reason: `the manifest's spec of ${cell.id} was edited` };
    if (!record.spec || cellId(record.spec) !== cell.id)
      return { state: "stale", reason: `${file} answers another spec` };
    const now = codeVersion().describe;
    if (record.codeVersion !== now) return { state: "stale", reason: `made by code ${record.codeVersion}, now ${now}` };
    return { state: "done", record };
  }
  const failed = failureFile(dir, cell.id);
  if (fs.existsSync(failed)) {
    try {
      return { state: "failed", failure: JSON.parse(fs.readFileSync(failed, "utf8")) as CellFailure };
    } catch {
      // a half-read failure note says no more than "missing"
    }
  }
  return { state: "missing" };
}

export function writeCellResult(dir: string, cell: GridCell, result: FewshotResult): string {
  const record: CellRecord = {
    schema: "medad.grid-cell/1",
    id: cell.id,
    spec: cell.params,
    codeVersion: codeVersion().describe,
    host: os.hostname(),
    finishedAt: new Date().toISOString(),
    result,
  };
  const file = resultFile(dir, cell.id);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(record) + "\n");
  fs.rmSync(failureFile(dir, cell.id), { force: true });
  return file;
}

export function writeCellFailure(dir: string, cell: GridCell, message: string): void {
  const failure: CellFailure = {
    schema: "medad.grid-failure/1",
    id: cell.id,
    message,
    host: os.hostname(),
    failedAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.join(dir, "results"), { recursive: true });
  writeFileAtomic(failureFile(dir, cell.id), JSON.stringify(failure, null, 1) + "\n");
}
