import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { DatasetError } from "../../../kernel/data/types";
import { probeImage } from "../../../kernel/imaging/header";
import { encodeDicom } from "../../helpers/dicomEncode";
import { encodePng } from "../../helpers/pngEncode";
import { greyPng, mask, mvfaTree, rmTree, tempDir, write } from "../../helpers/tempTree";

/** A valid PNG that claims w x h pixels: tiny on disk, a bomb if decoded. */
function hugePngHeader(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, "latin1"), data])) >>> 0);
    return Buffer.concat([len, Buffer.from(type, "latin1"), data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(Buffer.alloc(64))), chunk("IEND", Buffer.alloc(0))]);
}

describe("dataset validation and bad input", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("skips corrupt, truncated, oversized, empty and non-image files, listing each with its reason", () => {
    const dir = mvfaTree(root);
    const good = greyPng(8, 8);
    write(dir, "test/good/img/truncated.png", good.subarray(0, good.length - 20));
    write(dir, "test/good/img/garbage.png", Buffer.from("this is not an image at all"));
    write(dir, "test/good/img/empty.png", Buffer.alloc(0));
    write(dir, "test/good/img/bomb.png", hugePngHeader(20000, 20000));
    write(dir, "test/good/img/bad.dcm", Buffer.concat([Buffer.alloc(128), Buffer.from("DICM"), Buffer.from([1, 2, 3])]));
    write(dir, "test/good/img/notes.bmp", Buffer.from("BM"));
    const ds = loadDataset(dir);
    assert.strictEqual(ds.summary.total, 8, "the 8 good files are all kept");
    const reasons = new Map(ds.skipped.map((s) => [path.basename(s.path), s.reason]));
    assert.match(reasons.get("truncated.png") ?? "", /truncated/);
    assert.match(reasons.get("garbage.png") ?? "", /not a PNG, JPEG or DICOM/);
    assert.match(reasons.get("empty.png") ?? "", /empty file/);
    assert.match(reasons.get("bomb.png") ?? "", /20000x20000 pixels is over the/);
    assert.match(reasons.get("bad.dcm") ?? "", /unreadable DICOM|no Rows/);
    assert.match(reasons.get("notes.bmp") ?? "", /not a PNG, JPEG or DICOM/);
    const warn = ds.issues.find((i) => i.code === "skipped-files");
    assert.ok(warn && warn.files.length === 6 && warn.message.includes("truncated.png"));
    assert.strictEqual(ds.summary.skipped, 6);
  });

  it("lists images placed outside class folders instead of losing them", () => {
    const dir = mvfaTree(root);
    write(dir, "test/stray.png", greyPng(8, 8));
    write(dir, "loose.png", greyPng(8, 8));
    write(dir, "README.md", "notes");
    const ds = loadDataset(dir);
    assert.deepStrictEqual(ds.skipped.map((s) => path.relative(dir, s.path)).sort(), ["loose.png", "test/stray.png"]);
    assert.match(ds.skipped.find((s) => s.path.endsWith("stray.png"))?.reason ?? "", /label is unknown/);
  });

  it("refuses a 20000x20000 image by its header, before decoding", () => {
    const f = write(root, "bomb.png", hugePngHeader(20000, 20000));
    assert.throws(() => probeImage(f), /bomb\.png: 20000x20000 pixels is over the 67,108,864-pixel limit; downscale or tile it first/);
    assert.strictEqual(probeImage(f, 20000 * 20000).width, 20000);
  });

  it("reports a mask without image, an abnormal image without mask, and a size mismatch, naming the files", () => {
    const dir = mvfaTree(root);
    write(dir, "test/Ungood/anomaly_mask/orphan.png", mask(8, 8));
    write(dir, "test/Ungood/img/nomask.png", greyPng(8, 8));
    write(dir, "valid/Ungood/img/a0.png", greyPng(10, 10)); // its mask stays 8x8
    const ds = loadDataset(dir);
    const byCode = new Map(ds.issues.map((i) => [i.code, i]));
    assert.deepStrictEqual(byCode.get("mask-without-image")?.files, [path.join(dir, "test/Ungood/anomaly_mask/orphan.png")]);
    assert.deepStrictEqual(byCode.get("missing-mask")?.files, [path.join(dir, "test/Ungood/img/nomask.png")]);
    assert.match(byCode.get("mask-size-mismatch")?.message ?? "", /valid\/Ungood\/anomaly_mask\/a0\.png \(8x8, image 10x10\)/);
    assert.strictEqual(ds.summary.errors, 3);
    assert.strictEqual(ds.summary.total, 9, "problem samples are reported, not dropped");
  });

  it("warns about 0/1 masks (which MVFA's reader would see as empty) and multi-valued masks", () => {
    const dir = mvfaTree(root);
    write(dir, "test/Ungood/anomaly_mask/a0.png", mask(8, 8, 1));
    write(dir, "test/Ungood/anomaly_mask/a1.png", greyPng(8, 8, 0, { fg: 170, x: 1, y: 1, s: 2 }));
    write(dir, "valid/Ungood/anomaly_mask/a0.png", greyPng(8, 8, 0));
    const ds = loadDataset(dir);
    const byCode = new Map(ds.issues.map((i) => [i.code, i]));
    assert.deepStrictEqual(byCode.get("mask-zero-one")?.files, [path.join(dir, "test/Ungood/anomaly_mask/a0.png")]);
    assert.match(byCode.get("mask-zero-one")?.message ?? "", /binarises at > 0/);
    assert.deepStrictEqual(byCode.get("mask-multivalued")?.files, [path.join(dir, "test/Ungood/anomaly_mask/a1.png")]);
    assert.deepStrictEqual(byCode.get("mask-empty")?.files, [path.join(dir, "valid/Ungood/anomaly_mask/a0.png")]);
  });

  it("judges 16-bit masks on their own scale: 0/65535 is clean, 0/1 is a 0/1 mask", () => {
    const dir = mvfaTree(root);
    const sq = (fg: number) => encodePng({ width: 8, height: 8, colorType: 0, bitDepth: 16, samples: Array.from({ length: 64 }, (_, i) => (i === 9 ? fg : 0)) });
    write(dir, "test/Ungood/anomaly_mask/a0.png", sq(65535));
    write(dir, "test/Ungood/anomaly_mask/a1.png", sq(1));
    const ds = loadDataset(dir);
    assert.deepStrictEqual(ds.issues.map((i) => [i.code, i.files.map((f) => path.basename(f))]), [["mask-zero-one", ["a1.png"]]]);
  });

  it("reads a DICOM image in a dataset and reports its size", () => {
    const dir = mvfaTree(root);
    write(dir, "test/good/img/ct.dcm", encodeDicom({ rows: 3, columns: 5, bitsAllocated: 16, pixels: new Array(15).fill(7) }));
    const ds = loadDataset(dir);
    const ct = ds.samples.find((s) => s.path.endsWith("ct.dcm"));
    assert.strictEqual(ct?.width, 5);
    assert.strictEqual(ct?.height, 3);
  });

  it("throws a clear error for a missing path, an empty folder, a lone non-CSV file and a folder of only bad files", () => {
    assert.throws(() => loadDataset(path.join(root, "nope")), (e: Error) => e instanceof DatasetError && /nope: no such file or folder \(ENOENT\); check the path/.test(e.message));
    fs.mkdirSync(path.join(root, "empty"));
    assert.throws(() => loadDataset(path.join(root, "empty")), /empty: no images found; expected one of: MVFA/);
    const lone = write(root, "x.png", greyPng(2, 2));
    assert.throws(() => loadDataset(lone), /a dataset is a folder or a \.csv manifest/);
    write(root, "bad/good/1.png", Buffer.from("junk"));
    assert.throws(() => loadDataset(path.join(root, "bad")), /no readable images \(1 skipped: .*1\.png \(not a PNG/);
  });

  it("survives a symlink loop and a broken link, reporting them as skipped", function () {
    const dir = mvfaTree(root);
    try {
      fs.symlinkSync(path.join(dir, "test", "good"), path.join(dir, "test", "good", "img", "loop"));
      fs.symlinkSync(path.join(root, "missing-target"), path.join(dir, "test", "good", "img", "dangling.png"));
    } catch {
      this.skip(); // no symlink permission on this OS
    }
    const ds = loadDataset(dir);
    assert.strictEqual(ds.summary.total, 8);
    const reasons = ds.skipped.map((s) => `${path.relative(dir, s.path)}: ${s.reason}`);
    assert.ok(reasons.some((r) => /^test\/good\/img\/loop(\/img)?: symlink loop/.test(r)), reasons.join("\n"));
    assert.ok(reasons.some((r) => /dangling\.png: broken symlink/.test(r)), reasons.join("\n"));
  });

  it("a symlink to an ancestor folder (test/good/up -> ../../..) is skipped, not walked", function () {
    const dir = mvfaTree(root);
    const before = loadDataset(dir).summary.total;
    try {
      fs.symlinkSync("../../..", path.join(dir, "test", "good", "up"));
    } catch {
      this.skip();
    }
    const ds = loadDataset(dir);
    assert.strictEqual(ds.summary.total, before);
    const reasons = ds.skipped.map((s) => `${path.relative(dir, s.path)}: ${s.reason}`);
    assert.ok(reasons.some((r) => /^test\/good\/up: symlink loop: links to the ancestor folder/.test(r)), reasons.join("\n"));
  });

  it("a self-referencing symlink as the dataset path is a clear error", function () {
    const link = path.join(root, "self");
    try {
      fs.symlinkSync(link, link);
    } catch {
      this.skip();
    }
    assert.throws(() => loadDataset(link), /self: symlink loop/);
  });
});
