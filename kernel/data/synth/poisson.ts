// Poisson image editing (Pérez et al. 2003) of one patch: inside the mask the result keeps the Laplacian of `source`
// while matching the target image on the mask's outer boundary. MediCLIP's paper pastes CutPaste patches this way;
// its code does not (direct replacement), so this is the option `cutPasteBlend: "poisson"`. Solved with successive
// over-relaxation on the 4-neighbour discrete Poisson equation; neighbours outside the image are dropped (Neumann).
import type { GrayImage } from "./grayImage";

export interface PoissonOptions {
  /** Stop when no pixel moves more than this (grey levels). */
  tolerance?: number;
  maxIterations?: number;
  omega?: number;
}

/** Blends `source` (patch-sized) into `img` at (r0, c0) under `mask` (patch-sized, nonzero = blend); in place. */
export function poissonBlend(img: GrayImage, source: GrayImage, mask: ArrayLike<number>, r0: number, c0: number, o: PoissonOptions = {}): number {
  const tol = o.tolerance ?? 1e-3;
  const maxIt = o.maxIterations ?? 5000;
  const omega = o.omega ?? 1.9;
  const { height: h, width: w } = source;
  const inside = (r: number, c: number) => r >= 0 && c >= 0 && r < h && c < w && !!mask[r * w + c];
  const pixels: number[] = [];
  for (let k = 0; k < h * w; k++) if (mask[k]) pixels.push(k);
  // Right-hand side: guidance (source Laplacian) + known boundary values; the diagonal counts in-image neighbours.
  const rhs = new Float64Array(pixels.length);
  const diag = new Float64Array(pixels.length);
  const nbrs: number[][] = [];
  const index = new Int32Array(h * w).fill(-1);
  pixels.forEach((k, i) => (index[k] = i));
  pixels.forEach((k, i) => {
    const r = Math.floor(k / w);
    const c = k % w;
    const list: number[] = [];
    for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]]) {
      const rr = r + dr;
      const cc = c + dc;
      const ir = r0 + rr;
      const ic = c0 + cc;
      if (ir < 0 || ic < 0 || ir >= img.height || ic >= img.width) continue;
      diag[i]++;
      const sv = rr >= 0 && cc >= 0 && rr < h && cc < w ? source.data[rr * w + cc] : source.data[k];
      rhs[i] += source.data[k] - sv;
      if (inside(rr, cc)) list.push(index[rr * w + cc]);
      else rhs[i] += img.data[ir * img.width + ic];
    }
    nbrs.push(list);
  });
  const f = Float64Array.from(pixels, (k) => source.data[k]);
  let it = 0;
  for (; it < maxIt; it++) {
    let moved = 0;
    for (let i = 0; i < f.length; i++) {
      let s = rhs[i];
      for (const j of nbrs[i]) s += f[j];
      const next = f[i] + omega * (s / diag[i] - f[i]);
      moved = Math.max(moved, Math.abs(next - f[i]));
      f[i] = next;
    }
    if (moved < tol) break;
  }
  pixels.forEach((k, i) => (img.data[(r0 + Math.floor(k / w)) * img.width + c0 + (k % w)] = Math.min(255, Math.max(0, f[i]))));
  return it;
}
