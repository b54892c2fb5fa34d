// `medad data build-corpus` argument handling (the build itself is tested in test/integration/data/corpus.int.test.ts).
import * as assert from "assert";
import { main } from "../../../kernel/cli/main";

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const code = await main(args, { out: () => undefined, err: (t) => (err += t) });
  return { code, err };
}

describe("medad data build-corpus", () => {
  it("needs --out and --seed, and says so with the usage", async () => {
    let r = await run(["data", "build-corpus", "--seed", "1"]);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--out DIR is required/);
    assert.match(r.err, /usage: medad data build-corpus --out DIR --seed N/);
    r = await run(["data", "build-corpus", "--out", "/tmp/never-written"]);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--seed is required/);
  });

  it("refuses a seed or size that is not a non-negative integer", async () => {
    let r = await run(["data", "build-corpus", "--out", "/tmp/never-written", "--seed", "1.5"]);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--seed must be a non-negative integer, got '1.5'/);
    r = await run(["data", "build-corpus", "--out", "/tmp/never-written", "--seed", "1", "--size", "0"]);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--size must be at least 1/);
  });
});
