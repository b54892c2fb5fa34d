import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fallbackPaths, outputProblem, saveExecuted } from "../../../kernel/cli/runOutput";
import type { Ipynb } from "../../../kernel/notebook/ipynb";

const nb: Ipynb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };

describe("medad run output", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-runout-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses a folder, a missing folder and a file in place of the folder, naming the fix", () => {
    assert.strictEqual(outputProblem(path.join(dir, "x.ipynb")), undefined);
    assert.match(outputProblem(dir)!, /is a folder; give a file path, e\.g\. --out .*executed\.ipynb/);
    assert.match(outputProblem(path.join(dir, "no", "x.ipynb"))!, /does not exist; create it \(mkdir -p /);
    fs.writeFileSync(path.join(dir, "f"), "");
    assert.match(outputProblem(path.join(dir, "f", "x.ipynb"))!, /is a file, not a folder/);
  });

  it("names fallbacks beside the output and in the temp folder", () => {
    const [beside, temp] = fallbackPaths("/a/b/run.ipynb", new Date("2026-01-02T03:04:05.678Z"));
    assert.strictEqual(beside, "/a/b/run.unsaved-2026-01-02T03-04-05-678Z.ipynb");
    assert.strictEqual(temp, path.join(os.tmpdir(), "run.unsaved-2026-01-02T03-04-05-678Z.ipynb"));
  });

  it("saves to the first fallback that works when the output cannot be written, and says where", () => {
    const out = path.join(dir, "run.ipynb");
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => void err.push(t) };
    const written: string[] = [];
    const write = (file: string) => {
      if (file === out) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      written.push(file);
    };
    const saved = saveExecuted(out, nb, io, write);
    assert.deepStrictEqual(written, [saved]);
    assert.strictEqual(path.dirname(saved!), dir);
    assert.match(err[0], /run\.ipynb: cannot write it \(ENOSPC: no space left on device, write\)\. The disk is full/);
    assert.match(err[1], /saved to .*run\.unsaved-.*\.ipynb instead/);

    const none = saveExecuted(out, nb, io, () => {
      throw Object.assign(new Error("EROFS: read-only file system"), { code: "EROFS" });
    });
    assert.strictEqual(none, undefined);
    assert.match(err[err.length - 1], /the outputs are lost:\n {2}.*read-only: choose a path on a writable disk/);
  });
});
