import type { ExecutionStatus, KernelClient } from "../client/kernelClient";
import { appendOutput, type CellOutput } from "../protocol/outputs";
import { takeExploreRequest } from "../protocol/explorer";
import { joinText, toIpynbOutputs, type Ipynb } from "./ipynb";

/** Without VS Code there is no explorer panel: an `%explore` output keeps only its text note. */
function headless(output: CellOutput): CellOutput {
  return takeExploreRequest(output).output;
}

export interface CellReport {
  /** 1-based index among all cells of the notebook. */
  index: number;
  status: ExecutionStatus | "timeout";
  durationMs: number;
  outputs: CellOutput[];
}

export interface RunOptions {
  /** Go on after a failing cell (like nbconvert's --allow-errors). */
  allowErrors?: boolean;
  /** Per-cell limit; the cell is interrupted when it is exceeded. */
  timeoutMs?: number;
  onCellStart?: (index: number, source: string) => void;
  onCellEnd?: (report: CellReport) => void;
  /** Set by a caller that was itself interrupted (Ctrl+C): no further cell starts. */
  shouldStop?: () => boolean;
}

export interface RunSummary {
  notebook: Ipynb;
  reports: CellReport[];
  /** The first cell that did not end `ok`, if any. */
  failed?: CellReport;
}

/**
 * Executes the code cells of a notebook in order through one kernel and returns a copy with outputs and
 * execution counts filled in; stops at the first failing cell unless `allowErrors`. Cells not reached keep their
 * old outputs, as nbconvert does.
 */
export async function runNotebook(input: Ipynb, kernel: KernelClient, options: RunOptions = {}): Promise<RunSummary> {
  const notebook: Ipynb = structuredClone(input);
  const reports: CellReport[] = [];
  let count = 0;
  let failed: CellReport | undefined;
  for (const [i, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    if (options.shouldStop?.()) break;
    const source = joinText(cell.source);
    options.onCellStart?.(i + 1, source);
    let outputs: CellOutput[] = [];
    let timedOut = false;
    // The limit is for the cell, not for starting the kernel (seconds on a busy machine); a start failure is
    // reported by execute() below.
    await kernel.start().catch(() => undefined);
    const timer = options.timeoutMs
      ? setTimeout(() => ((timedOut = true), kernel.interrupt()), options.timeoutMs)
      : undefined;
    const result =
      source.trim() === ""
        ? { status: "ok" as const, durationMs: 0 }
        : await kernel.execute(source, (o, update) => (outputs = appendOutput(outputs, headless(o), update)));
    clearTimeout(timer);
    if (timedOut && result.status === "interrupted") {
      outputs = appendOutput(outputs, {
        kind: "error",
        ename: "Timeout",
        evalue: `The cell ran longer than the ${options.timeoutMs! / 1000} s limit and was interrupted.`,
        traceback: [],
      });
    }
    cell.execution_count = source.trim() === "" ? null : ++count;
    cell.outputs = toIpynbOutputs(outputs);
    const report: CellReport = {
      index: i + 1,
      status: timedOut && result.status === "interrupted" ? "timeout" : result.status,
      durationMs: result.durationMs,
      outputs,
    };
    reports.push(report);
    options.onCellEnd?.(report);
    if (report.status !== "ok") {
      failed ??= report;
      if (!options.allowErrors || report.status === "died") break;
    }
  }
  return { notebook, reports, failed };
}
