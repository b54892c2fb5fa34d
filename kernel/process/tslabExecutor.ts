import * as util from "util";
import type { ExecuteStatus } from "../protocol/messages";
import { describeThrown, isInterruption } from "../util/errorFormat";
import type { ExecutionReporter, Executor } from "./executor";
import { expandShorthandProperties } from "./shorthandExpansion";

// tslab ships no types for its internal modules' paths; these are the parts of its API we use.
type TslabConverter = { close(): void };
type TslabExecutorApi = { execute(src: string): Promise<boolean>; interrupt(): void; close(): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createConverter } = require("tslab/dist/converter") as {
  createConverter(o: { isJS: boolean; isBrowser: boolean }): TslabConverter;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createExecutor } = require("tslab/dist/executor") as {
  createExecutor(
    rootDir: string,
    convs: { node: TslabConverter; browser: TslabConverter; close(): void },
    console: { log(...a: unknown[]): void; error(...a: unknown[]): void },
  ): TslabExecutorApi;
};

/**
 * tslab's converter (TypeScript 5.0 type-checking, top-level await, redeclarable variables) and executor
 * (vm.runInThisContext with breakOnSigint). tslab reports through a console: type errors arrive printf-style
 * ("%s%d:%d - %s", file, line, column, message), runtime errors as the thrown object, the last expression's
 * value through `log`.
 */
export class TslabExecutor implements Executor {
  private readonly converter: TslabConverter;
  private readonly executor: TslabExecutorApi;
  private current?: {
    reporter: ExecutionReporter;
    line: number;
    diagnostics: string[];
    interrupted: boolean;
    failed: boolean;
  };

  constructor(rootDir: string) {
    this.converter = createConverter({ isJS: false, isBrowser: false });
    const convs = { node: this.converter, browser: this.converter, close: () => this.converter.close() };
    this.executor = createExecutor(rootDir, convs, {
      log: (value: unknown) =>
        this.current?.reporter.value(
          typeof value === "string" ? value : util.inspect(value, { colors: false, depth: 4 }),
        ),
      error: (...args: unknown[]) => this.onError(args),
    });
  }

  private onError(args: unknown[]): void {
    const run = this.current;
    if (!run) return;
    if (args[0] === "%s%d:%d - %s" && args.length === 5) {
      const [, file, line, column, message] = args as [string, string, number, number, string];
      const where = file ? `${file.trim()} ` : "";
      run.diagnostics.push(`${where}line ${line + run.line - 1}, column ${column}: ${message}`);
      return;
    }
    run.failed = true;
    if (isInterruption(args[0])) {
      run.interrupted = true;
      return;
    }
    const { ename, evalue, traceback } = describeThrown(args[0]);
    run.reporter.error(ename, evalue, traceback);
  }

  async execute(code: string, line: number, reporter: ExecutionReporter): Promise<ExecuteStatus> {
    const run = { reporter, line, diagnostics: [] as string[], interrupted: false, failed: false };
    this.current = run;
    try {
      const ok = await this.executor.execute(expandShorthandProperties(code));
      if (run.diagnostics.length > 0) {
        const n = run.diagnostics.length;
        reporter.error("TypeScriptError", `${n} type error${n > 1 ? "s" : ""} in this cell`, run.diagnostics);
      }
      if (run.interrupted) return "interrupted";
      return ok && !run.failed ? "ok" : "error";
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }

  interrupt(): void {
    this.executor.interrupt();
  }

  close(): void {
    this.executor.close();
  }
}
