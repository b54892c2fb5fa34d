import * as assert from "assert";
import { parseArgs } from "../../../kernel/cli/args";
import { UsageError } from "../../../kernel/cli/command";
import { main } from "../../../kernel/cli/main";

describe("CLI arguments", () => {
  it("separates positionals, valued options and flags", () => {
    const { positional, options } = parseArgs(
      ["a.ipynb", "--out", "b.ipynb", "--inplace", "--timeout=5", "--", "--x"],
      ["out", "timeout"],
      ["inplace"],
    );
    assert.deepStrictEqual(positional, ["a.ipynb", "--x"]);
    assert.deepStrictEqual(
      [...options],
      [
        ["out", "b.ipynb"],
        ["inplace", "true"],
        ["timeout", "5"],
      ],
    );
  });

  it("rejects unknown options, missing values and values on flags", () => {
    assert.throws(
      () => parseArgs(["--nope"], [], []),
      (e: Error) => e instanceof UsageError && /unknown option --nope/.test(e.message),
    );
    assert.throws(() => parseArgs(["--out"], ["out"]), /--out needs a value/);
    assert.throws(() => parseArgs(["--inplace=1"], [], ["inplace"]), /takes no value/);
  });

  it("prints help and refuses unknown commands with exit code 2", async () => {
    let out = "";
    let err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.strictEqual(await main([], io), 0);
    assert.match(out, /medad run/);
    assert.strictEqual(await main(["frobnicate"], io), 2);
    assert.match(err, /unknown command 'frobnicate'/);
    assert.strictEqual(await main(["run", "--bogus"], io), 2);
    assert.match(err, /medad run: unknown option --bogus/);
  });
});
