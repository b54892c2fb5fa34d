import * as assert from "assert";
import * as path from "path";
import { axialAxis, axialSlices, decodeNifti, readNifti } from "../../../kernel/imaging/nifti";
import { encodeNifti } from "../../helpers/niftiEncode";

// A 3x2x2 volume whose value encodes its voxel: 100*k + 10*j + i.
const values: number[] = [];
for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) for (let i = 0; i < 3; i++) values.push(100 * k + 10 * j + i);

describe("NIfTI volumes", () => {
  it("decodes .nii and .nii.gz, applying scl_slope/scl_inter", () => {
    const plain = decodeNifti(encodeNifti({ dims: [3, 2, 2], datatype: 4, values }));
    assert.deepStrictEqual(plain.dims, [3, 2, 2]);
    assert.deepStrictEqual(Array.from(plain.data), values);
    const scaled = decodeNifti(encodeNifti({ dims: [3, 2, 2], datatype: 4, values, slope: 2, inter: -5, gzip: true }));
    assert.deepStrictEqual(Array.from(scaled.data), values.map((v) => 2 * v - 5));
  });

  it("slices axially in radiological display (anterior up, patient right on the left)", () => {
    const vol = decodeNifti(encodeNifti({ dims: [3, 2, 2], datatype: 2, values }));
    assert.strictEqual(axialAxis(vol), 2);
    const [s1] = axialSlices(vol, [1, 1]);
    assert.strictEqual(s1.index, 1);
    assert.strictEqual(s1.width, 3);
    assert.strictEqual(s1.height, 2);
    // Row 0 = largest j (anterior), column 0 = largest i (patient right in RAS).
    assert.deepStrictEqual(Array.from(s1.data), [112, 111, 110, 102, 101, 100]);
  });

  it("finds the axial axis from the affine when the volume is stored coronally", () => {
    // Voxel j runs along world z, k along world y: axial slices are taken along j.
    const vol = decodeNifti(encodeNifti({ dims: [3, 2, 2], datatype: 2, values, sform: [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]] }));
    assert.strictEqual(axialAxis(vol), 1);
    const slices = axialSlices(vol);
    assert.strictEqual(slices.length, 2);
    assert.deepStrictEqual(Array.from(slices[0].data), [102, 101, 100, 2, 1, 0]);
  });

  it("rejects out-of-range slices, truncated data and non-NIfTI bytes with the file name", () => {
    const vol = decodeNifti(encodeNifti({ dims: [3, 2, 2], datatype: 2, values }), "v.nii");
    assert.throws(() => axialSlices(vol, [0, 5]), /v\.nii: slice range \[0, 5\] is outside 0\.\.1/);
    const full = encodeNifti({ dims: [3, 2, 2], datatype: 4, values });
    assert.throws(() => decodeNifti(full.subarray(0, full.length - 6), "cut.nii"), /cut\.nii: NIfTI image data is truncated/);
    assert.throws(() => decodeNifti(Buffer.alloc(400), "zero.nii"), /zero\.nii: not a NIfTI-1\/2 file/);
  });

  it("reads the vendored Colin27 volume header (181x217x181, RAS)", () => {
    const vol = readNifti(path.resolve(__dirname, "../../../../data/source/colin27/ch2bet.nii.gz"));
    assert.deepStrictEqual(vol.dims, [181, 217, 181]);
    assert.strictEqual(vol.affine[2][3], -71);
    assert.strictEqual(axialSlices(vol, [71, 71])[0].width, 181);
  });
});
