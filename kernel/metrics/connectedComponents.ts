/**
 * Connected components of a binary ground-truth mask, the "regions" of the PRO metric. 8-connectivity is the default
 * because MVTec AD's reference evaluation labels regions with scipy.ndimage.label and a 3x3 structure of ones; pass 4
 * for edge-only neighbourhoods (some re-implementations use it; diagonal-touching defects then count separately).
 */
export type Connectivity = 4 | 8;

export interface Components {
  /** Per pixel: 0 outside the mask, else the 1-based region number (numbered in row-major order of first pixel). */
  labels: Int32Array;
  count: number;
  /** sizes[r - 1] = number of pixels of region r. */
  sizes: number[];
}

const NEIGHBOURS_4: ReadonlyArray<[number, number]> = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];
const NEIGHBOURS_8: ReadonlyArray<[number, number]> = [...NEIGHBOURS_4, [-1, -1], [-1, 1], [1, -1], [1, 1]];

/** mask[i] counts as foreground when non-zero; width*height must equal mask.length. */
export function connectedComponents(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  connectivity: Connectivity = 8,
): Components {
  if (width * height !== mask.length) {
    throw new Error(`mask has ${mask.length} pixels but width x height = ${width} x ${height} = ${width * height}.`);
  }
  if (connectivity !== 4 && connectivity !== 8)
    throw new Error(`connectivity must be 4 or 8, got ${String(connectivity)}.`);
  const neighbours = connectivity === 8 ? NEIGHBOURS_8 : NEIGHBOURS_4;
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const region = sizes.length + 1;
    // Iterative flood fill: a recursive one would overflow the stack on large lesions.
    let top = 0;
    stack[top++] = start;
    labels[start] = region;
    let size = 0;
    while (top > 0) {
      const pixel = stack[--top];
      size++;
      const x = pixel % width;
      const y = (pixel - x) / width;
      for (const [dx, dy] of neighbours) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const next = ny * width + nx;
        if (mask[next] !== 0 && labels[next] === 0) {
          labels[next] = region;
          stack[top++] = next;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, count: sizes.length, sizes };
}
