/**
 * The fused anomaly map a result keeps per test image, so pictures (heatmaps, the explorer, t-SNE of maps) can be
 * drawn later from a saved result without running the model again. Maps are box-averaged down to at most
 * RESULT_MAP_SIDE² values (the patch grid of the models we run is 7–24 cells, so little is lost) and stored as
 * base64 little-endian float32, which is exact for the stored values and ~4× smaller than JSON numbers.
 */

/** Longest side of a stored map: 16² float32 = 1.4 KB of base64 per image (≈ 5 MB for 3,700 test images). */
export const RESULT_MAP_SIDE = 16;

/** Box average of a size×size map onto side×side cells (each source pixel goes to the cell its index falls in). */
export function poolMap(map: ArrayLike<number>, size: number, side: number): Float32Array {
  if (map.length !== size * size) throw new Error(`poolMap: ${map.length} values is not ${size}×${size}`);
  if (side >= size) return Float32Array.from(map);
  const sum = new Float64Array(side * side);
  const count = new Float64Array(side * side);
  for (let y = 0; y < size; y++) {
    const cy = Math.floor((y * side) / size);
    for (let x = 0; x < size; x++) {
      const c = cy * side + Math.floor((x * side) / size);
      sum[c] += map[y * size + x];
      count[c] += 1;
    }
  }
  return Float32Array.from(sum, (s, i) => s / count[i]);
}

export function encodeMap(map: Float32Array): string {
  const bytes = Buffer.alloc(map.length * 4);
  map.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString("base64");
}

/** The stored map as a square plane; throws naming the image when the text is not a square float32 map. */
export function decodeMap(text: string, file: string): { side: number; data: Float32Array } {
  const bytes = Buffer.from(text, "base64");
  const n = bytes.length / 4;
  const side = Math.round(Math.sqrt(n));
  if (!Number.isInteger(n) || side * side !== n || n === 0)
    throw new Error(`result map of ${file} is not a square float32 map (${bytes.length} bytes)`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = bytes.readFloatLE(i * 4);
  return { side, data };
}
