// Regenerating demo-brainmri must give byte-identical files, equal to the committed set (so the committed set is
// exactly what the generator makes, and a change to the generator shows up as a diff to commit).
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateDemo } from "../../../kernel/data/demo/generate";
import { demoDatasetPath, demoSourcePath } from "../../../kernel/data/demo/paths";

function digestTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.set(path.relative(dir, p), crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex"));
    }
  };
  visit(dir);
  return out;
}

describe("demo-brainmri generator", function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-demo-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("gives byte-identical output on two runs, equal to the committed data/demo-brainmri", () => {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    const ra = generateDemo({ source: demoSourcePath(), out: a });
    generateDemo({ source: demoSourcePath(), out: b });
    const da = digestTree(a);
    assert.strictEqual(da.size, 128 + 64 + 5 + 4, "images + masks + fewshot lists + meta/manifest/licence/readme");
    assert.deepStrictEqual(digestTree(b), da);
    const committed = digestTree(demoDatasetPath());
    const differing = [...da.keys()].filter((k) => committed.get(k) !== da.get(k));
    assert.deepStrictEqual(differing, [], "regenerate with `npm run data:demo` and commit data/demo-brainmri");
    assert.strictEqual(committed.size, da.size);
    assert.ok(ra.bytes < 4e6, `${ra.bytes} bytes`);
  });

  it("changes with the seed, and leaves the old folder intact when generation fails", () => {
    const small = (seed: number, out: string) => generateDemo({ source: demoSourcePath(), out, seed, validPerClass: 2, testPerClass: 2 });
    small(1, path.join(tmp, "s1"));
    small(2, path.join(tmp, "s2"));
    const d1 = digestTree(path.join(tmp, "s1"));
    const d2 = digestTree(path.join(tmp, "s2"));
    assert.notDeepStrictEqual(d1, d2);
    assert.throws(() => generateDemo({ source: path.join(tmp, "missing.nii.gz"), out: path.join(tmp, "s1") }), /missing\.nii\.gz: cannot read NIfTI volume/);
    assert.deepStrictEqual(digestTree(path.join(tmp, "s1")), d1);
  });
});
