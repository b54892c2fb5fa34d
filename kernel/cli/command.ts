/** One `medad` subcommand. Each lives in its own file and is listed in `commands.ts`. */
export interface CliCommand {
  /** Words that select it, e.g. ["run"] or ["models", "pull"]. */
  readonly path: readonly string[];
  /** One line for `medad help`. */
  readonly summary: string;
  /** Full usage text shown by `medad help <command>` and after a usage error. */
  readonly usage: string;
  /** Runs with the arguments after `path`; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Raised for bad command-line input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
