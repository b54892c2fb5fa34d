// Optional int8 weights for feature extraction: per-output-column symmetric 7-bit quantisation
// (scale_j = max_i |W_ij| / 63, zero point 0) and com.microsoft:DynamicQuantizeMatMul, which quantises the
// activations to uint8 per call. 7 bits, not 8: on AVX2 without VNNI, MLAS's u8×s8 kernel adds pairs of products in
// saturating int16 (vpmaddubsw), and full-range int8 weights overflowed it — a single [50×64]·[64×48] product was off
// by 18 % relative (RMS) with ±127 weights vs 0.5 % with uint8 weights; ±63 keeps every pair sum under 2^15. engine.md measured 1.5–1.8× on ViT-B; accuracy must be re-checked on real weights (outlier
// channels) before it becomes a default, so it is off unless asked for.
import { GraphBuilder, Value } from "../ir/builder";

/** Largest quantised magnitude: 7-bit range, see above. */
export const LEVELS = 63;

export interface QuantizedMatrix {
  /** [K, N] row-major int8. */
  q: Int8Array;
  /** [N] per-column scales. */
  scale: Float32Array;
}

/** w: [K, N] row-major float32 (the MatMul's right operand). */
export function quantizeColumns(w: Float32Array, k: number, n: number): QuantizedMatrix {
  const scale = new Float32Array(n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) scale[j] = Math.max(scale[j], Math.abs(w[i * n + j]));
  for (let j = 0; j < n; j++) scale[j] = scale[j] > 0 ? scale[j] / LEVELS : 1;
  const q = new Int8Array(k * n);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < n; j++) q[i * n + j] = Math.max(-LEVELS, Math.min(LEVELS, Math.round(w[i * n + j] / scale[j])));
  return { q, scale };
}

/** x @ W + bias with int8 W ([K, N] float32 in, quantised here). */
export function int8MatMulBias(
  b: GraphBuilder,
  x: Value,
  w: Float32Array,
  k: number,
  n: number,
  bias: Float32Array,
  hint: string,
): Value {
  const { q, scale } = quantizeColumns(w, k, n);
  return b.op(
    "DynamicQuantizeMatMul",
    [
      x,
      b.initializer(`${hint}.weight_int8`, "int8", [k, n], q),
      b.initializer(`${hint}.weight_scale`, "float32", [n], scale),
      b.initializer(`${hint}.weight_zero_point`, "int8", [n], new Int8Array(n)),
      b.initializer(`${hint}.bias`, "float32", [n], bias),
    ],
    {},
    "com.microsoft",
  );
}
