/**
 * Separable resampling weights with PIL's semantics (Pillow `Resample.c`): the kernel is centred on each output
 * pixel centre mapped into the input, and when downscaling its support is stretched by the scale factor
 * (antialiasing). Weights of one output pixel are normalised to sum 1.
 */
export type ResampleFilter = "bilinear" | "bicubic";

const BICUBIC_A = -0.5; // PIL's cubic (Keys) parameter; torch's bicubic uses -0.75, which is why we cannot use it

const kernels: Record<ResampleFilter, { support: number; weight: (x: number) => number }> = {
  bilinear: {
    support: 1,
    weight: (x) => {
      const t = Math.abs(x);
      return t < 1 ? 1 - t : 0;
    },
  },
  bicubic: {
    support: 2,
    weight: (x) => {
      const t = Math.abs(x);
      if (t < 1) return ((BICUBIC_A + 2) * t - (BICUBIC_A + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * BICUBIC_A;
      return 0;
    },
  },
};

/** For each output index: first input index, and the weights of the inputs from there on. */
export interface AxisWeights {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** [outSize, taps] row-major; unused tail entries are 0. */
  readonly weights: Float64Array;
  readonly taps: number;
}

export function axisWeights(inSize: number, outSize: number, filter: ResampleFilter): AxisWeights {
  const { support: baseSupport, weight } = kernels[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = baseSupport * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * taps);
  const invFilterScale = 1 / filterScale;
  for (let out = 0; out < outSize; out++) {
    const centre = (out + 0.5) * scale;
    // PIL truncates (value + 0.5) toward zero, then clamps to the image.
    const lo = Math.max(0, Math.trunc(centre - support + 0.5));
    const hi = Math.min(inSize, Math.trunc(centre + support + 0.5));
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const w = weight((i - centre + 0.5) * invFilterScale);
      weights[out * taps + i - lo] = w;
      sum += w;
    }
    if (sum !== 0) for (let i = 0; i < hi - lo; i++) weights[out * taps + i] /= sum;
    first[out] = lo;
    count[out] = hi - lo;
  }
  return { first, count, weights, taps };
}

// 8-bit images are filtered in fixed point: weights scaled by 2^22 and rounded half away from zero (PIL's
// PRECISION_BITS = 32 - 8 - 2 keeps the 32-bit accumulator from overflowing).
export const PRECISION_BITS = 22;

export function fixedPointWeights(axis: AxisWeights): Int32Array {
  const scale = 2 ** PRECISION_BITS;
  const out = new Int32Array(axis.weights.length);
  for (let i = 0; i < out.length; i++) {
    const w = axis.weights[i];
    out[i] = w < 0 ? Math.trunc(-0.5 + w * scale) : Math.trunc(0.5 + w * scale);
  }
  return out;
}
