import type { ExecuteStatus } from "../protocol/messages";
import type { BodySchema } from "./keyValueBody";

/** One use of a magic in a cell. Lines are 1-based cell lines, as shown to users. */
export interface MagicInvocation {
  name: string;
  kind: "line" | "cell";
  args: string;
  /** Cell magics only: the lines after `%%name`. */
  body?: string;
  line: number;
  /** 1-based column where `args` starts on `line`, for precise errors. */
  argsColumn: number;
  bodyLine?: number;
}

/** What a magic may do in the kernel. */
export interface MagicContext {
  /** Runs TypeScript in the notebook's shared scope; `line` is the 1-based cell line where `code` starts. */
  runCode(code: string, line: number): Promise<ExecuteStatus>;
  /** Writes to the cell's stdout. */
  print(text: string): void;
  /** Aborted when the user interrupts the cell. */
  signal: AbortSignal;
  /** Every registered magic, for %lsmagic and %help. */
  magics(): readonly Magic[];
}

/**
 * Thrown by a magic whose TypeScript body failed or was interrupted: the body already reported why, so the cell
 * just ends with that status (and no result is bound). Not a cancellation error (that is AbortError,
 * kernel/util/cancellation.ts): it carries an already-reported status, "error" as often as "aborted".
 */
export class CellStopped extends Error {
  constructor(readonly status: Exclude<ExecuteStatus, "ok">) {
    super(`cell stopped: ${status}`);
  }
}

export interface Magic {
  name: string;
  kinds: ReadonlyArray<"line" | "cell">;
  /** One line for %lsmagic. */
  summary: string;
  /** Usage and options for %help. */
  usage: string;
  /** Cell magics with a `key: value` body describe its keys here (used for checks, %help and completions). */
  bodySchema?: BodySchema;
  /**
   * The TypeScript type of the result, as exported by the public API (`medad.<Type>`) or a primitive type;
   * when set, the result is bound to a variable (`<name>Result`, or the name after `--as`).
   */
  resultType?: string;
  /** When the type depends on the value (`%load`: FewshotResult or CompareResult); defaults to `resultType`. */
  resultTypeOf?(value: unknown): string;
  /** Checks the arguments without running anything (throws a MagicError); used by the editor while typing. */
  checkArgs?(invocation: MagicInvocation): void;
  run(invocation: MagicInvocation, ctx: MagicContext): Promise<unknown>;
}
