import { binaryLabel, type Labels } from "../../metrics/validate";
import type { TsneColoring, TsnePayload } from "../../protocol/viz";
import { tsne, type FeatureRows, type TsneOptions } from "../tsne/tsne";
import { withoutUndefined } from "./scoredMethod";

export interface TsneInput {
  /** Image embeddings or patch features, one row per point. */
  features: FeatureRows;
  /** 0/1 ground truth → a "ground truth" colouring. */
  groundTruth?: Labels;
  /** 0/1 predictions, or scores with a threshold (anomalous when score ≥ threshold) → a "prediction" colouring. */
  prediction?: Labels | { scores: ArrayLike<number>; threshold: number };
  /** Further colourings by any category (defect type, patient, method …). */
  colorBy?: { name: string; values: ArrayLike<string | number | boolean> }[];
  /** Hover text per point (file names). */
  names?: string[];
  title?: string;
  tsne?: TsneOptions;
}

function predictedLabels(prediction: NonNullable<TsneInput["prediction"]>, n: number): Uint8Array {
  if ("scores" in prediction && "threshold" in prediction) {
    return Uint8Array.from({ length: n }, (_, i) => (prediction.scores[i] >= prediction.threshold ? 1 : 0));
  }
  return Uint8Array.from({ length: n }, (_, i) => binaryLabel(prediction as Labels, i, "prediction"));
}

/** Groups of a categorical column, in first-seen order of the values. */
export function categoryColoring(name: string, values: ArrayLike<string | number | boolean>): TsneColoring {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < values.length; i++) {
    const key = String(values[i]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  }
  return { name, groups: [...groups].map(([group, indices]) => ({ name: group, indices })) };
}

function binaryColoring(name: string, labels: ArrayLike<number>, names: [string, string]): TsneColoring {
  const groups: TsneColoring["groups"] = [
    { name: names[0], indices: [] },
    { name: names[1], indices: [] },
  ];
  for (let i = 0; i < labels.length; i++) groups[labels[i]].indices.push(i);
  return { name, groups };
}

/**
 * Colourings of a cloud: ground truth, prediction, and — when both are known — the outcome (TP/TN/FP/FN) so false
 * positives and negatives can be found at a glance.
 */
export function tsneColorings(n: number, input: Omit<TsneInput, "features">): TsneColoring[] {
  const out: TsneColoring[] = [];
  const check = (what: string, length: number) => {
    if (length !== n) throw new Error(`t-SNE: ${what} has ${length} entries but there are ${n} feature rows.`);
  };
  let truth: Uint8Array | undefined;
  let predicted: Uint8Array | undefined;
  if (input.groundTruth) {
    check("groundTruth", input.groundTruth.length);
    truth = Uint8Array.from({ length: n }, (_, i) => binaryLabel(input.groundTruth!, i, "groundTruth"));
    out.push(binaryColoring("ground truth", truth, ["normal", "anomalous"]));
  }
  if (input.prediction) {
    check(
      "prediction",
      "scores" in input.prediction ? input.prediction.scores.length : (input.prediction as Labels).length,
    );
    predicted = predictedLabels(input.prediction, n);
    out.push(binaryColoring("prediction", predicted, ["predicted normal", "predicted anomalous"]));
  }
  if (truth && predicted) {
    const outcome = Array.from({ length: n }, (_, i) =>
      truth![i]
        ? predicted![i]
          ? "true positive"
          : "false negative"
        : predicted![i]
          ? "false positive"
          : "true negative",
    );
    const coloring = categoryColoring("outcome", outcome);
    const order = ["true negative", "true positive", "false positive", "false negative"];
    coloring.groups.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    out.push(coloring);
  }
  for (const extra of input.colorBy ?? []) {
    check(`colorBy "${extra.name}"`, extra.values.length);
    out.push(categoryColoring(extra.name, extra.values));
  }
  if (out.length === 0) out.push({ name: "all points", groups: [{ name: "points", indices: [...Array(n).keys()] }] });
  return out;
}

/** Runs t-SNE on the features and packs the embedding with its colourings. */
export function tsnePayload(input: TsneInput): TsnePayload {
  const result = tsne(input.features, input.tsne);
  return tsnePayloadFromEmbedding(result.xy, input);
}

/** Packs an existing 2-D embedding (interleaved x, y) with its colourings; no t-SNE run. */
export function tsnePayloadFromEmbedding(xy: ArrayLike<number>, input: Omit<TsneInput, "features">): TsnePayload {
  const n = xy.length / 2;
  if (input.names && input.names.length !== n)
    throw new Error(`t-SNE: names has ${input.names.length} entries but there are ${n} points.`);
  return withoutUndefined({
    version: 1,
    title: input.title,
    xy: Array.from(xy, (v) => Math.round(v * 1e4) / 1e4),
    labels: input.names,
    colorings: tsneColorings(n, input),
  });
}

export function tsneText(payload: TsnePayload): string {
  const parts = payload.colorings.map(
    (c) => `  ${c.name}: ${c.groups.map((g) => `${g.name} ${g.indices.length}`).join(", ")}`,
  );
  return [`${payload.title ?? "t-SNE"} of ${payload.xy.length / 2} points`, ...parts].join("\n");
}
