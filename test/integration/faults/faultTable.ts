// The fault suite's table: every case of issue 19 with what is expected and what was observed. Cases reproduced
// here record their observation; cases an older test already reproduces are listed with that test, whose title is
// checked to still exist (so a renamed or deleted test fails here instead of leaving the table stale). The table
// is printed once, after every test of the run (a root hook).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

interface Row {
  area: string;
  name: string;
  expected: string;
  observed: string;
}

const rows: Row[] = [];
const ROOT = path.join(__dirname, "..", "..", "..", "..");

/** Records a case reproduced by the calling test. Call it after the test's assertions passed. */
export function observed(area: string, name: string, expected: string, what: string): void {
  rows.push({ area, name, expected, observed: what });
}

/** Records a case another test reproduces: `file` (from the repo root, .ts) must contain `title`. */
export function coveredBy(area: string, name: string, expected: string, file: string, title: string): void {
  const source = fs.readFileSync(path.join(ROOT, file), "utf8");
  assert.ok(source.includes(title), `${file} no longer has the test "${title}"; update the fault table`);
  rows.push({ area, name, expected, observed: `covered by ${file}: "${title}"` });
}

function clip(text: string, width: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > width ? `${one.slice(0, width - 1)}…` : one;
}

after(function () {
  if (rows.length === 0) return;
  const lines = [
    "",
    "Fault suite (issue 19, docs/reliability.md): case | expected | observed",
    ...rows.map((r) => `  [${r.area}] ${r.name} | ${clip(r.expected, 70)} | ${clip(r.observed, 150)}`),
    `${rows.length} cases`,
    "",
  ];
  console.log(lines.join("\n"));
});
