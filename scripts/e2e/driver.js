// Playwright driver for the end-to-end tier (started by scripts/e2e/run.sh once code-server is up).
// Opens the workbench with a `payload` that makes the remote (Node) extension host load the suites' empty runner
// extension (E2E_EXT_DIR) next to the installed .vsix and run out/test/e2e/index.js, answers the workspace trust
// dialog ("Yes, I trust the authors"), prints the page console, waits for the results file written by that runner,
// screenshots the workbench, runs the untrusted-folder check in a second window (trustChecks.js) and exits with the
// number of failures (2 for a driver error or a timeout).
// Env: E2E_URL (http://127.0.0.1:PORT), E2E_WORKSPACE, E2E_UNTRUSTED (folder for the untrusted check), E2E_EXT_DIR,
//      E2E_TESTS_PATH, MEDAD_E2E_RESULTS, MEDAD_E2E_GREP (the untrusted check runs when it matches "untrusted"),
//      E2E_ARTIFACTS (screenshot folder), E2E_TIMEOUT_S (default 720), E2E_SERVER_LOG (code-server's log: an
//      extension host that exits without results, e.g. index.js threw on load, then fails the run in seconds).
"use strict";
const fs = require("fs");
const path = require("path");
const { tableRendered } = require("./uiChecks");
const { runRendererCheck } = require("./rendererChecks");
const { trustWorkspace, untrustedFolderRunsNothing } = require("./trustChecks");

function loadPlaywright() {
  const repo = path.join(__dirname, "..", "..");
  for (const base of [repo, path.join(repo, ".e2e", "pw")]) {
    try {
      return require(require.resolve("playwright-core", { paths: [base] }));
    } catch {
      /* try the next place install.sh may have put it */
    }
  }
  throw new Error("playwright-core not found: run scripts/e2e/install.sh");
}

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`driver: ${name} is not set (run scripts/e2e/run.sh)`);
  return v;
}

function serverLogCount(re) {
  const log = process.env.E2E_SERVER_LOG;
  if (!log || !fs.existsSync(log)) return 0;
  return (fs.readFileSync(log, "utf8").match(re) ?? []).length;
}
// Extension hosts launched before the test window (the trust window's) exit on their own, maybe later: not counted.
let hostsBefore = 0;
const hostExited = () => serverLogCount(/Extension Host Process exited/g) > hostsBefore;

async function waitForFile(file, timeoutMs, isDone, onPoll) {
  const deadline = Date.now() + timeoutMs;
  let exitSeenAt;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return true;
    if (onPoll) await onPoll();
    if (isDone()) return false;
    // The host writes results before it exits; allow a moment for the rename to land, then give up.
    if (exitSeenAt === undefined && hostExited()) exitSeenAt = Date.now();
    if (exitSeenAt !== undefined && Date.now() - exitSeenAt > 3000) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

// Workbench log lines carry browser styling ("%c INFO color: #33f …") and long minified stacks; the suite's own lines
// (index.ts prefixes them with "e2e ") are kept whole, others shortened to their first line unless E2E_VERBOSE=1.
function forward(type, text) {
  const clean = text.replace(/^%c\s*(\w+)\s+color: #[0-9a-f]+\s*/i, "$1 ");
  const ours = /(^|\s)e2e[ :]/.test(clean);
  const shown = ours || process.env.E2E_VERBOSE ? clean : clean.split("\n")[0].slice(0, 240);
  console.log(`[page:${type}] ${shown}`);
}

async function main() {
  const base = env("E2E_URL");
  const workspace = env("E2E_WORKSPACE");
  const resultsFile = env("MEDAD_E2E_RESULTS");
  const artifacts = env("E2E_ARTIFACTS");
  const timeoutMs = Number(process.env.E2E_TIMEOUT_S || 720) * 1000;
  const authority = "vscode-remote://" + new URL(base).host;
  // The payload is what `code --extensionDevelopmentPath … --extensionTestsPath …` passes in the desktop app.
  const payload = [
    ["extensionDevelopmentPath", authority + env("E2E_EXT_DIR")],
    ["extensionTestsPath", authority + env("E2E_TESTS_PATH")],
  ];
  const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  let closed = false;
  try {
    // One browser context for all windows: the trust the person grants in the first window is kept (in the
    // workbench's IndexedDB storage) for the test window, where VS Code refuses to show dialogs at all.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1700 } });
    await trustWorkspace(context, `${base}/?folder=${encodeURIComponent(workspace)}`, artifacts);
    hostsBefore = serverLogCount(/Launched Extension Host Process/g);
    const page = await context.newPage();
    // Chromium logs every CSP violation to the console of the frame it happened in; Playwright reports all frames.
    const cspViolations = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply|evaluate|create)/.test(m.text()))
        cspViolations.push(m.text().slice(0, 400));
      forward(m.type(), m.text());
    });
    page.on("pageerror", (e) => console.log(`[page:exception] ${e.message}`));
    page.on("close", () => (closed = true));
    await page.goto(url);
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });

    const found = await waitForFile(
      resultsFile,
      timeoutMs,
      () => closed,
      () => serveUiRequests(page, resultsFile, artifacts, cspViolations),
    );
    if (!found) {
      console.error(
        closed || hostExited()
          ? "driver: the workbench or extension host ended before the runner wrote its results (see the lines above)"
          : `driver: no results from the extension-host runner after ${timeoutMs / 1000} s (${resultsFile}); ` +
              "check that out/test/e2e/index.js exists (npm run build) and the page lines above",
      );
      if (!closed) await screenshot(page, artifacts, "timeout.png");
      return 2;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
    // Browser-side checks on the executed 00-hello the suite left open (skipped when that test did not pass).
    if (!closed && results.tests.some((t) => t.title.includes("00-hello") && t.state === "passed")) {
      addResult(results, await tableRendered(page));
    }
    if (!closed) await screenshot(page, artifacts, "workbench-notebook.png");
    fs.writeFileSync(`${resultsFile}.done`, ""); // lets the in-host runner (test/e2e/index.ts) return
    const grep = process.env.MEDAD_E2E_GREP;
    if (!closed && process.env.E2E_UNTRUSTED && (!grep || new RegExp(grep).test("untrusted folder"))) {
      addResult(results, await untrustedFolderRunsNothing(context, base, process.env.E2E_UNTRUSTED, artifacts));
    }
    writeAtomically(resultsFile, JSON.stringify(results, null, 2)); // run.sh counts from this file
    for (const t of results.tests) if (t.state === "failed") console.error(`FAILED ${t.title}\n${t.error}`);
    return results.failures;
  } finally {
    await browser.close();
  }
}

/**
 * Mid-suite browser checks: the in-host suite writes `<results>.ui-NAME.request` (test/e2e/uiCheckpoint.ts) and
 * waits for `<results>.ui-NAME.result`, the check results as JSON.
 */
async function serveUiRequests(page, resultsFile, artifacts, cspViolations) {
  const dir = path.dirname(resultsFile);
  const prefix = `${path.basename(resultsFile)}.ui-`;
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(prefix) || !f.endsWith(".request")) continue;
    const request = path.join(dir, f);
    const name = f.slice(prefix.length, -".request".length);
    const { args } = JSON.parse(fs.readFileSync(request, "utf8"));
    fs.rmSync(request, { force: true });
    const results = await runRendererCheck(name, page, artifacts, cspViolations, args);
    for (const r of results)
      console.log(r.state === "passed" ? `e2e ui ✓ ${r.title}` : `e2e ui ✗ ${r.title}\n${r.error}`);
    writeAtomically(path.join(dir, `${prefix}${name}.result`), JSON.stringify(results));
  }
}

function addResult(results, r) {
  results.tests.push(r);
  if (r.state === "passed") results.passes++;
  else results.failures++;
  console.log(r.state === "passed" ? `e2e ✓ ${r.title}` : `e2e ✗ ${r.title}\n${r.error}`);
}

function writeAtomically(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

async function screenshot(page, dir, name) {
  fs.mkdirSync(dir, { recursive: true });
  // Let the output webviews finish rendering what the suite left open.
  await page.waitForTimeout(1500);
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  console.log(`driver: screenshot ${file}`);
}

main().then(
  (failures) => process.exit(Math.min(failures, 100)),
  (err) => {
    console.error(`driver: ${err.stack || err}`);
    process.exit(2);
  },
);
