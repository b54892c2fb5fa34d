import * as assert from "assert";
import * as path from "path";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { Dataset } from "../../../kernel/data/types";
import { greyPng, mask, mvfaTree, rmTree, tempDir, write } from "../../helpers/tempTree";

function counts(ds: Dataset, cat: string, split: "train" | "valid" | "test") {
  return ds.summary.counts[cat]?.[split];
}

describe("dataset layouts", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("reads an MVFA class folder, pairing masks by file name", () => {
    const dir = mvfaTree(root);
    const ds = loadDataset(dir);
    assert.strictEqual(ds.layout, "mvfa");
    assert.deepStrictEqual(ds.summary.categories, ["Brain"]);
    assert.deepStrictEqual(counts(ds, "Brain", "valid"), { normal: 2, abnormal: 2, unknown: 0, masks: 2 });
    assert.deepStrictEqual(counts(ds, "Brain", "test"), { normal: 2, abnormal: 2, unknown: 0, masks: 2 });
    const a0 = ds.samples.find((s) => s.path.endsWith(path.join("test", "Ungood", "img", "a0.png")));
    assert.strictEqual(a0?.maskPath, path.join(dir, "test", "Ungood", "anomaly_mask", "a0.png"));
    assert.deepStrictEqual(ds.summary.sizes, { "8x8": 8 });
    assert.deepStrictEqual(ds.issues, []);
  });

  it("reads a root holding several <Name>_AD classes, even when the root path contains 'img'", () => {
    const data = path.join(root, "imgdata");
    mvfaTree(data, "Brain_AD");
    mvfaTree(data, "Liver_AD");
    const ds = loadDataset(data);
    assert.deepStrictEqual(ds.summary.categories, ["Brain", "Liver"]);
    assert.ok(ds.samples.filter((s) => s.label === "abnormal").every((s) => s.maskPath && s.maskPath.includes(`${path.sep}anomaly_mask${path.sep}`)));
  });

  it("accepts BMAD variants: img-above-class order, label/ masks, wrong case, val, image-level sets without img/", () => {
    write(root, "Liver/VAL/img/GOOD/x.png", greyPng(4, 4));
    write(root, "Liver/VAL/img/ungood/y.png", greyPng(4, 4));
    write(root, "Liver/VAL/label/ungood/y.png", mask(4, 4));
    write(root, "Chest/test/good/c0.png", greyPng(4, 4));
    write(root, "Chest/test/Ungood/c1.png", greyPng(4, 4));
    const ds = loadDataset(root);
    assert.strictEqual(ds.layout, "mvfa");
    assert.deepStrictEqual(counts(ds, "Liver", "valid"), { normal: 1, abnormal: 1, unknown: 0, masks: 1 });
    assert.deepStrictEqual(counts(ds, "Chest", "test"), { normal: 1, abnormal: 1, unknown: 0, masks: 0 });
    assert.deepStrictEqual(ds.issues, [], "an image-level class must not demand masks");
  });

  it("treats a stray __MACOSX folder in an MVFA split as skipped, not as an MVTec defect type", () => {
    const dir = mvfaTree(root);
    write(dir, "test/__MACOSX/._a0.png", "junk");
    const ds = loadDataset(dir);
    assert.strictEqual(ds.layout, "mvfa");
    assert.strictEqual(ds.summary.total, 8);
    assert.ok(ds.skipped.some((s) => s.path.endsWith("__MACOSX") && /not a class/.test(s.reason)));
  });

  it("finds MVFA's few-shot lists in <repo>/dataset/fewshot_seed from data/ or data/<Name>_AD", () => {
    const repo = path.join(root, "MVFA-AD");
    mvfaTree(path.join(repo, "data"));
    write(repo, "dataset/fewshot_seed/Brain/2-shot.txt", "a-0: a0.png a1.png\nn-0: n0.png n1.png");
    for (const p of [path.join(repo, "data"), path.join(repo, "data", "Brain_AD")]) {
      assert.deepStrictEqual(loadDataset(p).fewShotLists, [{ category: "Brain", k: 2, path: path.join(repo, "dataset/fewshot_seed/Brain/2-shot.txt") }]);
    }
  });

  it("reads MVTec AD: defect folders become anomaly types, _mask suffixes pair", () => {
    const cat = path.join(root, "bottle");
    write(cat, "train/good/000.png", greyPng(6, 6));
    write(cat, "test/good/000.png", greyPng(6, 6));
    write(cat, "test/broken_large/000.png", greyPng(6, 6));
    write(cat, "test/contamination/001.png", greyPng(6, 6));
    write(cat, "ground_truth/broken_large/000_mask.png", mask(6, 6));
    write(cat, "ground_truth/contamination/001_mask.png", mask(6, 6));
    const ds = loadDataset(root);
    assert.strictEqual(ds.layout, "mvtec");
    assert.deepStrictEqual(counts(ds, "bottle", "train"), { normal: 1, abnormal: 0, unknown: 0, masks: 0 });
    assert.deepStrictEqual(counts(ds, "bottle", "test"), { normal: 1, abnormal: 2, unknown: 0, masks: 2 });
    assert.deepStrictEqual(ds.summary.anomalyTypes, { broken_large: 1, contamination: 1 });
  });

  it("reads MediCLIP JSON lines, binarising JPEG masks at > 127, and reports a bad line by number", () => {
    write(root, "images/train/normal/n0.png", greyPng(5, 5));
    write(root, "images/test/abnormal/a0.png", greyPng(5, 5));
    write(root, "images/test/ground_true/a0_mask_0.png", mask(5, 5));
    write(root, "samples/train.json", `{"filename": "train/normal/n0.png", "label": 0, "clsname": "busi"}\n`);
    write(root, "samples/test.json", `{"filename": "test/abnormal/a0.png", "label": 1, "clsname": "busi", "mask": "test/ground_true/a0_mask_0.png"}\n{oops\n`);
    const ds = loadDataset(root);
    assert.strictEqual(ds.layout, "mediclip");
    assert.deepStrictEqual(counts(ds, "busi", "train"), { normal: 1, abnormal: 0, unknown: 0, masks: 0 });
    assert.deepStrictEqual(counts(ds, "busi", "test"), { normal: 0, abnormal: 1, unknown: 0, masks: 1 });
    const bad = ds.issues.find((i) => i.code === "bad-json-line");
    assert.ok(bad && bad.message.includes("test.json:2"), JSON.stringify(ds.issues));
  });

  it("reads a CSV manifest with quoted fields, relative paths, optional columns", () => {
    write(root, "imgs/a,1.png", greyPng(4, 4));
    write(root, "imgs/n.png", greyPng(4, 4));
    write(root, "masks/a1.png", mask(4, 4));
    const csv = write(root, "list.csv", `path,label,mask,category,split,anomaly_type\n"imgs/a,1.png",1,masks/a1.png,Knee,valid,tear\nimgs/n.png,normal,,Knee,,\n`);
    const ds = loadDataset(csv);
    assert.strictEqual(ds.layout, "csv");
    assert.deepStrictEqual(counts(ds, "Knee", "valid"), { normal: 0, abnormal: 1, unknown: 0, masks: 1 });
    assert.deepStrictEqual(counts(ds, "Knee", "test"), { normal: 1, abnormal: 0, unknown: 0, masks: 0 });
    assert.deepStrictEqual(ds.summary.anomalyTypes, { tear: 1 });
  });

  it("rejects a CSV without path/label columns, naming the file and line", () => {
    const csv = write(root, "bad.csv", "file,class\nx.png,1\n");
    assert.throws(() => loadDataset(csv), /bad\.csv:1: the header needs 'path' and 'label'/);
  });

  it("reads a plain folder of good/ and Ungood/ as the test split, and bare images as unlabelled", () => {
    write(root, "set/normal/a.png", greyPng(4, 4));
    write(root, "set/abnormal/b.png", greyPng(4, 4));
    const labelled = loadDataset(path.join(root, "set"));
    assert.strictEqual(labelled.layout, "folder");
    assert.deepStrictEqual(counts(labelled, "set", "test"), { normal: 1, abnormal: 1, unknown: 0, masks: 0 });
    write(root, "bare/x/p.png", greyPng(4, 4));
    const bare = loadDataset(path.join(root, "bare"));
    assert.strictEqual(bare.samples[0].label, "unknown");
    assert.ok(bare.issues.some((i) => i.code === "no-labels"));
  });

  it("fills anomaly types from a manifest.csv beside an MVFA tree", () => {
    mvfaTree(root);
    write(root, "manifest.csv", "path,label,anomaly_type\nBrain_AD/test/Ungood/img/a0.png,1,mass\n");
    const ds = loadDataset(root);
    assert.strictEqual(ds.layout, "mvfa");
    assert.deepStrictEqual(ds.summary.anomalyTypes, { mass: 1 });
  });
});
