// MediCLIP's PerlinPatchMaker (methods.md §4.5), the patch shape of CutPaste and GaussIntensityChange: 2-D Perlin
// noise with one lattice cell per axis over an nx × ny patch (nx, ny ~ randint(lo, hi), upper bound exclusive),
// rotated by U(−90°, 90°) about the patch centre (bilinear, 0 outside, same size), thresholded at 0.3; drawn again
// while less than 20 % of the patch is covered.
import type { Rng } from "../../util/random/rng";

export interface PatchMask {
  readonly height: number;
  readonly width: number;
  /** 1 inside the anomaly, 0 outside. */
  readonly data: Uint8Array;
}

export const PERLIN_THRESHOLD = 0.3;
export const PERLIN_MIN_COVER = 0.2;
/** A bound on redraws so a pathological size cannot loop forever (coverage ≥ 0.2 needs a few draws in practice). */
const MAX_REDRAWS = 1000;

const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);

/** Perlin noise with one cell per axis: gradients at the four corners, value = √2 · bilerp of the corner dot products. */
export function perlinNoise(height: number, width: number, rng: Rng): Float64Array {
  const angle = () => rng.uniform(0, 2 * Math.PI);
  const g = [angle(), angle(), angle(), angle()].map((a) => [Math.cos(a), Math.sin(a)] as const); // g00, g10, g01, g11
  const out = new Float64Array(height * width);
  for (let i = 0; i < height; i++) {
    const u = i / height;
    const fu = fade(u);
    for (let j = 0; j < width; j++) {
      const v = j / width;
      const n00 = g[0][0] * u + g[0][1] * v;
      const n10 = g[1][0] * (u - 1) + g[1][1] * v;
      const n01 = g[2][0] * u + g[2][1] * (v - 1);
      const n11 = g[3][0] * (u - 1) + g[3][1] * (v - 1);
      const a = n00 + fu * (n10 - n00);
      const b = n01 + fu * (n11 - n01);
      out[i * width + j] = Math.SQRT2 * (a + fade(v) * (b - a));
    }
  }
  return out;
}

/** Rotation about the centre ((h − 1)/2, (w − 1)/2), bilinear, constant 0 outside, output the same size. */
export function rotateBilinear(src: Float64Array, height: number, width: number, degrees: number): Float64Array {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const out = new Float64Array(height * width);
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= height || c >= width ? 0 : src[r * width + c]);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      // Inverse map: output pixel → input position.
      const dy = r - cy;
      const dx = c - cx;
      const sy = cy + cos * dy - sin * dx;
      const sx = cx + sin * dy + cos * dx;
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const fy = sy - y0;
      const fx = sx - x0;
      out[r * width + c] = (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy;
    }
  }
  return out;
}

/** Patch-size bounds of a task: lo = round(minProp·S), hi = round(maxProp·S) per axis. */
export function patchBounds(size: number, minProp: number, maxProp: number): { lo: number; hi: number } {
  return { lo: Math.round(minProp * size), hi: Math.round(maxProp * size) };
}

export function perlinPatchMask(rng: Rng, lo: number, hi: number): PatchMask {
  const height = rng.int(lo, Math.max(lo, hi - 1));
  const width = rng.int(lo, Math.max(lo, hi - 1));
  let data = new Uint8Array(height * width);
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    const rotated = rotateBilinear(perlinNoise(height, width, rng), height, width, rng.uniform(-90, 90));
    let on = 0;
    data = new Uint8Array(height * width);
    for (let k = 0; k < data.length; k++) if (rotated[k] > PERLIN_THRESHOLD) on += data[k] = 1;
    if (on / data.length >= PERLIN_MIN_COVER) break;
  }
  return { height, width, data };
}
