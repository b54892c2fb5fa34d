/**
 * Raster helpers for the demo generator on float images (row-major, one channel): smooth random fields, Gaussian
 * blur, bilinear sampling, chamfer distances and connected components. Plain loops; the images are 240².
 */
import { Rng } from "../../util/random/rng";

export interface Grid {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function grid(width: number, height: number, fill = 0): Grid {
  return { width, height, data: new Float32Array(width * height).fill(fill) };
}

/** Bilinear sample at (x, y) in pixel units; outside the image reads `outside`. */
export function sample(g: Grid, x: number, y: number, outside = 0): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= g.width || yy >= g.height ? outside : g.data[yy * g.width + xx]);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Separable Gaussian blur, kernel truncated at 3 sigma, edges clamped. */
export function blur(g: Grid, sigma: number): Grid {
  if (sigma <= 0) return { ...g, data: g.data.slice() };
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const { width: w, height: h } = g;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += k[i + r] * g.data[y * w + Math.min(w - 1, Math.max(0, x + i))];
      tmp[y * w + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
      out[y * w + x] = acc;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Smooth value noise in about [-1, 1]: random values on a lattice of `cells` per side, quintic-faded bilinear
 * interpolation; `octaves` halve the amplitude and double the lattice each time (fractal noise).
 */
export function fractalNoise(width: number, height: number, cells: number, octaves: number, rng: Rng): Grid {
  const out = grid(width, height);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const n = cells * 2 ** o;
    const lattice = new Float32Array((n + 1) * (n + 1));
    for (let i = 0; i < lattice.length; i++) lattice[i] = rng.uniform(-1, 1);
    const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);
    for (let y = 0; y < height; y++) {
      const gy = (y / height) * n;
      const iy = Math.floor(gy);
      const ty = fade(gy - iy);
      for (let x = 0; x < width; x++) {
        const gx = (x / width) * n;
        const ix = Math.floor(gx);
        const tx = fade(gx - ix);
        const v00 = lattice[iy * (n + 1) + ix];
        const v10 = lattice[iy * (n + 1) + ix + 1];
        const v01 = lattice[(iy + 1) * (n + 1) + ix];
        const v11 = lattice[(iy + 1) * (n + 1) + ix + 1];
        out.data[y * width + x] += amp * ((v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty);
      }
    }
    total += amp;
    amp /= 2;
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] /= total;
  return out;
}

/**
 * Chamfer (3-4) distance in pixels from every pixel to the nearest pixel where `inside` is false; 0 outside.
 * Used to erode the brain mask and to measure distance to the ventricles.
 */
export function distanceInside(width: number, height: number, inside: (i: number) => boolean): Float32Array {
  const big = 1e9;
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = inside(i) ? big : 0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i], at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i], at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
    }
  }
  for (let i = 0; i < d.length; i++) d[i] /= 3;
  return d;
}

/** Keeps only the largest 4-connected component of a 0/1 mask; returns its area. */
export function keepLargestComponent(mask: Uint8Array, width: number, height: number): number {
  const label = new Int32Array(mask.length);
  let best = 0;
  let bestArea = 0;
  let next = 0;
  const stack: number[] = [];
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || label[s]) continue;
    next++;
    let area = 0;
    label[s] = next;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop() as number;
      area++;
      const x = i % width;
      const y = (i - x) / width;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (mask[j] && !label[j]) {
          label[j] = next;
          stack.push(j);
        }
      }
    }
    if (area > bestArea) {
      bestArea = area;
      best = next;
    }
  }
  for (let i = 0; i < mask.length; i++) mask[i] = label[i] === best && best > 0 ? 1 : 0;
  return bestArea;
}
