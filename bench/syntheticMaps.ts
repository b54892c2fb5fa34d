/**
 * Synthetic pixel anomaly maps shaped like MVFA's BrainMRI output, for the metrics benchmark: 240 x 240 maps made by
 * bilinear upsampling of a 15 x 15 patch-score grid (ViT patches of 16 px), exactly 0 outside an elliptic "brain"
 * (skull-stripped background gives one constant score: a tie of tens of millions of pixels), an elliptic lesion in 40 %
 * of the images whose patches score higher, and one map in four quantised to 8 bits (maps stored as PNG) for more ties.
 * Seeded, so the same --n and --seed give the same pixels in every process.
 */
import { SeededRandom } from "../kernel/util/random/xoshiro128";

export const MAP_SIZE = 240;
const GRID = 15;
const CELL = MAP_SIZE / GRID;

export interface SyntheticMap {
  scores: Float32Array;
  mask: Uint8Array;
}

/** Source offsets and weights of bilinear upsampling (align_corners = false), the same for rows and columns. */
function bilinearTaps(): { low: Int32Array; high: Int32Array; weight: Float64Array } {
  const low = new Int32Array(MAP_SIZE);
  const high = new Int32Array(MAP_SIZE);
  const weight = new Float64Array(MAP_SIZE);
  for (let i = 0; i < MAP_SIZE; i++) {
    const source = Math.min(Math.max((i + 0.5) / CELL - 0.5, 0), GRID - 1);
    low[i] = Math.floor(source);
    high[i] = Math.min(low[i] + 1, GRID - 1);
    weight[i] = source - low[i];
  }
  return { low, high, weight };
}

/** Yields maps until `pixels` pixels in total were produced (the last one truncated), reusing one buffer pair. */
export function* syntheticMaps(pixels: number, seed: number): Generator<SyntheticMap> {
  const random = new SeededRandom(seed);
  const taps = bilinearTaps();
  const grid = new Float64Array(GRID * GRID);
  const scores = new Float32Array(MAP_SIZE * MAP_SIZE);
  const mask = new Uint8Array(MAP_SIZE * MAP_SIZE);
  for (let produced = 0; produced < pixels; ) {
    const brainRx = 90 + 20 * random.nextFloat();
    const brainRy = 100 + 15 * random.nextFloat();
    const anomalous = random.nextFloat() < 0.4;
    const lesionX = 120 + (random.nextFloat() - 0.5) * 100;
    const lesionY = 120 + (random.nextFloat() - 0.5) * 120;
    const lesionRx = 6 + 24 * random.nextFloat();
    const lesionRy = 6 + 24 * random.nextFloat();
    const quantised = random.nextFloat() < 0.25;
    const inLesion = (x: number, y: number, grow: number): boolean =>
      anomalous && ((x - lesionX) / (lesionRx * grow)) ** 2 + ((y - lesionY) / (lesionRy * grow)) ** 2 <= 1;
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        const bump = inLesion((gx + 0.5) * CELL, (gy + 0.5) * CELL, 1.4) ? 0.1 + 0.35 * random.nextFloat() : 0;
        grid[gy * GRID + gx] = 0.05 + 0.45 * random.nextFloat() + bump;
      }
    }
    for (let y = 0; y < MAP_SIZE; y++) {
      const wy = taps.weight[y];
      const row0 = taps.low[y] * GRID;
      const row1 = taps.high[y] * GRID;
      for (let x = 0; x < MAP_SIZE; x++) {
        const i = y * MAP_SIZE + x;
        const inBrain = ((x - 120) / brainRx) ** 2 + ((y - 120) / brainRy) ** 2 <= 1;
        mask[i] = inBrain && inLesion(x, y, 1) ? 1 : 0;
        if (!inBrain) {
          scores[i] = 0;
          continue;
        }
        const wx = taps.weight[x];
        const x0 = taps.low[x];
        const x1 = taps.high[x];
        const top = grid[row0 + x0] + (grid[row0 + x1] - grid[row0 + x0]) * wx;
        const bottom = grid[row1 + x0] + (grid[row1 + x1] - grid[row1 + x0]) * wx;
        const value = Math.min((top + (bottom - top) * wy) / 1.25, 1);
        scores[i] = quantised ? Math.round(value * 255) / 255 : value;
      }
    }
    const take = Math.min(scores.length, pixels - produced);
    produced += take;
    yield { scores: scores.subarray(0, take), mask: mask.subarray(0, take) };
  }
}
