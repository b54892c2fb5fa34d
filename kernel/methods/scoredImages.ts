// Helpers shared by the methods: image-score rules over rendered maps, and a sample → ScoredImage wrapper.
import { sampleMaskTensor } from "../data/sampleTensors";
import type { Dataset, Sample } from "../data/types";
import { LevelScores, maxOf, meanOf } from "./branches";
import { relPath } from "./method";
import type { BranchScores, ScoredImage } from "./result";

export type ImageRule = "mean" | "max";

/**
 * Applies an image-score rule to a branch: "max" replaces each level's image score by the max of its rendered map and
 * the branch score by the max of the summed map (PatchCore's rule); "mean" keeps the method's own per-level scores
 * and sums them (MVFA's det-head rule: Σ levels of the mean).
 */
export function branchWithRule(name: string, levels: LevelScores[], render: BranchScores["render"], size: number, rule: ImageRule): BranchScores {
  if (rule === "mean") return { name, levels, render, image: levels.reduce((s, l) => s + l.image, 0) };
  const sum = new Float64Array(size * size);
  const withMax = levels.map((l) => {
    const m = render(l, size);
    for (let p = 0; p < sum.length; p++) sum[p] += m[p];
    return { ...l, image: maxOf(m) };
  });
  return { name, levels: withMax, render, image: maxOf(sum) };
}

export function scoredImage(ds: Dataset, s: Sample, size: number, branches: BranchScores[]): ScoredImage {
  return {
    file: relPath(ds, s),
    label: s.label === "abnormal" ? 1 : 0,
    mask: s.maskPath ? () => sampleMaskTensor(s, size).data : undefined,
    branches,
  };
}

export { meanOf };
