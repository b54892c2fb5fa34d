import { MagicError } from "../errors";
import type { MagicInvocation } from "../magic";

/** One whitespace-separated argument of a line magic, unquoted, with its 1-based column in the cell. */
export interface ArgToken {
  text: string;
  column: number;
  quoted: boolean;
}

/** Splits arguments on whitespace; "double" or 'single' quotes keep spaces (paths). */
export function tokenizeArgs(args: string, argsColumn: number, line: number): ArgToken[] {
  const tokens: ArgToken[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args))) {
    if (m[3] !== undefined && /["']/.test(m[3]))
      throw new MagicError(`unbalanced quote in '${m[3]}'.`, line, argsColumn + m.index, "a closing quote");
    tokens.push({ text: m[1] ?? m[2] ?? m[3], column: argsColumn + m.index, quoted: m[3] === undefined });
  }
  return tokens;
}

/** A variable, optionally with properties and indices: `fewshotResult`, `compareResult.runs[0]`. */
const RESULT_EXPRESSION = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/** Checks that a token names a result variable (so the generated TypeScript is exactly `f(<that name>)`). */
export function resultExpression(token: ArgToken | undefined, invocation: MagicInvocation, usage: string): string {
  if (!token)
    throw new MagicError(
      `%${invocation.name} needs the variable that holds a result.`,
      invocation.line,
      invocation.argsColumn,
      usage,
    );
  if (token.quoted || !RESULT_EXPRESSION.test(token.text)) {
    throw new MagicError(
      `'${token.text}' is not a variable name.`,
      invocation.line,
      token.column,
      `a variable such as fewshotResult or compareResult.runs[0] (${usage})`,
    );
  }
  return token.text;
}

/** A whole number ≥ 1 (a case count), or an error at its column. */
export function countArg(token: ArgToken, invocation: MagicInvocation, what: string): number {
  const n = Number(token.text);
  if (!/^\d+$/.test(token.text) || n < 1)
    throw new MagicError(
      `'${token.text}' is not a valid ${what}.`,
      invocation.line,
      token.column,
      "a whole number ≥ 1",
    );
  return n;
}

export function tooMany(token: ArgToken, invocation: MagicInvocation, usage: string): never {
  throw new MagicError(`unexpected argument '${token.text}'.`, invocation.line, token.column, usage);
}
