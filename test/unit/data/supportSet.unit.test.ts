import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { selectFewShot } from "../../../kernel/data/supportSet";
import { parseFewShotList } from "../../../kernel/data/supportLists";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { greyPng, mask, mvfaTree, rmTree, tempDir, write } from "../../helpers/tempTree";

const demo = path.resolve(__dirname, "../../../../data/demo-brainmri");

describe("few-shot selection", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("parses MVFA list files, keeping only .png/.jpeg names for MVFA and reporting dropped ones", () => {
    const { iterations, dropped } = parseFewShotList("a-0: 01471_60.png 00124_80.png\nn-0: 01368_60.png x.jpg\n", "2-shot.txt", false);
    assert.deepStrictEqual(iterations.get(0), { abnormal: ["01471_60.png", "00124_80.png"], normal: ["01368_60.png"] });
    assert.deepStrictEqual(dropped, ["x.jpg"]);
    assert.throws(() => parseFewShotList("n0 a.png\n", "bad.txt"), /bad\.txt:1: expected 'n-<i>: names…'/);
  });

  it("follows the dataset's own list file exactly (MVFA protocol, k normal + k abnormal from valid)", () => {
    const ds = loadDataset(demo);
    const set = selectFewShot(ds, { k: 4, protocol: "mvfa", listFile: "auto" });
    const text = fs.readFileSync(path.join(demo, "fewshot_seed/Brain/4-shot.txt"), "utf8");
    const names = (prefix: string) => (text.split("\n").find((l) => l.startsWith(prefix)) ?? "").slice(5).split(" ");
    assert.deepStrictEqual(set.normal.map((s) => path.basename(s.path)), names("n-0: "));
    assert.deepStrictEqual(set.abnormal.map((s) => path.basename(s.path)), names("a-0: "));
    assert.ok(set.abnormal.every((s) => s.split === "valid" && s.maskPath));
    assert.strictEqual(set.record.source, "list-file");
    assert.strictEqual(set.record.listFile, path.join(demo, "fewshot_seed/Brain/4-shot.txt"));
    assert.ok(set.record.normal.every((p) => p.startsWith("Brain_AD/valid/good/img/")));
  });

  it("draws seeded sets reproducibly; other seeds give other sets; MediCLIP takes normals only", () => {
    const dir = mvfaTree(root);
    for (let i = 2; i < 10; i++) write(dir, `valid/good/img/n${i}.png`, greyPng(8, 8));
    for (let i = 2; i < 5; i++) {
      write(dir, `valid/Ungood/img/a${i}.png`, greyPng(8, 8));
      write(dir, `valid/Ungood/anomaly_mask/a${i}.png`, mask(8, 8));
    }
    const ds = loadDataset(dir);
    const a = selectFewShot(ds, { k: 3, protocol: "madclip", seed: 7 });
    const b = selectFewShot(ds, { k: 3, protocol: "madclip", seed: 7 });
    assert.deepStrictEqual(a.record, b.record);
    assert.strictEqual(a.record.source, "seeded");
    assert.strictEqual(new Set(a.record.normal).size, 3);
    assert.strictEqual(new Set(a.record.abnormal).size, 3);
    const others = [1, 2, 3, 4, 5].map((seed) => selectFewShot(ds, { k: 3, protocol: "madclip", seed }).record.normal.join());
    assert.ok(others.some((o) => o !== a.record.normal.join()), "different seeds must be able to give different sets");
    assert.throws(() => selectFewShot(ds, { k: 6, protocol: "mvfa", seed: 1 }), /Brain\/valid has 5 abnormal images, but the mvfa support protocol draws its k=6 support images as 6 normal \+ 6 abnormal/);
    const medi = selectFewShot(ds, { k: 5, protocol: "mediclip", seed: 1 });
    assert.strictEqual(medi.abnormal.length, 0);
    assert.strictEqual(medi.normal.length, 5);
  });

  it("uses a train split for MediCLIP when there is one", () => {
    const dir = mvfaTree(root);
    write(dir, "train/good/img/t0.png", greyPng(8, 8));
    const ds = loadDataset(dir);
    const set = selectFewShot(ds, { k: 1, protocol: "mediclip" });
    assert.strictEqual(set.record.split, "train");
    assert.strictEqual(path.basename(set.normal[0].path), "t0.png");
  });

  it("names the list file and the missing image when a list does not match the data", () => {
    const dir = mvfaTree(root);
    const list = write(root, "fewshot_seed/Brain/2-shot.txt", "a-0: a0.png zz.png\nn-0: n0.png n1.png\n");
    const ds = loadDataset(dir);
    assert.throws(() => selectFewShot(ds, { k: 2, protocol: "mvfa", listFile: list }), /2-shot\.txt: abnormal image 'zz\.png' is not in/);
    assert.throws(() => selectFewShot(ds, { k: 2, protocol: "mvfa", listFile: list, iteration: 3 }), /no n-3\/a-3 lines/);
  });
});
