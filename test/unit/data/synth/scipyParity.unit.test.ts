// The numeric building blocks of MediCLIP's synthesis against scipy.ndimage (1.17.1), which the reference calls:
// gaussian_filter (σ 1.7, mode reflect), map_coordinates (order 3, mode nearest — Source deformation),
// affine_transform (order 3, mode constant — CutPaste) and grey_closing (3×3). Expected values were printed by scipy
// for the fixed input below (img[r][c] = ((9r + c)·37) mod 251, 7×9) and are pasted here to 9 decimals.
import * as assert from "assert";
import { gaussianFilter } from "../../../../kernel/data/synth/filters";
import { grayImage } from "../../../../kernel/data/synth/grayImage";
import { greyClosing3 } from "../../../../kernel/data/synth/morphology";
import { splineAt, splineCoefficients } from "../../../../kernel/data/synth/spline";
import { resampleCrop } from "../../../../kernel/data/synth/cutPaste";

const img = grayImage(7, 9, Array.from({ length: 63 }, (_, k) => ((Math.floor(k / 9) * 9 + (k % 9)) * 37) % 251));

const GAUSS = [92.345489569, 100.781421096, 113.184655921, 123.639223999, 127.835874632, 124.434517696, 115.366006071, 105.175137455, 98.71617019, 106.406720836, 111.641713551, 119.116579129, 124.903138176, 126.288484267, 122.681131111, 115.687619289, 108.4874322, 104.138692075, 123.588819859, 124.587712923, 125.808342611, 126.042026713, 124.394575013, 120.834178471, 116.309919551, 112.373119659, 110.231033642, 134.68019403, 132.484456484, 129.300312704, 126.120309153, 123.190268323, 120.482681471, 118.085322789, 116.26829574, 115.312889727, 139.434488001, 135.13054169, 129.387328482, 124.983145838, 122.916599854, 122.701346059, 123.047255183, 122.865579994, 122.327797616, 141.475980435, 135.207414597, 127.435521432, 122.969085945, 123.47961056, 127.428330033, 131.324692439, 132.463787695, 131.675905872, 142.490824418, 134.675513572, 125.444114364, 121.283378112, 124.267536524, 131.744659852, 138.281728004, 140.003478408, 138.629888901];
const COORDS = [[0.3, 2.7, 6.0, -0.4, 6.6, 3.5], [0.2, 8.4, -0.7, 4.1, 9.5, 3.5]];
const MAP_NEAREST = [23.169972991, 93.836322236, 255.397090463, 138.788938822, 26.071046758, 220.498820048];
const AFFINE = [0.0, 33.21538146, 0.0, 0.0, 0.0, 0.0, 106.231502936, 126.201249988, 129.418716907, 165.935126369, 157.995791543, 0.0, 184.34002189, 245.574980767, 158.995783471, 195.992800745, 72.337326675, 98.696937833, 136.180378121, 67.818391729, 60.536530983, 35.849749686, 80.686470631, 75.912928081, 103.782810015, 94.59536056, 169.052923077, 160.378491821, 209.132515585, 173.419970743];
const CLOSING = [0.474103586, 0.474103586, 0.621513944, 0.768924303, 0.916334661, 0.916334661, 0.474103586, 0.474103586, 0.621513944, 0.768924303, 0.916334661, 0.916334661, 0.800796813, 0.800796813, 0.948207171, 0.896414343, 0.896414343, 0.896414343, 0.980079681, 0.928286853, 0.928286853, 0.896414343, 0.896414343, 0.896414343, 0.780876494, 0.780876494, 0.928286853, 0.896414343, 0.896414343, 0.896414343, 0.780876494, 0.780876494, 0.928286853, 0.896414343, 0.896414343, 0.896414343];

function near(got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void {
  assert.strictEqual(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < tol, `${what}[${i}]: ${got[i]} vs scipy ${want[i]}`);
}

describe("data/synth: parity with scipy.ndimage", () => {
  it("gaussian_filter(σ 1.7, reflect, truncate 4)", () => near(gaussianFilter(img, 1.7).data, GAUSS, 1e-7, "gauss"));

  it("map_coordinates(order 3, mode nearest), including points outside the image", () => {
    const s = splineCoefficients(img, "nearest");
    near(COORDS[0].map((y, i) => splineAt(s, y, COORDS[1][i])), MAP_NEAREST, 1e-7, "map_coordinates");
  });

  it("affine_transform(M, offset, output 5×6, order 3, mode constant) = CutPaste's crop resampling", () => {
    const out = resampleCrop(img, { M: [0.9, -0.3, 0.25, 1.1], offset: [0.4, -0.2], crop: [7, 9] }, [5, 6]);
    near(out.data, AFFINE, 1e-7, "affine_transform");
  });

  it("grey_closing(size 3×3) on a 6×6 crop scaled to [0, 1]", () => {
    const lab = new Float64Array(36);
    for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) lab[r * 6 + c] = img.data[r * 9 + c] / 251;
    near(greyClosing3(lab, 6, 6), CLOSING, 1e-8, "grey_closing");
  });

  it("the spline interpolates: integer coordinates return the pixel values", () => {
    for (const mode of ["nearest", "constant"] as const) {
      const s = splineCoefficients(img, mode);
      for (let r = 0; r < 7; r++) for (let c = 0; c < 9; c++) assert.ok(Math.abs(splineAt(s, r, c) - img.data[r * 9 + c]) < 1e-9, `${mode} (${r}, ${c})`);
    }
  });
});
