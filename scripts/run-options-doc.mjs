#!/usr/bin/env node
// Regenerates (--write) or checks (--check, the default) the run-options table in docs/magics.md from the option
// table kernel/methods/fewshotOptions.ts. Needs `npm run build` first (it reads out/).
import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const compiled = path.join(root, "out/kernel/methods/runOptionsDoc.js");
if (!fs.existsSync(compiled)) {
  console.error(`${compiled} is missing: run npm run build first`);
  process.exit(2);
}
const { withRunOptionsDoc } = require(compiled);
const file = path.join(root, "docs/magics.md");
const text = fs.readFileSync(file, "utf8");
const next = withRunOptionsDoc(text, file);
if (process.argv.includes("--write")) {
  if (next !== text) fs.writeFileSync(file, next);
  console.log(next === text ? `${file}: up to date` : `${file}: run-options table rewritten`);
} else if (next !== text) {
  console.error(`${file}: the run-options table is stale; run node scripts/run-options-doc.mjs --write`);
  process.exit(1);
}
