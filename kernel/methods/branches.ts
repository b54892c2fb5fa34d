/**
 * MVFA's two scoring branches on token features, as plain arithmetic on Float32Arrays (train_few.py / test_few.py
 * test() in MediaBrain-SJTU/MVFA-AD). Token features are [tokens, dim] row-major for one image and one tapped level;
 * token 0 is CLS and the patches follow row-major on a g×g grid. Arithmetic runs in float64 and maps are returned
 * as float32 (the precision the metrics core counts ties in).
 *
 * - text (zero-shot) branch: logits = 100·L2norm(patch tokens)·T → bilinear (align_corners=True) upsampling of the
 *   two logit channels to S×S → softmax → channel 1. The softmax of two linearly upsampled channels equals
 *   σ(upsample(l₁ − l₀)), so one channel is upsampled. Image score: mean over patches of the per-patch p₁.
 * - memory branch: per patch, min over the memory tokens of (1 − cos) → upsample.
 * Levels are summed by the caller (sumInto).
 */

/** Bilinear resampling weights for align_corners=True: src = dst·(in−1)/(out−1). */
interface Axis {
  lo: Int32Array;
  hi: Int32Array;
  w: Float64Array;
}

const axisCache = new Map<string, Axis>();

function axis(inSize: number, outSize: number): Axis {
  const key = `${inSize}:${outSize}`;
  let a = axisCache.get(key);
  if (!a) {
    a = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), w: new Float64Array(outSize) };
    const scale = outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
    for (let o = 0; o < outSize; o++) {
      const src = o * scale;
      const lo = Math.min(Math.floor(src), inSize - 1);
      a.lo[o] = lo;
      a.hi[o] = Math.min(lo + 1, inSize - 1);
      a.w[o] = src - lo;
    }
    axisCache.set(key, a);
  }
  return a;
}

/** Upsamples a g×g grid to S×S (bilinear, align_corners=True), in float64. */
export function upsampleAlignCorners(grid: ArrayLike<number>, g: number, size: number): Float64Array {
  if (grid.length !== g * g)
    throw new RangeError(`upsample: expected a ${g}×${g} grid (${g * g} values), got ${grid.length}`);
  const ax = axis(g, size);
  // Rows first (g rows → S columns each), then columns: separable, exact for bilinear.
  const rows = new Float64Array(g * size);
  for (let r = 0; r < g; r++) {
    for (let x = 0; x < size; x++) {
      const a = grid[r * g + ax.lo[x]];
      const b = grid[r * g + ax.hi[x]];
      rows[r * size + x] = a + (b - a) * ax.w[x];
    }
  }
  const out = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    const lo = ax.lo[y] * size;
    const hi = ax.hi[y] * size;
    const w = ax.w[y];
    for (let x = 0; x < size; x++) out[y * size + x] = rows[lo + x] + (rows[hi + x] - rows[lo + x]) * w;
  }
  return out;
}

/** Copies rows [from, to) of a [tokens, dim] matrix, each scaled to unit L2 norm, as float64. */
export function l2NormalizedRows(
  tokens: ArrayLike<number>,
  dim: number,
  from = 0,
  to = tokens.length / dim,
): Float64Array {
  const n = to - from;
  const out = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    const base = (from + r) * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += tokens[base + d] * tokens[base + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[r * dim + d] = tokens[base + d] * inv;
  }
  return out;
}

export interface TokenGrid {
  /** [tokens, dim] with token 0 = CLS and g² patches after it. */
  data: ArrayLike<number>;
  dim: number;
  grid: number;
}

function checkGrid(t: TokenGrid): void {
  if (t.data.length !== (t.grid * t.grid + 1) * t.dim) {
    throw new RangeError(
      `expected ${t.grid}×${t.grid} patches + CLS of width ${t.dim} (${(t.grid * t.grid + 1) * t.dim} values), got ${t.data.length}`,
    );
  }
}

/** 100·L2norm(patches)·T as [g², 2] (T is [dim, 2] row-major: normal, abnormal). */
export function textLogits(tokens: TokenGrid, textMatrix: ArrayLike<number>): Float64Array {
  checkGrid(tokens);
  const { dim, grid } = tokens;
  if (textMatrix.length !== dim * 2)
    throw new RangeError(`text matrix must be [${dim}, 2] to match the features, got ${textMatrix.length} values`);
  const f = l2NormalizedRows(tokens.data, dim, 1);
  const n = grid * grid;
  const out = new Float64Array(n * 2);
  for (let p = 0; p < n; p++) {
    let a = 0;
    let b = 0;
    for (let d = 0; d < dim; d++) {
      a += f[p * dim + d] * textMatrix[2 * d];
      b += f[p * dim + d] * textMatrix[2 * d + 1];
    }
    out[2 * p] = 100 * a;
    out[2 * p + 1] = 100 * b;
  }
  return out;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface LevelScores {
  /** The level's patch grid before upsampling: logit difference l₁ − l₀ (text) or distance (memory). */
  grid: Float64Array;
  g: number;
  /** Image score of this level. */
  image: number;
}

/** Text branch of one level: logit-difference grid and image score (mean over patches of softmax p₁). */
export function textLevel(tokens: TokenGrid, textMatrix: ArrayLike<number>): LevelScores {
  const logits = textLogits(tokens, textMatrix);
  const n = tokens.grid * tokens.grid;
  const diff = new Float64Array(n);
  let mean = 0;
  for (let p = 0; p < n; p++) {
    diff[p] = logits[2 * p + 1] - logits[2 * p];
    mean += sigmoid(diff[p]);
  }
  return { grid: diff, g: tokens.grid, image: mean / n };
}

/** S×S map of a text level: softmax channel 1 of the upsampled logits. */
export function textLevelMap(level: LevelScores, size: number): Float64Array {
  const up = upsampleAlignCorners(level.grid, level.g, size);
  for (let i = 0; i < up.length; i++) up[i] = sigmoid(up[i]);
  return up;
}

/**
 * A memory bank: L2-normalised tokens [count, dim], stored as float32 (a ViT-L bank of augmented support images is
 * hundreds of MB) and summed in float64. `owner[j]` is the caller's id for token j's source image, so one image can
 * be left out when scoring it (honest calibration of the support images themselves).
 */
export interface MemoryBank {
  data: Float32Array;
  owner: Int32Array;
  dim: number;
  count: number;
}

/** Builds a bank from per-image token matrices; `includeCls` keeps token 0 (MVFA does: 290 per image at 240 px). */
export function buildMemoryBank(
  images: readonly ArrayLike<number>[],
  dim: number,
  includeCls: boolean,
  owners?: readonly number[],
): MemoryBank {
  if (owners && owners.length !== images.length)
    throw new RangeError(`${images.length} images but ${owners.length} owners`);
  const from = includeCls ? 0 : 1;
  const count = images.reduce((s, t) => s + t.length / dim - from, 0);
  const data = new Float32Array(count * dim);
  const owner = new Int32Array(count);
  let row = 0;
  images.forEach((t, i) => {
    const p = l2NormalizedRows(t, dim, from);
    data.set(p, row * dim);
    owner.fill(owners ? owners[i] : i, row, row + p.length / dim);
    row += p.length / dim;
  });
  return { data, owner, dim, count };
}

/** Per patch: min over the bank of (1 − cos) = 1 − max cos, as a g² grid; tokens owned by `exclude` are skipped. */
export function memoryDistances(tokens: TokenGrid, bank: MemoryBank, exclude?: number): Float64Array {
  checkGrid(tokens);
  if (tokens.dim !== bank.dim)
    throw new RangeError(`feature width ${tokens.dim} does not match the memory bank's ${bank.dim}`);
  if (bank.count === 0) throw new RangeError("the memory bank is empty");
  const { dim, grid } = tokens;
  const q = l2NormalizedRows(tokens.data, dim, 1);
  const n = grid * grid;
  const m = bank.data;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let best = -Infinity;
    const qb = p * dim;
    for (let j = 0, mb = 0; j < bank.count; j++, mb += dim) {
      if (bank.owner[j] === exclude) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[qb + d] * m[mb + d];
      if (s > best) best = s;
    }
    if (best === -Infinity) throw new RangeError(`the memory bank has no tokens outside image ${exclude}`);
    out[p] = 1 - best;
  }
  return out;
}

/** Memory branch of one level; image score here is the mean of the upsampled map (MVFA's det convention). */
export function memoryLevel(tokens: TokenGrid, bank: MemoryBank, size: number, exclude?: number): LevelScores {
  return memoryLevelFromDistances(memoryDistances(tokens, bank, exclude), tokens.grid, size);
}

/** The same from distances computed elsewhere (e.g. memoryScorer.ts). */
export function memoryLevelFromDistances(grid: Float64Array, g: number, size: number): LevelScores {
  const up = upsampleAlignCorners(grid, g, size);
  let s = 0;
  for (const v of up) s += v;
  return { grid, g, image: s / up.length };
}

/** S×S map of a memory level. */
export function memoryLevelMap(level: LevelScores, size: number): Float64Array {
  return upsampleAlignCorners(level.grid, level.g, size);
}

/** acc += x, elementwise (summing levels). */
export function sumInto(acc: Float64Array, x: ArrayLike<number>): Float64Array {
  if (acc.length !== x.length) throw new RangeError(`cannot sum maps of ${acc.length} and ${x.length} values`);
  for (let i = 0; i < acc.length; i++) acc[i] += x[i];
  return acc;
}

export function maxOf(x: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}

export function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
