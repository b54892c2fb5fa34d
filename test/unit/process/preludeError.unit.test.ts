import * as assert from "assert";
import { preludeError, PreludeError } from "../../../kernel/process/preludeError";

describe("kernel prelude failure message", () => {
  const api = "/ext/out/kernel/api/index";

  it("names each type error with its file, line and message, and the fix", () => {
    const e = preludeError(api, "error", {
      ename: "TypeScriptError",
      evalue: "2 type errors in this cell",
      traceback: [
        "line 1, column 22: Cannot find module '/ext/out/kernel/api/index' or its corresponding type declarations.",
        "/ext/out/kernel/api/show.d.ts line 3, column 1: Cannot find name 'Buffer'.",
      ],
    });
    assert.ok(e instanceof PreludeError);
    const lines = e.message.split("\n");
    assert.strictEqual(lines[0], "kernel prelude failed: TypeScriptError: 2 type errors in this cell");
    assert.match(lines[1], /^ {2}prelude cell: line 1, column 22: Cannot find module '\/ext\/out\/kernel\/api\/index'/);
    assert.match(lines[2], /^ {2}\/ext\/out\/kernel\/api\/show\.d\.ts line 3, column 1: Cannot find name 'Buffer'\.$/);
    assert.match(e.message, /Reinstall the extension \(\.vsix\), or run `npm run build`/);
    // The host shows the last 8 stderr lines of a kernel that failed to start: all of this must fit.
    assert.ok(lines.length <= 7, e.message);
  });

  it("keeps the message short when there are many errors, and covers a failure without a report", () => {
    const traceback = Array.from({ length: 10 }, (_, i) => `line ${i + 1}, column 1: error ${i + 1}`);
    const many = preludeError(api, "error", {
      ename: "TypeScriptError",
      evalue: "10 type errors in this cell",
      traceback,
    });
    assert.match(many.message, /error 3\n {2}… and 7 more\n/);
    assert.doesNotMatch(many.message, /error 4/);
    assert.match(preludeError(api, "interrupted", undefined).message, /^kernel prelude failed: status interrupted\n/);
  });
});
