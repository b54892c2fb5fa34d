import * as assert from "assert";
import { formatFailure, isProgrammingError } from "../../../kernel/cli/reportError";
import { WeightsError } from "../../../kernel/engine/weights/errors";

describe("CLI failure reports", () => {
  it("prints an expected error's message only, and a bug's stack with a request to report it", () => {
    const expected = new WeightsError("/m", undefined, "no safetensors weights found");
    assert.strictEqual(isProgrammingError(expected), false);
    assert.strictEqual(
      formatFailure("features", expected, false),
      "medad features: /m: no safetensors weights found\n",
    );
    const fsError = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    assert.strictEqual(isProgrammingError(fsError), false);
    assert.strictEqual(
      formatFailure("fewshot", fsError, false),
      "medad fewshot: ENOSPC: no space left on device, write. The disk is full: free space there or choose a path on another disk.\n",
    );

    const bug = new TypeError("cannot read properties of undefined (reading 'x')");
    assert.strictEqual(isProgrammingError(bug), true);
    const text = formatFailure("features", bug, false);
    assert.match(text, /^medad features: cannot read properties/);
    assert.match(text, /\n\s+at /);
    assert.match(text, /bug in MedAD Lab; please report it/);
    assert.strictEqual(isProgrammingError("a string"), true);
  });

  it("MEDAD_DEBUG prints the stack of an expected error too, without calling it a bug", () => {
    const text = formatFailure("run", new Error("x.ipynb: no such file."), true);
    assert.match(text, /\n\s+at /);
    assert.doesNotMatch(text, /bug/);
  });
});
