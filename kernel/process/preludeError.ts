// The kernel's start-up failure when the prelude (`import * as medad from ".../out/kernel/api/index"`) does not
// compile or run. The host shows only the last lines of the kernel's stderr, so the message is short and complete:
// what failed, each type error (file, line, column, message) up to a few, and the fix.

export interface PreludeFailure {
  ename: string;
  evalue: string;
  /** For a TypeScriptError: one line per diagnostic, "[file ]line L, column C: message" (tslabExecutor.ts). */
  traceback: string[];
}

export class PreludeError extends Error {}

const SHOWN = 3;

/** `apiModule`: the path the prelude imports (without extension); `status`: the executor's status. */
export function preludeError(apiModule: string, status: string, failure: PreludeFailure | undefined): PreludeError {
  const what = failure ? `${failure.ename}: ${failure.evalue}` : `status ${status}`;
  const lines = [`kernel prelude failed: ${what}`];
  const details = failure?.traceback.filter((l) => l.trim() !== "") ?? [];
  for (const d of details.slice(0, SHOWN)) {
    // A diagnostic without a file name is in the prelude cell itself.
    lines.push(`  ${/^line \d+/.test(d) ? `prelude cell: ${d}` : d}`);
  }
  if (details.length > SHOWN) lines.push(`  … and ${details.length - SHOWN} more`);
  lines.push(
    `The prelude imports MedAD Lab's API from ${apiModule}(.js, .d.ts) and type-checks it with TypeScript's ` +
      "lib*.d.ts: a file is missing or broken. Reinstall the extension (.vsix), or run `npm run build` in a checkout.",
  );
  return new PreludeError(lines.join("\n"));
}
