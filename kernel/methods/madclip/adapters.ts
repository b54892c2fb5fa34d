// MadCLIP's MFCFC dual-branch adapters (methods.md §3.2; reference CLIP/adapter_shared.py, default --visionA MFCFC).
// Per tapped level, a normal and an abnormal adapter, both applied to every image, on the frozen residual stream
// (they never feed back into the trunk, so taps can be cached):
//   h = InstanceNorm(LeakyReLU(x·W1ᵀ))  (W1 width → width; per-token normalisation over channels, eps 1e-5, no affine)
//   det = LeakyReLU(h·W2ᵀ), seg = LeakyReLU(h·W3ᵀ)  (width → proj), no biases.
// Scores ("dual contrast", no temperature) on the L2-normalised outputs without CLS, with T = [t_n, t_ab]:
//   S_n = O_n·t_n − O_n·t_ab, S_ab = O_ab·t_ab − O_ab·t_n → [B, P, 2].
import { GraphBuilder, Value } from "../../engine/ir/builder";
import { l2Normalize, normalizeNoAffine } from "../../engine/ops/normalize";
import { leakyRelu, linearNoBias } from "../mvfa/adapters";

export type Branch = "normal" | "abnormal";

export interface MfcfcWeights {
  fc1: Value;
  fc2: Value;
  fc3: Value;
}

export interface MadclipAdapters {
  normal: MfcfcWeights[];
  abnormal: MfcfcWeights[];
  params: { name: string; shape: [number, number] }[];
}

export function madclipParamName(branch: Branch, level: number, fc: "fc1" | "fc2" | "fc3"): string {
  return `${branch}_det_adapters.${level}.${fc}.0.weight`;
}

/** Declares 2 branches × levels × 3 weights as float32 graph inputs, torch layout [out, in]. */
export function declareMadclipAdapters(b: GraphBuilder, levels: number, width: number, proj: number): MadclipAdapters {
  const params: MadclipAdapters["params"] = [];
  const make = (branch: Branch) =>
    Array.from({ length: levels }, (_, l) => {
      const w = (fc: "fc1" | "fc2" | "fc3", shape: [number, number]) => {
        const name = madclipParamName(branch, l, fc);
        params.push({ name, shape });
        return b.input(name, "float32", shape);
      };
      return { fc1: w("fc1", [width, width]), fc2: w("fc2", [proj, width]), fc3: w("fc3", [proj, width]) };
    });
  const normal = make("normal");
  const abnormal = make("abnormal");
  return { normal, abnormal, params };
}

/** One MFCFC adapter on tokens x [B, N, width] → h [B, N, width], det and seg [B, N, proj]. */
export function mfcfc(b: GraphBuilder, x: Value, w: MfcfcWeights, width: number): { h: Value; det: Value; seg: Value } {
  const h = normalizeNoAffine(b, leakyRelu(b, linearNoBias(b, x, w.fc1)), width);
  return { h, det: leakyRelu(b, linearNoBias(b, h, w.fc2)), seg: leakyRelu(b, linearNoBias(b, h, w.fc3)) };
}

/** [S_n, S_ab] [B, P, 2] from the normal and abnormal branch outputs [B, N, proj] (CLS dropped here). */
export function dualContrastScores(
  b: GraphBuilder,
  normalOut: Value,
  abnormalOut: Value,
  textT: Value,
  tokens: number,
): Value {
  const sims = (o: Value) => b.matmul(l2Normalize(b, b.slice(o, [1], [tokens], [1])), textT); // [B, P, 2] = [o·t_n, o·t_ab]
  const col = (v: Value, c: number) => b.slice(v, [c], [c + 1], [2]);
  const n = sims(normalOut);
  const a = sims(abnormalOut);
  return b.concat([b.sub(col(n, 0), col(n, 1)), b.sub(col(a, 1), col(a, 0))], 2);
}
