// scipy.ndimage.gaussian_filter as the reference calls it (mode "reflect", truncate 4.0): a separable, normalised
// Gaussian kernel of radius int(4σ + 0.5), the image extended by half-sample symmetric reflection (d c b a | a b c d).
import type { GrayImage } from "./grayImage";

/** Index into [0, n) under scipy's "reflect" extension. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

function filterAxis(src: Float64Array, h: number, w: number, kernel: Float64Array, axis: 0 | 1): Float64Array {
  const out = new Float64Array(src.length);
  const radius = (kernel.length - 1) / 2;
  const n = axis === 0 ? h : w;
  const lines = axis === 0 ? w : h;
  const step = axis === 0 ? w : 1;
  const stride = axis === 0 ? 1 : w;
  // One reflected copy of each line, so the inner loop has no index arithmetic.
  const ext = new Float64Array(n + 2 * radius);
  const map = Int32Array.from({ length: ext.length }, (_, i) => reflectIndex(i - radius, n));
  for (let line = 0; line < lines; line++) {
    const base = line * stride;
    for (let i = 0; i < ext.length; i++) ext[i] = src[base + map[i] * step];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < kernel.length; t++) s += kernel[t] * ext[i + t];
      out[base + i * step] = s;
    }
  }
  return out;
}

/** gaussian_filter(img, sigma) (axis 0 first, then axis 1, as scipy). */
export function gaussianFilter(img: GrayImage, sigma: number): GrayImage {
  if (!(sigma > 0)) return { ...img, data: Float64Array.from(img.data) };
  const k = gaussianKernel(sigma);
  const rows = filterAxis(img.data, img.height, img.width, k, 0);
  return { height: img.height, width: img.width, data: filterAxis(rows, img.height, img.width, k, 1) };
}
