// Position-embedding resize for input sizes other than the checkpoint's, done on the weights at build time.
// Reproduces torch F.interpolate(mode="bicubic", antialias=True, align_corners=False) (what MVFA's resize_pos_embed
// uses): a separable PIL-style filter whose support widens by the scale factor when downsampling, with the Keys cubic
// a = −0.5 (not the −0.75 of non-antialiased torch bicubic), weights normalised to sum 1 per output sample. Opset 17
// Resize has no antialias, hence precomputing. Computed in float64 and rounded once (torch rounds per step in float32;
// the difference is ~1e-7 relative).
import type { Tensor } from "../weights/clipWeights";

function keysCubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

export interface AxisWeights {
  /** First input index contributing to each output sample. */
  start: number[];
  /** Normalised weights per output sample, for inputs start, start+1, … */
  weights: number[][];
}

/** Interpolation weights along one axis (torch's compute_indices_weights_aa for bicubic). */
export function antialiasBicubicWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const support = scale >= 1 ? 2 * scale : 2; // interp_size 4 → half-width 2, stretched when downsampling
  const invScale = scale >= 1 ? 1 / scale : 1;
  const start: number[] = [];
  const weights: number[][] = [];
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
    const w: number[] = [];
    let total = 0;
    for (let j = xmin; j < xmax; j++) {
      const v = keysCubic((j - center + 0.5) * invScale);
      w.push(v);
      total += v;
    }
    start.push(xmin);
    weights.push(total !== 0 ? w.map((v) => v / total) : w);
  }
  return { start, weights };
}

/** Resizes a channels-last grid [inH·inW, C] to [outH·outW, C] (width pass, then height pass, as torch does). */
export function resizeGridAntialiasBicubic(
  src: ArrayLike<number>,
  inH: number,
  inW: number,
  channels: number,
  outH: number,
  outW: number,
): Float64Array {
  const wx = antialiasBicubicWeights(inW, outW);
  const wy = antialiasBicubicWeights(inH, outH);
  const tmp = new Float64Array(inH * outW * channels);
  for (let y = 0; y < inH; y++) {
    for (let ox = 0; ox < outW; ox++) {
      const dst = (y * outW + ox) * channels;
      const ws = wx.weights[ox];
      for (let k = 0; k < ws.length; k++) {
        const s = (y * inW + wx.start[ox] + k) * channels;
        for (let c = 0; c < channels; c++) tmp[dst + c] += ws[k] * src[s + c];
      }
    }
  }
  const out = new Float64Array(outH * outW * channels);
  for (let oy = 0; oy < outH; oy++) {
    const ws = wy.weights[oy];
    for (let k = 0; k < ws.length; k++) {
      const yIn = wy.start[oy] + k;
      for (let x = 0; x < outW; x++) {
        const s = (yIn * outW + x) * channels;
        const dst = (oy * outW + x) * channels;
        for (let c = 0; c < channels; c++) out[dst + c] += ws[k] * tmp[s + c];
      }
    }
  }
  return out;
}

/** CLIP position table [G² + 1, D] → [grid² + 1, D]; the CLS row (0) is kept unchanged. */
export function resizePositionEmbedding(pos: Tensor, grid: number): Tensor {
  const [rows, d] = pos.shape;
  const g = Math.round(Math.sqrt(rows - 1));
  if (g * g !== rows - 1) throw new Error(`position embedding has ${rows} rows, not a square grid plus CLS`);
  if (g === grid) return pos;
  const resized = resizeGridAntialiasBicubic(pos.data.subarray(d), g, g, d, grid, grid);
  const out = new Float32Array((grid * grid + 1) * d);
  out.set(pos.data.subarray(0, d), 0);
  out.set(resized, d);
  return { data: out, shape: [grid * grid + 1, d] };
}
