// A small, fully formed FewshotResult over real files of the bundled demo dataset, for tests of what reads results.
import * as path from "path";
import { demoDatasetPath, loadDataset } from "../../kernel/data";
import type { FewshotResult } from "../../kernel/methods/result";
import { encodeMap } from "../../kernel/methods/resultMaps";
import type { Sample } from "../../kernel/data";

let demoTest: Sample[] | undefined;

/** `n` test images of the demo set (half normal, half abnormal) with scores i/n and 4×4 maps peaking at the score. */
export function fakeResult(
  options: { n?: number; maps?: boolean; method?: string; label?: string; seed?: number; shots?: number } = {},
): FewshotResult {
  const n = options.n ?? 6;
  const root = demoDatasetPath();
  const test = (demoTest ??= loadDataset(root).samples.filter((s) => s.split === "test"));
  const normals = test.filter((s) => s.label === "normal").slice(0, Math.ceil(n / 2));
  const abnormals = test.filter((s) => s.label === "abnormal").slice(0, Math.floor(n / 2));
  const samples = [...normals, ...abnormals];
  const scores = samples.map((s, i) => {
    const score = (i + 1) / n;
    const map = Float32Array.from({ length: 16 }, (_, p) => (p === 5 ? score : score / 4));
    return {
      file: path.relative(root, s.path).split(path.sep).join("/"),
      label: (s.label === "abnormal" ? 1 : 0) as 0 | 1,
      score,
      branches: { text: score },
      layers: { text: [score, score / 2] },
      ...(options.maps === false ? {} : { map: encodeMap(map) }),
    };
  });
  return {
    schema: "medad.fewshot-result/1",
    method: options.method ?? "patchcore",
    label: options.label ?? "PatchCore-style",
    createdAt: "2026-01-01T00:00:00.000Z",
    medadVersion: "0.1.0",
    codeVersion: { version: "0.1.0", commit: null, dirty: null, describe: "0.1.0" },
    dataset: { root, name: "demo-brainmri", layout: "mvfa", category: "Brain" },
    model: {
      dir: "/models/tiny",
      hash: {
        algorithm: "sha256",
        over: "weights+config",
        value: "abc",
        file: "/models/tiny/model.safetensors",
        bytes: 10,
        weightsSha256: "def",
      },
      imageSize: 56,
      grid: 7,
      taps: [2, 4],
      activation: "gelu",
      features: "raw",
      preprocess: { filter: "bicubic", normalize: false },
      device: "cpu",
    },
    seed: options.seed ?? 0,
    shots: options.shots ?? 1,
    support: null,
    protocol: "honest",
    normalisation: {
      protocol: "honest",
      source: "none",
      transductive: false,
      calibrationImages: [],
      branches: [],
      note: "",
    },
    fusion: { weights: { text: 1 }, imageScore: "branches" },
    settings: {},
    test: { total: n, evaluated: n, normal: normals.length, abnormal: abnormals.length, subsample: null },
    metrics: {
      image: { auroc: 1, averagePrecision: 1, f1Max: { f1: 1, threshold: 0.5, precision: 1, recall: 1 } },
      pixel: {
        auroc: NaN,
        averagePrecision: NaN,
        f1Max: { f1: 0, threshold: Infinity, precision: 0, recall: 0 },
        positives: 0,
        negatives: 10,
      },
      perLayer: [],
    },
    scores,
    timings: { totalMs: 1, phases: { evaluate: -0 }, featureCache: null },
  };
}
