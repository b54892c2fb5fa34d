/**
 * Composes one heatmap case (image + thresholded anomaly-map overlay + mask contour) into RGBA pixels. Shared by the
 * renderer (canvas ImageData) and the kernel's PNG drawer so the notebook and the PNG fallback show the same picture.
 */
import type { HeatmapCase, HeatmapPayload } from "./viz";

/** Colour of the ground-truth contour: pure green reads against grey scans and against jet's blue/red ends. */
export const CONTOUR_RGB: [number, number, number] = [0, 255, 0];

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export interface DecodedCase {
  image: Uint8Array;
  map: Uint8Array;
  mask?: Uint8Array;
}

export function decodeCase(c: HeatmapCase): DecodedCase {
  const pixels = c.width * c.height;
  const image = decodeBase64(c.image);
  const map = decodeBase64(c.map);
  const mask = c.mask === undefined ? undefined : decodeBase64(c.mask);
  if (image.length !== pixels * c.channels || map.length !== pixels || (mask && mask.length !== pixels)) {
    throw new Error(`heatmap case ${c.id}: image/map/mask sizes do not match ${c.width}×${c.height}×${c.channels}.`);
  }
  return { image, map, mask };
}

/** Threshold in map units → the quantised level (0..255) the stored map uses. */
export function thresholdLevel(payload: Pick<HeatmapPayload, "mapRange">, threshold: number): number {
  const [lo, hi] = payload.mapRange;
  if (!(hi > lo)) return threshold > lo ? 256 : 0;
  return Math.ceil(((threshold - lo) / (hi - lo)) * 255 - 1e-9) || 0; // || 0: no -0 level
}

/** Inverse of the quantisation: the map value a stored level stands for. */
export function levelValue(payload: Pick<HeatmapPayload, "mapRange">, level: number): number {
  const [lo, hi] = payload.mapRange;
  return lo + ((hi - lo) * level) / 255;
}

/**
 * RGBA pixels: the image in grey or colour; where the map level ≥ `level`, the colormap colour blended with `alpha`;
 * mask pixels that touch a non-mask pixel (4-neighbourhood) or the border painted as the contour.
 */
export function composeCase(
  c: HeatmapCase,
  decoded: DecodedCase,
  lut: Uint8Array,
  level: number,
  alpha: number,
): Uint8ClampedArray {
  const { width, height, channels } = c;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    let r: number, g: number, b: number;
    if (channels === 1) r = g = b = decoded.image[p];
    else {
      r = decoded.image[3 * p];
      g = decoded.image[3 * p + 1];
      b = decoded.image[3 * p + 2];
    }
    const m = decoded.map[p];
    if (m >= level) {
      r = r * (1 - alpha) + lut[3 * m] * alpha;
      g = g * (1 - alpha) + lut[3 * m + 1] * alpha;
      b = b * (1 - alpha) + lut[3 * m + 2] * alpha;
    }
    out[4 * p] = r;
    out[4 * p + 1] = g;
    out[4 * p + 2] = b;
    out[4 * p + 3] = 255;
  }
  const mask = decoded.mask;
  if (mask) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (!mask[p]) continue;
        const edge =
          x === 0 ||
          y === 0 ||
          x === width - 1 ||
          y === height - 1 ||
          !mask[p - 1] ||
          !mask[p + 1] ||
          !mask[p - width] ||
          !mask[p + width];
        if (edge) out.set([...CONTOUR_RGB, 255], 4 * p);
      }
    }
  }
  return out;
}

/** Cases ordered for display: highest score first, ties by id so the order never depends on input order. */
export function sortCases(cases: HeatmapCase[]): HeatmapCase[] {
  return [...cases].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
