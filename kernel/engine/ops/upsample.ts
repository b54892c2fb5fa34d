// Bilinear resize with align_corners=True (torch F.interpolate) as two MatMuls with constant interpolation matrices:
// Y = U_h · X · U_wᵀ. Exact, separable, and its gradient is plain MatMul transposes (no Resize rule needed).
import { GraphBuilder, Value } from "../ir/builder";

/** [out, in] matrix: row o holds the weights of the two source samples at src = o·(in − 1)/(out − 1). */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const src = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const f = src - i0;
    m[o * inSize + i0] += 1 - f;
    m[o * inSize + i1] += f;
  }
  return m;
}

/** x: [..., h, w] → [..., outH, outW]. */
export function upsampleBilinear(b: GraphBuilder, x: Value, h: number, w: number, outH: number, outW: number): Value {
  const uh = b.constF32("upsample_h", bilinearMatrix(h, outH), [outH, h]);
  const uw = bilinearMatrix(w, outW);
  const t = new Float32Array(w * outW);
  for (let o = 0; o < outW; o++) for (let i = 0; i < w; i++) t[i * outW + o] = uw[o * w + i];
  const uwT = b.constF32("upsample_wT", t, [w, outW]);
  return b.matmul(b.matmul(uh, x), uwT);
}
