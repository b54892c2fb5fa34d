// Helpers shared by the methods: image-score rules over rendered maps, and a sample → ScoredImage wrapper.
import { sampleMaskTensor } from "../data/sampleTensors";
import type { Dataset, Sample } from "../data/types";
import {
  LevelScores,
  maxOf,
  meanOf,
  memoryLevel,
  memoryLevelFromDistances,
  memoryLevelMap,
  MemoryBank,
  textLevel,
  textLevelMap,
} from "./branches";
import { sampleLoader, type FeatureExtractor, type ImageTokens } from "./features";
import type { MemoryScorer } from "./memoryScorer";
import { relPath, type MethodContext } from "./method";
import type { BranchScores, ScoredImage } from "./result";
import { nodeFeature, type PluggedScores } from "./plugins/apply";

export type ImageRule = "mean" | "max";

/**
 * Applies an image-score rule to a branch: "max" replaces each level's image score by the max of its rendered map and
 * the branch score by the max of the summed map (PatchCore's rule); "mean" keeps the method's own per-level scores
 * and sums them (MVFA's det-head rule: Σ levels of the mean).
 */
export function branchWithRule(
  name: string,
  levels: LevelScores[],
  render: BranchScores["render"],
  size: number,
  rule: ImageRule,
): BranchScores {
  if (rule === "mean") return { name, levels, render, image: levels.reduce((s, l) => s + l.image, 0) };
  const sum = new Float64Array(size * size);
  const withMax = levels.map((l) => {
    const m = render(l, size);
    for (let p = 0; p < sum.length; p++) sum[p] += m[p];
    return { ...l, image: maxOf(m) };
  });
  return { name, levels: withMax, render, image: maxOf(sum) };
}

export function scoredImage(
  ds: Dataset,
  s: Sample,
  size: number,
  branches: BranchScores[],
  node?: Float32Array,
): ScoredImage {
  return {
    file: relPath(ds, s),
    label: s.label === "abnormal" ? 1 : 0,
    mask: s.maskPath ? () => sampleMaskTensor(s, size).data : undefined,
    branches,
    ...(node ? { node } : {}),
  };
}

/**
 * Encodes samples with the run's feature extractor (batched, progress, stop, feature cache) and turns each image's
 * tokens into a ScoredImage with `branchesOf` — the scoring loop every method shares. `branchesOf` may return the
 * plug-ins' PluggedScores (plugins/apply.ts); when TSC-samples is on and it gave no node feature, the node comes from
 * the last level the extractor produced.
 */
export async function scoreSamples(
  ctx: MethodContext,
  fx: FeatureExtractor,
  samples: readonly Sample[],
  phase: "test" | "calibration",
  size: number,
  branchesOf: (
    tokens: ImageTokens,
    sample: Sample,
  ) => BranchScores[] | PluggedScores | Promise<BranchScores[] | PluggedScores>,
): Promise<ScoredImage[]> {
  const images: ScoredImage[] = new Array(samples.length);
  const tsc = ctx.plugins?.tsc;
  await fx.run(
    samples.map((s) => sampleLoader(s, ctx)),
    {
      batch: ctx.batch,
      phase,
      onProgress: ctx.onProgress,
      signal: ctx.signal,
      each: async (i, tokens) => {
        const out = await branchesOf(tokens, samples[i]);
        const plugged: PluggedScores = Array.isArray(out) ? { branches: out } : out;
        const node =
          plugged.node ??
          (tsc?.mode === "samples" ? nodeFeature(tokens[tokens.length - 1], fx.dim, tsc.node) : undefined);
        images[i] = scoredImage(ctx.dataset, samples[i], size, plugged.branches, node);
      },
    },
  );
  return images;
}

/**
 * MVFA's two branches on one image's per-level tokens ([tokens, dim] each): the text branch against T and the memory
 * branch against the support bank — through the ORT scorers, or in TypeScript leaving out support image `exclude`
 * (leave-one-out calibration of a support normal).
 */
export async function mvfaBranches(
  levels: Float32Array[],
  o: {
    dim: number;
    grid: number;
    T: Float32Array;
    banks: MemoryBank[];
    scorers: MemoryScorer[];
    size: number;
    exclude?: number;
  },
): Promise<BranchScores[]> {
  const grid = (t: Float32Array) => ({ data: t, dim: o.dim, grid: o.grid });
  const text = levels.map((t) => textLevel(grid(t), o.T));
  const mem =
    o.exclude === undefined
      ? await Promise.all(
          levels.map(async (t, l) => memoryLevelFromDistances(await o.scorers[l].distances(grid(t)), o.grid, o.size)),
        )
      : levels.map((t, l) => memoryLevel(grid(t), o.banks[l], o.size, o.exclude));
  return [
    branchWithRule("text", text, textLevelMap, o.size, "mean"),
    branchWithRule("memory", mem, memoryLevelMap, o.size, "mean"),
  ];
}

export { meanOf };
