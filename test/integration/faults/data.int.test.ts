// Fault suite, datasets: a dataset of only normal images (named method and need, refused before training), a
// mask whose size differs from its image (resized, and the run says so), a CSV manifest with a missing mask file
// (pixel metrics dropped, and the run says why). Empty folders and symlink loops are reproduced in unit tests.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as medad from "../../../kernel/api";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { greyPng, mask, mvfaTree, write } from "../../helpers/tempTree";
import { coveredBy, observed } from "./faultTable";

const VALIDATION = "test/unit/data/validation.unit.test.ts";

describe("faults: datasets", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-data-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (dataset: string, method = "patchcore", extra: Record<string, unknown> = {}) =>
    medad.fewshotInProcess({ dataset, method, shots: 2, model: tinyClipModel, featureCache: false, ...extra });

  /** An MVFA-layout class with normal images only. */
  const onlyNormals = () => {
    const cls = path.join(dir, "Brain_AD");
    for (const split of ["train", "valid", "test"])
      for (let i = 0; i < 3; i++) write(cls, `${split}/good/img/n${i}.png`, greyPng(8, 8, 50 + i));
    return cls;
  };

  it("only normal images: the message names the method, what it needs and the way forward", async () => {
    const ds = onlyNormals();
    await assert.rejects(run(ds), (e: Error) =>
      /valid has 0 abnormal images, but method patchcore draws its k=2 support images as 2 normal \+ 2 abnormal from valid\. .*or use mediclip/.test(
        e.message,
      ),
    );
    // MediCLIP needs normal support images only; the test split still needs both kinds, refused before training.
    const t0 = Date.now();
    const checkpoint = path.join(dir, "mediclip.ckpt.safetensors");
    const err = await run(ds, "mediclip", { options: { checkpoint } }).then(
      () => assert.fail("mediclip ran on a test split without abnormal images"),
      (e: Error) => e,
    );
    assert.match(
      err.message,
      /the test split of class 'Brain' has 3 normal and 0 abnormal images; .*Add abnormal test images/,
    );
    assert.ok(!fs.existsSync(checkpoint), "refused before any training");
    observed(
      "data",
      "only-normal dataset",
      "names the method and the need; mediclip refused before training",
      `${err.message.slice(0, 90)}… (${Date.now() - t0} ms, no checkpoint written)`,
    );
  });

  it("a mask whose size differs from its image: the run resizes it and its warnings say so", async () => {
    const cls = mvfaTree(dir, "Brain_AD", 8);
    write(cls, "test/Ungood/anomaly_mask/a1.png", mask(6, 6));
    const r = await run(cls);
    const w = (r.warnings ?? []).find((m) => /resized each mask/.test(m));
    assert.ok(w, JSON.stringify(r.warnings));
    assert.match(w, /a1\.png \(6x6, image 8x8\)/);
    observed("data", "mask/image size mismatch", "recorded in the result's warnings, naming the file", w);
  });

  it("a CSV manifest with a missing mask file: pixel metrics are dropped and the warnings say why", async () => {
    const rows = ["path,label,mask,split"];
    const img = (name: string, label: number, split: string, withMask: boolean) => {
      write(dir, `img/${name}.png`, greyPng(8, 8, label ? 70 : 50));
      if (withMask && name !== "t-a2") write(dir, `mask/${name}.png`, mask(8, 8));
      rows.push(`img/${name}.png,${label},${withMask ? `mask/${name}.png` : ""},${split}`);
    };
    for (const split of ["valid", "test"])
      for (let i = 0; i < 3; i++) {
        img(`${split[0]}-n${i}`, 0, split, false);
        img(`${split[0]}-a${i}`, 1, split, true); // t-a2's mask file is missing
      }
    const csv = write(dir, "set.csv", rows.join("\n") + "\n");
    const r = await run(csv);
    assert.strictEqual(r.metrics.pixel, undefined);
    const w = (r.warnings ?? []).find((m) => /pixel metrics were not computed/.test(m));
    assert.ok(w, JSON.stringify(r.warnings));
    assert.match(w, /1 of 3 abnormal test images have no usable mask \(.*t-a2\.png\)/);
    observed("data", "CSV layout with a missing mask file", "says pixel metrics are dropped and why", w);
  });

  it("the cases the dataset unit tests reproduce are still there", () => {
    const t =
      "throws a clear error for a missing path, an empty folder, a lone non-CSV file and a folder of only bad files";
    coveredBy("data", "empty / missing / only-bad dataset", "a clear error naming the path", VALIDATION, t);
    coveredBy(
      "data",
      "symlink loop, broken link",
      "skipped and listed",
      VALIDATION,
      "survives a symlink loop and a broken link",
    );
    coveredBy(
      "data",
      "symlink to an ancestor (test/good/up -> ../../..)",
      "skipped, not walked",
      VALIDATION,
      "a symlink to an ancestor folder (test/good/up -> ../../..) is skipped, not walked",
    );
    coveredBy(
      "data",
      "corrupt / truncated / oversized images",
      "skipped and listed with the reason",
      VALIDATION,
      "skips corrupt, truncated, oversized, empty and non-image files",
    );
  });
});
