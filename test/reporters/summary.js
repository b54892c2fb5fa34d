// Mocha reporter: the spec reporter's output plus a closing "N passed, N failed" line that CI reads.
// With MEDAD_TEST_SUMMARY set, each tier also appends its counts as one JSON line so .ci/run can total the tiers.
"use strict";
const fs = require("fs");
const Mocha = require("mocha");

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const tier = process.env.MEDAD_TEST_TIER || "tests";
      process.stdout.write(`${tier}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
      if (process.env.MEDAD_TEST_SUMMARY) {
        fs.appendFileSync(process.env.MEDAD_TEST_SUMMARY, JSON.stringify({ tier, ...counts }) + "\n");
      }
    });
  }
}
module.exports = SummaryReporter;
