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
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let s = 0;
      for (let t = -radius; t <= radius; t++) {
        const v = axis === 0 ? src[reflectIndex(r + t, h) * w + c] : src[r * w + reflectIndex(c + t, w)];
        s += kernel[t + radius] * v;
      }
      out[r * w + c] = s;
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
