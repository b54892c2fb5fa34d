import type { ExecuteStatus } from "../protocol/messages";

/** Reports what running code produced; the cell runner forwards it to the host. */
export interface ExecutionReporter {
  /** The value of the cell's last expression (like Jupyter's execute_result). */
  value(text: string): void;
  error(ename: string, evalue: string, traceback: string[]): void;
}

/**
 * Runs TypeScript with state shared across calls. Kept behind this interface so tslab (quiet upstream) can be
 * replaced or vendored without touching the kernel.
 */
export interface Executor {
  /** `line` is the 1-based cell line where `code` starts, so type errors point at the right place. */
  execute(code: string, line: number, reporter: ExecutionReporter): Promise<ExecuteStatus>;
  /** Breaks a pending await of the running cell (a synchronous loop is broken by SIGINT itself). */
  interrupt(): void;
  close(): void;
}
