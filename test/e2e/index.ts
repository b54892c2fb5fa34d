// Entry point VS Code loads as `extensionTestsPath` inside the real Node extension host (code-server, see
// scripts/e2e/run.sh). It runs every out/test/e2e/**/*.vscode.test.js with a programmatic Mocha and writes
// {passes, failures, pending, tests: [...]} to the file named by MEDAD_E2E_RESULTS, which the Playwright driver
// (scripts/e2e/driver.js) waits for: the extension host has no stdout of its own that the driver could read.
import * as fs from "fs";
import * as path from "path";
import Mocha from "mocha";
import * as vscode from "vscode";

interface TestResult {
  title: string;
  state: "passed" | "failed" | "pending";
  durationMs?: number;
  error?: string;
}

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? findTests(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith(".vscode.test.js"))
    .sort();
}

// Per-test lines go to console.log: the extension host forwards them to the page console, which the driver prints.
class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (t) => console.log(`e2e ✓ ${t.fullTitle()} (${t.duration} ms)`));
    runner.on(EVENT_TEST_PENDING, (t) => console.log(`e2e - ${t.fullTitle()} (skipped)`));
    runner.on(EVENT_TEST_FAIL, (t, err) => console.log(`e2e ✗ ${t.fullTitle()}\n${err.stack ?? err.message}`));
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * VS Code ends the extension host as soon as run() settles, which unregisters our controller (the notebook toolbar
 * falls back to "Select Kernel"). Hold it until the driver has taken its screenshot and written `<results>.done`.
 */
async function waitForDriver(resultsFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(`${resultsFile}.done`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

/**
 * Workspace trust is on in this tier and the driver answers the startup dialog as a person does; the suites start
 * once the window is trusted (a window that never becomes trusted fails the trust test in notebook.vscode.test.ts).
 */
async function waitForTrust(timeoutMs: number): Promise<void> {
  if (vscode.workspace.isTrusted) return;
  console.log("e2e waiting for workspace trust (the driver clicks the dialog)");
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const sub = vscode.workspace.onDidGrantWorkspaceTrust(done);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
  console.log(`e2e workspace trusted: ${vscode.workspace.isTrusted}`);
}

export async function run(): Promise<void> {
  await waitForTrust(30_000);
  const resultsFile = process.env.MEDAD_E2E_RESULTS;
  // MEDAD_E2E_GREP (optional) runs only the tests whose full title matches, as `mocha --grep` does.
  const grep = process.env.MEDAD_E2E_GREP || undefined;
  const mocha = new Mocha({ ui: "bdd", timeout: 120_000, color: false, reporter: ConsoleReporter, grep });
  for (const f of findTests(__dirname)) mocha.addFile(f);

  return new Promise((resolve, reject) => {
    const results: TestResult[] = [];
    const runner = mocha.run((failures) => {
      const summary = {
        passes: results.filter((r) => r.state === "passed").length,
        failures,
        pending: results.filter((r) => r.state === "pending").length,
        tests: results,
      };
      const settle = () => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve());
      if (!resultsFile) {
        console.error("e2e: MEDAD_E2E_RESULTS is not set; results were not written (run via scripts/e2e/run.sh)");
        return settle();
      }
      writeAtomically(resultsFile, JSON.stringify(summary, null, 2));
      void waitForDriver(resultsFile, 30_000).then(settle);
    });
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (t) => results.push({ title: t.fullTitle(), state: "passed", durationMs: t.duration }));
    runner.on(EVENT_TEST_PENDING, (t) => results.push({ title: t.fullTitle(), state: "pending" }));
    // Hook failures ("before all" …) also arrive here, so a broken setup counts as a failure, not as silence.
    runner.on(EVENT_TEST_FAIL, (t, err) =>
      results.push({ title: t.fullTitle(), state: "failed", error: String(err.stack ?? err.message) }),
    );
  });
}
