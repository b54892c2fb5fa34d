// Cubic B-spline interpolation as scipy.ndimage computes it for order=3 (`map_coordinates`, `affine_transform`):
// the image is first turned into spline coefficients by the recursive prefilter (pole √3 − 2, gain 6, mirror-
// symmetric boundary), then each sample is Σ c[k]·β³(x − k) over the 4×4 neighbourhood. Modes as the reference uses
// them: "nearest" (Source deformation) pads the image by 12 edge copies before prefiltering and clamps coordinates
// to the padded grid; "constant" (CutPaste's affine_transform default) prefilters with the mirror boundary and
// returns `cval` for coordinates outside [0, n − 1].
import type { GrayImage } from "./grayImage";

const POLE = Math.sqrt(3) - 2;
const PAD = 12;

export type SplineMode = "nearest" | "constant";

/** scipy's "mirror" extension (whole-sample symmetric: c b | a b c | b a). */
function mirrorIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** In-place 1-D prefilter of `n` samples at `data[off + k·stride]` (mirror boundary, exact initialisation). */
function prefilterLine(data: Float64Array, off: number, stride: number, n: number): void {
  if (n === 1) return;
  const z = POLE;
  const at = (k: number) => off + k * stride;
  for (let k = 0; k < n; k++) data[at(k)] *= 6;
  // Causal initialisation for a mirror-symmetric signal of period 2n − 2 (exact sum).
  let sum = data[at(0)] + Math.pow(z, n - 1) * data[at(n - 1)];
  for (let k = 1; k < n - 1; k++) sum += (Math.pow(z, k) + Math.pow(z, 2 * n - 2 - k)) * data[at(k)];
  data[at(0)] = sum / (1 - Math.pow(z, 2 * n - 2));
  for (let k = 1; k < n; k++) data[at(k)] += z * data[at(k - 1)];
  // Anticausal initialisation and recursion.
  data[at(n - 1)] = (z / (z * z - 1)) * (data[at(n - 1)] + z * data[at(n - 2)]);
  for (let k = n - 2; k >= 0; k--) data[at(k)] = z * (data[at(k + 1)] - data[at(k)]);
}

export interface SplineCoefficients {
  readonly mode: SplineMode;
  readonly height: number;
  readonly width: number;
  /** Coefficient grid (padded by PAD on every side in "nearest" mode). */
  readonly c: Float64Array;
  readonly ch: number;
  readonly cw: number;
  readonly offset: number;
}

export function splineCoefficients(img: GrayImage, mode: SplineMode): SplineCoefficients {
  const offset = mode === "nearest" ? PAD : 0;
  const ch = img.height + 2 * offset;
  const cw = img.width + 2 * offset;
  const c = new Float64Array(ch * cw);
  for (let r = 0; r < ch; r++) {
    const sr = Math.min(img.height - 1, Math.max(0, r - offset));
    for (let q = 0; q < cw; q++) c[r * cw + q] = img.data[sr * img.width + Math.min(img.width - 1, Math.max(0, q - offset))];
  }
  for (let r = 0; r < ch; r++) prefilterLine(c, r * cw, 1, cw);
  for (let q = 0; q < cw; q++) prefilterLine(c, q, cw, ch);
  return { mode, height: img.height, width: img.width, c, ch, cw, offset };
}

function bspline3(t: number): number {
  const a = Math.abs(t);
  if (a < 1) return 2 / 3 - a * a + (a * a * a) / 2;
  if (a < 2) return ((2 - a) * (2 - a) * (2 - a)) / 6;
  return 0;
}

/** The spline's value at (row y, column x). */
export function splineAt(s: SplineCoefficients, y: number, x: number, cval = 0): number {
  if (s.mode === "constant") {
    const eps = 1e-9;
    if (y < -eps || x < -eps || y > s.height - 1 + eps || x > s.width - 1 + eps) return cval;
  } else {
    // Coordinates live on the padded grid; beyond it the edge value continues.
    y = Math.min(s.ch - 1, Math.max(0, y + s.offset));
    x = Math.min(s.cw - 1, Math.max(0, x + s.offset));
  }
  const r0 = Math.floor(y) - 1;
  const q0 = Math.floor(x) - 1;
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const wy = bspline3(y - (r0 + i));
    if (wy === 0) continue;
    const row = mirrorIndex(r0 + i, s.ch) * s.cw;
    for (let j = 0; j < 4; j++) {
      const wx = bspline3(x - (q0 + j));
      if (wx !== 0) sum += wy * wx * s.c[row + mirrorIndex(q0 + j, s.cw)];
    }
  }
  return sum;
}
