/** A single-channel raster: row-major values. */
export interface Plane {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/**
 * Bilinear resize with pixel centres aligned (align_corners = false, as torch's F.interpolate does for anomaly maps).
 * Used for display only, so no antialiasing filter when shrinking.
 */
export function resampleBilinear(src: Plane, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(src.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(src.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const wx = fx - x0;
      const top = src.data[y0 * src.width + x0] * (1 - wx) + src.data[y0 * src.width + x1] * wx;
      const bottom = src.data[y1 * src.width + x0] * (1 - wx) + src.data[y1 * src.width + x1] * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Nearest-neighbour resize (masks stay binary). */
export function resampleNearest(src: Plane, width: number, height: number): Float64Array {
  if (src.data.length !== src.width * src.height)
    throw new Error(`mask has ${src.data.length} values, expected ${src.width}×${src.height}.`);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / width));
      out[y * width + x] = src.data[sy * src.width + sx];
    }
  }
  return out;
}
