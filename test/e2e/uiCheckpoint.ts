// Hands a browser-side check to the Playwright driver in the middle of a suite and waits for its verdict: the
// extension host cannot see inside output webviews, the driver can (scripts/e2e/driver.js serves these requests).
import * as fs from "fs";
import { sleep } from "./notebookHelpers";

export interface UiCheckResult {
  title: string;
  state: "passed" | "failed";
  error?: string;
}

/**
 * Undefined when the suite runs without the driver (no MEDAD_E2E_RESULTS): callers skip. `args` (JSON) reach the
 * check as its third parameter.
 */
export async function uiCheck(name: string, timeoutMs = 90_000, args?: unknown): Promise<UiCheckResult[] | undefined> {
  const results = process.env.MEDAD_E2E_RESULTS;
  if (!results) return undefined;
  const request = `${results}.ui-${name}.request`;
  const answer = `${results}.ui-${name}.result`;
  fs.rmSync(answer, { force: true });
  fs.writeFileSync(`${request}.tmp`, JSON.stringify({ check: name, args }));
  fs.renameSync(`${request}.tmp`, request);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(answer)) {
    if (Date.now() > deadline)
      return [
        { title: name, state: "failed", error: `the driver did not answer ui check "${name}" within ${timeoutMs} ms` },
      ];
    await sleep(200);
  }
  return JSON.parse(fs.readFileSync(answer, "utf8")) as UiCheckResult[];
}
