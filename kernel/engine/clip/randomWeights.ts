// Random CLIP weights of any size, for benchmarks and shape tests (speed does not depend on the values). Uniform
// in ±scale from a seeded xorshift generator; LayerNorm scales are 1 so activations stay in a normal range.
import type { TextConfig, VisionConfig } from "../weights/clipConfig";
import type { BlockWeights, Tensor, TextWeights, VisionWeights } from "../weights/clipWeights";
import { xorshift32 } from "../../util/random/xorshift32";

function maker(seed: number) {
  const r = xorshift32(seed);
  const rand = (shape: number[], scale = 0.02): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (r() * 2 - 1) * scale;
    return { data, shape };
  };
  const ones = (d: number): Tensor => ({ data: new Float32Array(d).fill(1), shape: [d] });
  const block = (d: number, m: number): BlockWeights => ({
    ln1: { weight: ones(d), bias: rand([d]) },
    q: { weight: rand([d, d]), bias: rand([d]) },
    k: { weight: rand([d, d]), bias: rand([d]) },
    v: { weight: rand([d, d]), bias: rand([d]) },
    out: { weight: rand([d, d]), bias: rand([d]) },
    ln2: { weight: ones(d), bias: rand([d]) },
    fc1: { weight: rand([m, d]), bias: rand([m]) },
    fc2: { weight: rand([d, m]), bias: rand([d]) },
  });
  return { rand, ones, block };
}

export function randomVisionWeights(c: VisionConfig, projectionDim: number, seed = 1): VisionWeights {
  const { rand, ones, block } = maker(seed);
  const d = c.hiddenSize;
  const g = Math.floor(c.imageSize / c.patchSize);
  return {
    patchEmbedding: rand([d, c.numChannels, c.patchSize, c.patchSize]),
    classEmbedding: rand([d]),
    positionEmbedding: rand([g * g + 1, d]),
    lnPre: { weight: ones(d), bias: rand([d]) },
    blocks: Array.from({ length: c.numLayers }, () => block(d, c.intermediateSize)),
    lnPost: { weight: ones(d), bias: rand([d]) },
    projection: rand([d, projectionDim]),
  };
}

export function randomTextWeights(c: TextConfig, projectionDim: number, seed = 2): TextWeights {
  const { rand, ones, block } = maker(seed);
  const w = c.hiddenSize;
  return {
    tokenEmbedding: rand([c.vocabSize, w]),
    positionEmbedding: rand([c.contextLength, w]),
    blocks: Array.from({ length: c.numLayers }, () => block(w, c.intermediateSize)),
    lnFinal: { weight: ones(w), bias: rand([w]) },
    projection: rand([w, projectionDim]),
  };
}
