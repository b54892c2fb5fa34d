import * as assert from "assert";
import { execFileSync } from "child_process";
import { codeVersion } from "../../../kernel/util/codeVersion";
import { packageRoot, packageVersion } from "../../../kernel/util/packageRoot";

describe("util: codeVersion (what results record as the code that produced them)", () => {
  it("in this checkout: the package version, the short HEAD commit and a describe string with the dirty flag", function () {
    let head: string;
    try {
      head = execFileSync("git", ["-C", packageRoot(), "rev-parse", "--short", "HEAD"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      this.skip(); // not a git checkout (e.g. a source tarball): nothing to compare with
    }
    const v = codeVersion();
    assert.strictEqual(v.version, packageVersion());
    assert.strictEqual(v.commit, head);
    assert.strictEqual(typeof v.dirty, "boolean");
    assert.strictEqual(v.describe, v.dirty ? `${head}-dirty` : head);
    assert.strictEqual(codeVersion(), v, "computed once per process");
  });
});
