import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as jpeg from "jpeg-js";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { exportAxialSlices } from "../../../kernel/data/niftiExport";
import { sampleImageTensor, sampleMaskTensor } from "../../../kernel/data/sampleTensors";
import { Sample } from "../../../kernel/data/types";
import { probeImage } from "../../../kernel/imaging/header";
import { readImage, readMask } from "../../../kernel/imaging/readImage";
import { main } from "../../../kernel/cli/main";
import { encodeDicom } from "../../helpers/dicomEncode";
import { encodeNifti } from "../../helpers/niftiEncode";
import { encodePng } from "../../helpers/pngEncode";
import { greyPng, rmTree, tempDir, write } from "../../helpers/tempTree";

describe("medical formats in datasets", () => {
  let root: string;
  beforeEach(() => (root = tempDir()));
  afterEach(() => rmTree(root));

  it("probes JPEG, 16-bit PNG and DICOM sizes from headers", () => {
    const j = write(root, "a.jpg", jpeg.encode({ width: 7, height: 3, data: Buffer.alloc(7 * 3 * 4, 128) }, 90).data);
    assert.deepStrictEqual(probeImage(j), { format: "jpeg", width: 7, height: 3, bitDepth: 8 });
    const p16 = write(root, "b.png", encodePng({ width: 2, height: 5, colorType: 0, bitDepth: 16, samples: new Array(10).fill(4000) }));
    assert.deepStrictEqual(probeImage(p16), { format: "png", width: 2, height: 5, bitDepth: 16 });
    const d = write(root, "c.dcm", encodeDicom({ rows: 4, columns: 6, bitsAllocated: 16, pixels: new Array(24).fill(0) }));
    assert.deepStrictEqual(probeImage(d), { format: "dicom", width: 6, height: 4, bitDepth: 16 });
    const cut = write(root, "d.jpg", fs.readFileSync(j).subarray(0, 40));
    assert.throws(() => probeImage(cut), /d\.jpg: JPEG/);
  });

  it("reads 16-bit grey+alpha / RGBA PNGs and binarises 16-bit masks at > 0", () => {
    const la = write(root, "la.png", encodePng({ width: 1, height: 1, colorType: 4, bitDepth: 16, samples: [65535, 0] }));
    assert.deepStrictEqual(Array.from(readImage(la).data), [1, 1, 1]);
    const m16 = write(root, "m.png", encodePng({ width: 3, height: 1, colorType: 0, bitDepth: 16, samples: [0, 257, 65535] }));
    const m = readMask(m16);
    assert.deepStrictEqual(Array.from(m.data), [0, 1, 1]);
    const zeroOne16 = readMask(write(root, "m01.png", encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 16, samples: [0, 1] })));
    assert.deepStrictEqual(Array.from(zeroOne16.data), [0, 1], "a 16-bit 0/1 mask keeps its foreground");
    assert.strictEqual(zeroOne16.maxValue, 1);
    assert.strictEqual(zeroOne16.fullScale, 65535);
  });

  it("turns samples into tensors: DICOM with a window override, 0/1 masks kept, normals zero", () => {
    const d = write(root, "ct.dcm", encodeDicom({ rows: 2, columns: 2, bitsAllocated: 16, signed: true, pixels: [0, 40, 80, 1000], window: { center: 500, width: 1000 } }));
    const s: Sample = { path: d, label: "abnormal", split: "test", category: "Head", maskPath: write(root, "m.png", greyPng(2, 2, 0, { fg: 1, x: 0, y: 0, s: 1 })) };
    const tagged = sampleImageTensor(s, { size: 2, filter: "bicubic", normalize: false });
    const brain = sampleImageTensor(s, { size: 2, filter: "bicubic", normalize: false, window: { center: 40, width: 80 } });
    assert.deepStrictEqual(brain.dims, [3, 2, 2]);
    assert.notDeepStrictEqual(Array.from(tagged.data), Array.from(brain.data));
    assert.strictEqual(brain.data[3], 1, "1000 HU is white in a brain window");
    assert.deepStrictEqual(Array.from(sampleMaskTensor(s, 4).data.slice(0, 4)), [1, 1, 0, 0], "a 0/1 mask is not lost");
    assert.ok(sampleMaskTensor({ ...s, maskPath: undefined, label: "normal" }, 3).data.every((v) => v === 0));
  });

  it("exports a NIfTI volume's axial slices as PNG (API and `medad data slice`), and points NIfTI files in image folders there", async () => {
    const values = Array.from({ length: 4 * 3 * 5 }, (_, i) => i);
    const vol = write(root, "v.nii.gz", encodeNifti({ dims: [4, 3, 5], datatype: 4, values, gzip: true }));
    const { files } = exportAxialSlices(vol, path.join(root, "out"), { range: [1, 3] });
    assert.deepStrictEqual(files.map((f) => path.basename(f)), ["v_1.png", "v_2.png", "v_3.png"]);
    assert.deepStrictEqual(probeImage(files[0]), { format: "png", width: 4, height: 3, bitDepth: 8 });
    const io = { out: () => undefined, err: () => undefined };
    assert.strictEqual(await main(["data", "slice", vol, "--out", path.join(root, "cli"), "--window", "30,60", "--range", "0:0"], io), 0);
    assert.ok(fs.existsSync(path.join(root, "cli", "v_0.png")));
    assert.strictEqual(await main(["data", "slice", vol, "--out", path.join(root, "cli"), "--range", "0:99"], io), 1);
    write(root, "set/good/ok.png", greyPng(4, 4));
    fs.copyFileSync(vol, path.join(root, "set/good/v.nii.gz"));
    const ds = loadDataset(path.join(root, "set"));
    assert.match(ds.skipped[0].reason, /NIfTI volume.*medad data slice/);
  });
});
