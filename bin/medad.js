#!/usr/bin/env node
// The published `medad` command: a thin launcher for the compiled CLI (run `npm run build` first). main() prints a
// command's own failures (kernel/cli/reportError.ts); what reaches the handler below is a bug, so it keeps its stack.
require("../out/kernel/cli/main.js")
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`medad: ${err && err.stack ? err.stack : err}\n`);
      process.exit(1);
    },
  );
