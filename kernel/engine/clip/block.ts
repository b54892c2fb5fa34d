// One pre-LN transformer block (CLIP's ResidualAttentionBlock / HF CLIPEncoderLayer) emitted into a graph:
//   x += out_proj(attn(LN1(x)));  x += fc2(act(fc1(LN2(x))))
// Q/K/V are fused into one [D, 3D] MatMul; the softmax scale hd^-0.5 is folded into Wq and bq (exact for CLIP's
// power-of-two head widths).
import { GraphBuilder, Value } from "../ir/builder";
import type { Activation } from "../weights/clipConfig";
import type { BlockWeights, LinearWeights } from "../weights/clipWeights";
import { int8MatMulBias } from "./quantize";

export interface BlockOptions {
  numHeads: number;
  layerNormEps: number;
  activation: Activation;
  /** Additive attention mask broadcastable to [B, H, N, N] (e.g. causal −inf above the diagonal). */
  mask?: Value;
  /** int8 weights via com.microsoft:DynamicQuantizeMatMul for the four weight MatMuls (default false). */
  int8?: boolean;
}

/** Linear layer: x @ Wᵀ + b, with W stored [out, in] (torch) and written as a [in, out] initializer. */
export function linear(b: GraphBuilder, x: Value, w: LinearWeights, hint: string, int8 = false): Value {
  const [out, inp] = w.weight.shape;
  const t = new Float32Array(inp * out);
  const src = w.weight.data;
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = src[o * inp + i];
  if (int8) return int8MatMulBias(b, x, t, inp, out, w.bias.data, hint);
  const y = b.matmul(x, b.initializer(`${hint}.weight`, "float32", [inp, out], t));
  return b.add(y, b.initializer(`${hint}.bias`, "float32", [out], w.bias.data));
}

function fusedQkv(w: BlockWeights, numHeads: number): LinearWeights {
  const d = w.q.weight.shape[0];
  const scale = 1 / Math.sqrt(d / numHeads);
  const weight = new Float32Array(3 * d * d);
  const bias = new Float32Array(3 * d);
  [w.q, w.k, w.v].forEach((lin, part) => {
    const s = part === 0 ? scale : 1;
    for (let i = 0; i < d * d; i++) weight[part * d * d + i] = lin.weight.data[i] * s;
    for (let i = 0; i < d; i++) bias[part * d + i] = lin.bias.data[i] * s;
  });
  return { weight: { data: weight, shape: [3 * d, d] }, bias: { data: bias, shape: [3 * d] } };
}

export function activation(b: GraphBuilder, x: Value, kind: Activation): Value {
  if (kind === "quick_gelu") return b.mul(x, b.sigmoid(b.mul(x, b.scalar(1.702, "quick_gelu_k"))));
  // Exact GELU: x · ½(1 + erf(x/√2)); opset 17 has no Gelu op.
  const phi = b.add(b.erf(b.mul(x, b.scalar(Math.SQRT1_2, "inv_sqrt2"))), b.scalar(1, "one"));
  return b.mul(b.mul(x, phi), b.scalar(0.5, "half"));
}

/** LayerNormalization over the last axis with frozen affine parameters. */
export function layerNorm(
  b: GraphBuilder,
  x: Value,
  w: { weight: { data: Float32Array }; bias: { data: Float32Array } },
  eps: number,
  hint: string,
): Value {
  const d = w.weight.data.length;
  return b.layerNorm(
    x,
    b.initializer(`${hint}.weight`, "float32", [d], w.weight.data),
    b.initializer(`${hint}.bias`, "float32", [d], w.bias.data),
    eps,
  );
}

/** x: [B, N, D] → [B, N, D]. */
export function transformerBlock(b: GraphBuilder, x: Value, w: BlockWeights, o: BlockOptions): Value {
  const d = w.q.weight.shape[0];
  const h = o.numHeads;
  const hd = d / h;
  const a = layerNorm(b, x, w.ln1, o.layerNormEps, "ln_1");
  const qkv = linear(b, a, fusedQkv(w, h), "attn.in_proj", o.int8);
  const [q, k, v] = b.split(qkv, [d, d, d], -1);
  const heads = (t: Value, perm: number[]) => b.transpose(b.reshape(t, [0, 0, h, hd]), perm);
  const qh = heads(q, [0, 2, 1, 3]); // [B, H, N, hd]
  const kt = heads(k, [0, 2, 3, 1]); // [B, H, hd, N]
  const vh = heads(v, [0, 2, 1, 3]);
  let scores = b.matmul(qh, kt); // [B, H, N, N]
  if (o.mask) scores = b.add(scores, o.mask);
  const ctx = b.matmul(b.softmax(scores, -1), vh); // [B, H, N, hd]
  const merged = b.reshape(b.transpose(ctx, [0, 2, 1, 3]), [0, 0, d]);
  x = b.add(x, linear(b, merged, w.out, "attn.out_proj", o.int8));
  const m = layerNorm(b, x, w.ln2, o.layerNormEps, "ln_2");
  const hidden = activation(b, linear(b, m, w.fc1, "mlp.fc1", o.int8), o.activation);
  return b.add(x, linear(b, hidden, w.fc2, "mlp.fc2", o.int8));
}
