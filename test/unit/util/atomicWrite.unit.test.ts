import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { replaceDirAtomic, writeFileAtomic } from "../../../kernel/util/atomicWrite";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-atomic-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates the folder, writes the content and leaves no temporary file", () => {
    const file = path.join(dir, "a", "b", "out.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, new Uint8Array([116, 119, 111]));
    assert.strictEqual(fs.readFileSync(file, "utf8"), "two");
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ["out.json"]);
  });

  it("streams through a writer function; a failing writer leaves the old file and no temporary file", () => {
    const file = path.join(dir, "w.bin");
    writeFileAtomic(file, (fd) => (fs.writeSync(fd, "ab"), fs.writeSync(fd, "cd")));
    assert.strictEqual(fs.readFileSync(file, "utf8"), "abcd");
    assert.throws(
      () =>
        writeFileAtomic(file, (fd) => {
          fs.writeSync(fd, "half");
          throw new Error("disk full");
        }),
      /disk full/,
    );
    assert.strictEqual(fs.readFileSync(file, "utf8"), "abcd");
    assert.deepStrictEqual(fs.readdirSync(dir), ["w.bin"]);
  });

  it("replaceDirAtomic swaps a whole folder; a failing build leaves the old folder and nothing else", () => {
    const out = path.join(dir, "set");
    replaceDirAtomic(out, (tmp) => fs.writeFileSync(path.join(tmp, "v1"), "1"));
    replaceDirAtomic(out, (tmp) => fs.writeFileSync(path.join(tmp, "v2"), "2"));
    assert.deepStrictEqual(fs.readdirSync(out), ["v2"]);
    assert.throws(
      () =>
        replaceDirAtomic(out, (tmp) => {
          fs.writeFileSync(path.join(tmp, "v3"), "3");
          throw new Error("interrupted");
        }),
      /interrupted/,
    );
    assert.deepStrictEqual(fs.readdirSync(out), ["v2"]);
    assert.deepStrictEqual(fs.readdirSync(dir), ["set"]);
  });
});
