// The morphology behind MediCLIP's FlippedGaussianLabeller (methods.md §4.5): 4-connected components of a binary
// mask with their bounding boxes (scipy.ndimage.label + find_objects), grey closing with a full 3×3 structuring
// element (scipy grey_closing, "reflect" borders), and hole filling by morphological reconstruction by erosion seeded
// with the region maximum everywhere except the box border (skimage reconstruction, 3×3 footprint).

export interface Box {
  r0: number;
  c0: number;
  /** Exclusive ends. */
  r1: number;
  c1: number;
}

/** Bounding boxes of the 4-connected components of `mask` (nonzero = foreground), in scan order of first pixel. */
export function componentBoxes(mask: ArrayLike<number>, height: number, width: number): Box[] {
  const seen = new Uint8Array(height * width);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    const box = { r0: height, c0: width, r1: 0, c1: 0 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const k = stack.pop()!;
      const r = Math.floor(k / width);
      const c = k % width;
      box.r0 = Math.min(box.r0, r);
      box.c0 = Math.min(box.c0, c);
      box.r1 = Math.max(box.r1, r + 1);
      box.c1 = Math.max(box.c1, c + 1);
      const next = [r > 0 ? k - width : -1, r < height - 1 ? k + width : -1, c > 0 ? k - 1 : -1, c < width - 1 ? k + 1 : -1];
      for (const n of next) {
        if (n < 0 || !mask[n] || seen[n]) continue;
        seen[n] = 1;
        stack.push(n);
      }
    }
    boxes.push(box);
  }
  return boxes;
}

function clampIndex(i: number, n: number): number {
  // 3×3 windows reach one pixel out; scipy's "reflect" maps −1 → 0 and n → n − 1.
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

function window3(src: Float64Array, h: number, w: number, pick: (a: number, b: number) => number): Float64Array {
  const out = new Float64Array(src.length);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let v = src[r * w + c];
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) v = pick(v, src[clampIndex(r + dr, h) * w + clampIndex(c + dc, w)]);
      out[r * w + c] = v;
    }
  }
  return out;
}

/** grey_closing(size=(3, 3)): 3×3 max then 3×3 min. */
export function greyClosing3(src: Float64Array, h: number, w: number): Float64Array {
  return window3(window3(src, h, w, Math.max), h, w, Math.min);
}

/**
 * Fills regional minima not connected to the border ("holes"): reconstruction by erosion of `image` from a seed equal
 * to the image on the border and its maximum inside — the fixpoint of seed ← max(erode₃ₓ₃(seed), image). Computed
 * with alternating forward/backward raster scans that update in place (Vincent's sequential algorithm): the same
 * fixpoint as the parallel iteration, reached in a few passes instead of one per pixel of distance.
 */
export function fillHoles(image: Float64Array, h: number, w: number): Float64Array {
  let max = -Infinity;
  for (const v of image) if (v > max) max = v;
  const seed = new Float64Array(image.length);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) seed[r * w + c] = r === 0 || c === 0 || r === h - 1 || c === w - 1 ? image[r * w + c] : max;
  const visit = (r: number, c: number): boolean => {
    const k = r * w + c;
    let v = seed[k];
    // Erosion ignores positions outside the box (skimage pads the seed with its maximum for erosion).
    for (let dr = -1; dr <= 1; dr++) {
      const rr = r + dr;
      if (rr < 0 || rr >= h) continue;
      for (let dc = -1; dc <= 1; dc++) {
        const cc = c + dc;
        if (cc >= 0 && cc < w && seed[rr * w + cc] < v) v = seed[rr * w + cc];
      }
    }
    const next = v > image[k] ? v : image[k];
    if (next === seed[k]) return false;
    seed[k] = next;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (visit(r, c)) changed = true;
    for (let r = h - 1; r >= 0; r--) for (let c = w - 1; c >= 0; c--) if (visit(r, c)) changed = true;
  }
  return seed;
}
