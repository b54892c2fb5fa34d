import { UsageError, type CliIo } from "../command";

/** A grid command's own errors (a bad spec, a missing manifest) print as one line naming the file, exit code 1. */
export async function reportErrors(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.err(`medad grid ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
