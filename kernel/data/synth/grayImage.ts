// The image type MediCLIP's anomaly synthesis works on (methods.md §4.5): one grey channel, row-major [row][col],
// float64 intensities on the 0–255 scale (the reference applies its tasks to the 8-bit "L" image as floats).
// Axis 0 is the row (y), axis 1 the column (x), as numpy indexes the reference arrays.

export interface GrayImage {
  readonly height: number;
  readonly width: number;
  readonly data: Float64Array;
}

export function grayImage(height: number, width: number, data?: ArrayLike<number>): GrayImage {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) throw new RangeError(`image size must be positive integers, got ${height}×${width}`);
  if (data && data.length !== height * width) throw new RangeError(`${data.length} pixels for a ${height}×${width} image`);
  return { height, width, data: data ? Float64Array.from(data) : new Float64Array(height * width) };
}

export function cloneImage(img: GrayImage): GrayImage {
  return { height: img.height, width: img.width, data: Float64Array.from(img.data) };
}

/** Copy of the rectangle [r0, r0 + h) × [c0, c0 + w) (must lie inside the image). */
export function cropImage(img: GrayImage, r0: number, c0: number, h: number, w: number): GrayImage {
  if (r0 < 0 || c0 < 0 || r0 + h > img.height || c0 + w > img.width) throw new RangeError(`crop ${h}×${w} at (${r0}, ${c0}) leaves the ${img.height}×${img.width} image`);
  const out = new Float64Array(h * w);
  for (let r = 0; r < h; r++) out.set(img.data.subarray((r0 + r) * img.width + c0, (r0 + r) * img.width + c0 + w), r * w);
  return { height: h, width: w, data: out };
}

/** Writes `patch` into `img` at (r0, c0) where `where` (patch-sized, nonzero = write) says so; all pixels when omitted. */
export function pasteImage(img: GrayImage, patch: GrayImage, r0: number, c0: number, where?: ArrayLike<number>): void {
  for (let r = 0; r < patch.height; r++) {
    for (let c = 0; c < patch.width; c++) {
      const k = r * patch.width + c;
      if (!where || where[k]) img.data[(r0 + r) * img.width + c0 + c] = patch.data[k];
    }
  }
}

export function minMaxOf(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  return [lo, hi];
}

/**
 * How scipy.ndimage stores a spline value into a uint8 output (affine_transform / map_coordinates on MediCLIP's uint8
 * image, ni_interpolation.c): t > 0 ? t + 0.5 : 0, capped at 255, then cast — round half up, clamp to 0..255.
 */
export function scipyUint8(v: number): number {
  return v > 0 ? Math.floor(Math.min(255, v + 0.5)) : 0;
}

/** numpy's astype(np.uint8) of a float already in 0..255 (the reference's last step): truncation toward zero. */
export function truncateUint8(img: GrayImage): void {
  for (let k = 0; k < img.data.length; k++) img.data[k] = Math.trunc(Math.min(255, Math.max(0, img.data[k])));
}
