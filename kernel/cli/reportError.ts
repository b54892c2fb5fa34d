/**
 * How a command's failure is printed. An expected error (a missing file, bad weights, a full disk: kernel code
 * throws these with a message naming the file and the fix) prints that message only. A programming error
 * (TypeError, RangeError, an assertion …) is a bug in MedAD Lab and keeps its stack so it can be reported.
 * MEDAD_DEBUG=1 prints every stack.
 */

import { errnoCode, fsFix } from "../util/fsErrors";

const BUG_TYPES: readonly (new (...a: never[]) => Error)[] = [
  TypeError,
  ReferenceError,
  RangeError,
  SyntaxError,
  EvalError,
  URIError,
];

/** True for errors that mean a bug rather than bad input or a bad environment. */
export function isProgrammingError(err: unknown): boolean {
  if (!(err instanceof Error)) return true; // something threw a non-Error: not one of ours
  if (BUG_TYPES.some((t) => err instanceof t)) return true;
  return err.name === "AssertionError" || (err as { code?: unknown }).code === "ERR_ASSERTION";
}

/** The text printed for a failed command `medad <command>`. */
export function formatFailure(command: string, err: unknown, debug = process.env.MEDAD_DEBUG === "1"): string {
  const code = errnoCode(err);
  // A bare file-system error from a command's own write: add what to do (writers that know the file name it).
  const message = err instanceof Error ? (code ? `${err.message}. ${fsFix(code)}` : err.message) : String(err);
  if (!isProgrammingError(err) && !debug) return `medad ${command}: ${message}\n`;
  const stack = err instanceof Error && err.stack ? err.stack : String(err);
  const hint = isProgrammingError(err)
    ? "\nThis looks like a bug in MedAD Lab; please report it with the lines above.\n"
    : "\n";
  return `medad ${command}: ${message}\n${stack}${hint}`;
}
