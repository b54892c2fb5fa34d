/**
 * Orthogonal slices of a volume in display orientation, resampled to square pixels and normalised to [0, 1].
 * Axial: anterior up, patient right on the image left (radiological); coronal: superior up, right on the left;
 * sagittal: superior up, anterior on the right.
 */
import type { Volume } from "../../imaging/nifti";

export type View = "axial" | "coronal" | "sagittal";

export interface Slice2d {
  width: number;
  height: number;
  data: Float32Array;
  index: number;
}

/**
 * For each world axis (x, y, z): the voxel axis that runs most along it, and whether the voxel index increases it.
 * Chosen as the permutation with the largest summed |direction cosine|, so an oblique or oddly scaled affine (dipy's
 * S0_10slices has a large shear term) still maps each voxel axis to one world axis.
 */
function axisMap(vol: Volume): { axis: number; positive: boolean }[] {
  const cosine = (w: number, a: number): number => {
    const norm = Math.hypot(vol.affine[0][a], vol.affine[1][a], vol.affine[2][a]) || 1;
    return Math.abs(vol.affine[w][a]) / norm;
  };
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  let best = perms[0];
  let bestScore = -1;
  for (const p of perms) {
    const score = cosine(0, p[0]) + cosine(1, p[1]) + cosine(2, p[2]);
    if (score > bestScore + 1e-9) [best, bestScore] = [p, score];
  }
  return best.map((axis, w) => ({ axis, positive: vol.affine[w][axis] >= 0 }));
}

/**
 * Slices along world axis `view`, keeping those whose foreground (values above 15 % of the volume's p99) covers at
 * least `minFill` of the slice; `step` keeps every step-th slice.
 */
export function orthogonalSlices(vol: Volume, view: View, step = 1, minFill = 0.15): Slice2d[] {
  const map = axisMap(vol);
  const fixedWorld = view === "sagittal" ? 0 : view === "coronal" ? 1 : 2;
  // [column world axis, column runs towards +world?, row world axis, row runs towards +world?]
  const layout: Record<View, [number, boolean, number, boolean]> = {
    axial: [0, false, 1, false],
    coronal: [0, false, 2, false],
    sagittal: [1, true, 2, false],
  };
  const [cw, cPos, rw, rPos] = layout[view];
  const dims = vol.dims;
  const stride = [1, dims[0], dims[0] * dims[1]];
  const colAx = map[cw].axis;
  const rowAx = map[rw].axis;
  const fixAx = map[fixedWorld].axis;
  const nc = dims[colAx];
  const nr = dims[rowAx];
  const sc = vol.spacing[colAx];
  const sr = vol.spacing[rowAx];
  const thr = 0.15 * percentile(vol.data, 0.99);
  // Square pixels at the finer of the two in-plane spacings.
  const pix = Math.min(sc, sr);
  const width = Math.max(1, Math.round((nc * sc) / pix));
  const height = Math.max(1, Math.round((nr * sr) / pix));
  const out: Slice2d[] = [];
  for (let s = 0; s < dims[fixAx]; s += step) {
    const plane = new Float32Array(nc * nr);
    let fill = 0;
    for (let r = 0; r < nr; r++) {
      // Voxel index increasing moves towards +world when map.positive; flip when the display wants the other way.
      const rv = map[rw].positive === rPos ? r : nr - 1 - r;
      for (let c = 0; c < nc; c++) {
        const cv = map[cw].positive === cPos ? c : nc - 1 - c;
        const v = vol.data[s * stride[fixAx] + rv * stride[rowAx] + cv * stride[colAx]];
        plane[r * nc + c] = v;
        if (v > thr) fill++;
      }
    }
    if (fill / plane.length < minFill) continue;
    const sq = resampleBilinear(plane, nc, nr, width, height);
    out.push({ width, height, data: normalise(sq), index: s });
  }
  return out;
}

export function resampleBilinear(src: Float32Array, w: number, h: number, ow: number, oh: number): Float32Array {
  if (ow === w && oh === h) return Float32Array.from(src);
  const out = new Float32Array(ow * oh);
  for (let r = 0; r < oh; r++) {
    const y = Math.min(h - 1, Math.max(0, ((r + 0.5) * h) / oh - 0.5));
    const y0 = Math.floor(y);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = y - y0;
    for (let c = 0; c < ow; c++) {
      const x = Math.min(w - 1, Math.max(0, ((c + 0.5) * w) / ow - 0.5));
      const x0 = Math.floor(x);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = x - x0;
      const top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
      const bot = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
      out[r * ow + c] = top * (1 - fy) + bot * fy;
    }
  }
  return out;
}

/** q-quantile (0..1) of the values, by sorting a copy (volumes here are at most a few million voxels). */
export function percentile(a: ArrayLike<number>, q: number): number {
  const s = Float32Array.from(a as ArrayLike<number>).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))];
}

/** Maps p0.5 … p99.5 of the non-background values to 0 … 1 (clipped), so slices of any scanner look alike. */
export function normalise(a: Float32Array): Float32Array {
  const fg = a.filter((v) => v > 0);
  const src = fg.length > a.length * 0.05 ? fg : a;
  const lo = Math.min(0, percentile(src, 0.005));
  const hi = percentile(src, 0.995);
  const span = hi - lo || 1;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.min(1, Math.max(0, (a[i] - lo) / span));
  return out;
}
