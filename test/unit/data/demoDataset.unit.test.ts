// The committed demo-brainmri set: layout, counts, categories, mask convention, licence. (Byte-identical
// regeneration is checked in test/integration/data/demoDeterminism.int.test.ts.)
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { readMask } from "../../../kernel/imaging/readImage";

const demo = path.resolve(__dirname, "../../../../data/demo-brainmri");

describe("demo-brainmri (committed)", () => {
  const ds = loadDataset(demo);

  it("is a clean MVFA Brain set with valid 16+16 and test 48+48, every abnormal with a mask", () => {
    assert.strictEqual(ds.layout, "mvfa");
    assert.deepStrictEqual(ds.summary.counts, {
      Brain: { valid: { normal: 16, abnormal: 16, unknown: 0, masks: 16 }, test: { normal: 48, abnormal: 48, unknown: 0, masks: 48 } },
    });
    assert.deepStrictEqual(ds.summary.sizes, { "240x240": 128 });
    assert.deepStrictEqual(ds.issues, []);
    assert.ok(ds.samples.every((s) => /^\d{5}_\d+\.png$/.test(path.basename(s.path))));
  });

  it("records two anomaly categories for every abnormal image, in both splits", () => {
    const abnormal = ds.samples.filter((s) => s.label === "abnormal");
    assert.ok(abnormal.every((s) => s.anomalyType === "mass" || s.anomalyType === "small_lesions"));
    for (const split of ["valid", "test"]) {
      const types = new Set(abnormal.filter((s) => s.split === split).map((s) => s.anomalyType));
      assert.deepStrictEqual([...types].sort(), ["mass", "small_lesions"], split);
    }
    const meta = JSON.parse(fs.readFileSync(path.join(demo, "meta.json"), "utf8"));
    const fromMeta = new Map(meta.images.map((r: { file: string; anomalyCategory: string }) => [path.join(demo, r.file), r.anomalyCategory]));
    for (const s of abnormal) assert.strictEqual(fromMeta.get(s.path), s.anomalyType);
  });

  it("keeps pseudo-subjects and source slices apart between valid and test", () => {
    const key = (split: string, f: (n: string) => string) => new Set(ds.samples.filter((s) => s.split === split).map((s) => f(path.basename(s.path, ".png"))));
    const subj = (n: string) => n.split("_")[0];
    const slice = (n: string) => n.split("_")[1];
    for (const v of key("valid", subj)) assert.ok(!key("test", subj).has(v));
    for (const v of key("valid", slice)) assert.ok(!key("test", slice).has(v));
  });

  it("has 0/255 masks that are non-empty", () => {
    for (const s of ds.samples.filter((x) => x.maskPath).slice(0, 12)) {
      const m = readMask(s.maskPath as string);
      assert.strictEqual(m.maxValue, 255);
      assert.deepStrictEqual([...m.values].sort((a, b) => a - b), [0, 255]);
      assert.ok(m.data.some((v) => v === 1));
    }
  });

  it("ships its licence, attribution and the source volume's notice", () => {
    const lic = fs.readFileSync(path.join(demo, "LICENSE-DATA.md"), "utf8");
    assert.match(lic, /Colin27/);
    assert.match(lic, /Holmes CJ/);
    assert.match(lic, /All lesions are synthetic/);
    assert.ok(fs.existsSync(path.resolve(demo, "../source/colin27/NOTICE.md")));
    assert.strictEqual(ds.fewShotLists.map((f) => f.k).join(), "1,2,4,8,16");
  });
});
