import type { ExecuteStatus } from "../protocol/messages";
import { MagicError } from "../magics/errors";
import { CellStopped, type Magic, type MagicInvocation } from "../magics/magic";
import { parseCell, type CellPart } from "../magics/parser";
import { defaultResultName, MagicRegistry, takeResultName } from "../magics/registry";
import { storeMagicResult } from "../api/magicResults";
import { describeThrown, isInterruption } from "../util/errorFormat";
import type { ExecutionReporter, Executor } from "./executor";

/** Where a cell's output goes (the kernel session forwards these over IPC). */
export interface CellSink extends ExecutionReporter {
  stdout(text: string): void;
}

/**
 * Runs one cell: its TypeScript parts through the executor and its magics through the registry, in order,
 * stopping at the first part that fails. A magic's result is bound to a typed variable for later cells.
 */
export class CellRunner {
  constructor(
    private readonly executor: Executor,
    private readonly registry: MagicRegistry,
  ) {}

  async run(source: string, sink: CellSink, signal: AbortSignal): Promise<ExecuteStatus> {
    let parts: CellPart[];
    try {
      parts = parseCell(source);
    } catch (err) {
      return this.reportMagicError(err, sink);
    }
    for (const part of parts) {
      const status =
        part.kind === "code"
          ? await this.executor.execute(part.code, part.line + 1, sink)
          : await this.runMagic(part, sink, signal);
      if (status !== "ok") return status;
      if (signal.aborted) return "interrupted";
    }
    return "ok";
  }

  private async runMagic(
    part: Exclude<CellPart, { kind: "code" }>,
    sink: CellSink,
    signal: AbortSignal,
  ): Promise<ExecuteStatus> {
    let magic: Magic;
    let invocation: MagicInvocation;
    let resultName: string | undefined;
    try {
      const line = part.line + 1;
      magic = this.registry.resolve(part.name, part.kind, line, part.column);
      const { args, as } = takeResultName(part.args, line, part.argsColumn);
      resultName = as ?? defaultResultName(magic.name);
      invocation = { name: part.name, kind: part.kind, args, line, argsColumn: part.argsColumn };
      if (part.kind === "cell") Object.assign(invocation, { body: part.body, bodyLine: part.bodyLine + 1 });
    } catch (err) {
      return this.reportMagicError(err, sink);
    }
    let result: unknown;
    try {
      result = await magic.run(invocation, {
        runCode: (code, line) => this.executor.execute(code, line, sink),
        print: (text) => sink.stdout(text),
        signal,
        magics: () => this.registry.all(),
      });
    } catch (err) {
      if (err instanceof MagicError) return this.reportMagicError(err, sink);
      if (err instanceof CellStopped) return err.status;
      if (isInterruption(err) || signal.aborted) return "interrupted";
      const { ename, evalue, traceback } = describeThrown(err);
      sink.error(ename, `%${part.kind === "cell" ? "%" : ""}${part.name}: ${evalue}`, traceback);
      return "error";
    }
    const resultType = result !== undefined ? (magic.resultTypeOf?.(result) ?? magic.resultType) : undefined;
    if (resultType) return this.bindResult(resultName, resultType, result, sink);
    return "ok";
  }

  /** Declares `const <name>` in the notebook scope, typed with the API's type, holding the magic's result. */
  private async bindResult(name: string, type: string, value: unknown, sink: CellSink): Promise<ExecuteStatus> {
    const id = storeMagicResult(value);
    const typeRef = /^[A-Z]/.test(type) ? `medad.${type}` : type;
    const silent: ExecutionReporter = { value: () => undefined, error: (...e) => sink.error(...e) };
    return this.executor.execute(`const ${name} = medad.internal.takeMagicResult(${id}) as ${typeRef};`, 1, silent);
  }

  private reportMagicError(err: unknown, sink: CellSink): ExecuteStatus {
    if (!(err instanceof MagicError)) throw err;
    sink.error("MagicError", err.describe(), [`MagicError: ${err.describe()}`]);
    return "error";
  }
}
